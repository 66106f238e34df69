import Foundation
import Media
import RTP
import Testing

/// The agent's video decoder: what the kiosk's own encoder makes decodes back to the picture; bad input
/// (inter frames before a key frame, corrupted or truncated frames, absurd sizes) is refused without a
/// crash, and the next key frame brings the picture back.
struct VP8DecoderTests {
    let size = FrameSize(width: 320, height: 240)

    func encoded(_ count: Int, keyFrameAt keys: Set<Int> = []) throws -> (frames: [VP8Encoder.EncodedFrame], camera: SyntheticCamera) {
        let vp8 = try VP8Encoder(settings: .init(size: size, framesPerSecond: 30, bitrateKbps: 1200, cpuUsed: -8, keyFrameInterval: 0))
        let camera = SyntheticCamera(size: size, framesPerSecond: 30, paced: false)
        var frames: [VP8Encoder.EncodedFrame] = []
        for n in 0..<count {
            if keys.contains(n) { vp8.requestKeyFrame() }
            frames.append(try #require(try vp8.encode(camera.frame(number: n))))
        }
        return (frames, camera)
    }

    @Test func decodesTheEncodersFramesBackToThePicture() throws {
        let (frames, camera) = try encoded(30)
        let decoder = try VP8Decoder()
        var worst = Double.infinity
        for (n, frame) in frames.enumerated() {
            let picture = try #require(try decoder.decode(frame.data))
            #expect(picture.width == 320 && picture.height == 240)
            worst = min(worst, VideoFrame.lumaPSNR(picture, camera.frame(number: n)))
        }
        #expect(worst > 30, "worst luma PSNR \(worst) dB")
        #expect(decoder.statistics.decoded == 30 && decoder.statistics.keyFrames == 1 && decoder.statistics.errors == 0)
    }

    @Test func interFramesBeforeTheFirstKeyFrameAreNotShown() throws {
        let (frames, _) = try encoded(12, keyFrameAt: [8])
        let decoder = try VP8Decoder()
        for frame in frames[1..<8] {
            #expect(throws: VP8Decoder.DecoderError.waitingForKeyFrame) { try decoder.decode(frame.data) }
        }
        #expect(decoder.needsKeyFrame)
        for frame in frames[8...] { #expect(try decoder.decode(frame.data) != nil) }
        #expect(!decoder.needsKeyFrame && decoder.statistics.skippedWaitingForKeyFrame == 7)
    }

    @Test func aDamagedFrameIsRefusedAndTheNextKeyFrameRecovers() throws {
        let (frames, camera) = try encoded(20, keyFrameAt: [12])
        let decoder = try VP8Decoder()
        for frame in frames[0..<5] { _ = try decoder.decode(frame.data) }
        // Frame 5 cut in half (a lost packet the depacketizer did not notice): libvpx refuses it, and
        // the inter frames after it are not shown (their reference is gone).
        var damaged = frames[5].data
        damaged.removeLast(damaged.count / 2)
        #expect(throws: VP8Decoder.DecoderError.self) { try decoder.decode(damaged) }
        for frame in frames[6..<12] {
            #expect(throws: VP8Decoder.DecoderError.waitingForKeyFrame) { try decoder.decode(frame.data) }
        }
        #expect(decoder.statistics.errors == 1 && decoder.needsKeyFrame)
        // The key frame brings the exact picture back.
        let recovered = try #require(try decoder.decode(frames[12].data))
        #expect(VideoFrame.lumaPSNR(recovered, camera.frame(number: 12)) > 30)
        #expect(!decoder.needsKeyFrame)
    }

    @Test func garbageAndTruncatedInputNeverCrash() throws {
        let (frames, _) = try encoded(10)
        let decoder = try VP8Decoder()
        var rng = SplitMix64(seed: 7)
        _ = try decoder.decode(frames[0].data)
        var refusals = 0
        for round in 0..<3000 {
            var bytes = frames[round % 10].data
            switch round % 4 {
            case 0: bytes = bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))).map { $0 }
            case 1: for _ in 0..<8 { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            case 2: bytes = (0..<Int(rng.next() % 2000)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            default: break
            }
            do { _ = try decoder.decode(bytes) } catch { refusals += 1 }
        }
        #expect(refusals > 0 && decoder.statistics.errors > 0)
        // Still a working decoder afterwards.
        let fresh = try encoded(1).frames[0]
        #expect(try decoder.decode(fresh.data)?.width == 320)
    }

    @Test func aKeyFrameAnnouncingAnAbsurdSizeIsRefusedBeforeLibvpxAllocates() throws {
        var frame = try encoded(1).frames[0].data
        // 16383x16383: the largest a VP8 header can say.
        frame[6] = 0xFF; frame[7] = 0x3F; frame[8] = 0xFF; frame[9] = 0x3F
        let decoder = try VP8Decoder()
        #expect(throws: VP8Decoder.DecoderError.self) { try decoder.decode(frame) }
        #expect(decoder.needsKeyFrame)
    }
}
