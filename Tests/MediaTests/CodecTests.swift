import Foundation
import COpus
import CVPX
import Media
import RTP
import Testing

/// The encoders, checked by decoding what they produce with the libraries' own decoders.
struct CodecTests {
    let size = FrameSize(width: 320, height: 240)

    func encoder(bitrate: Int = 600) throws -> VP8Encoder {
        try VP8Encoder(settings: .init(size: size, framesPerSecond: 30, bitrateKbps: bitrate, cpuUsed: -8, keyFrameInterval: 0))
    }

    @Test func firstFrameIsAKeyFrameWithTheRightSizeAndOthersAreNot() throws {
        let vp8 = try encoder()
        let camera = SyntheticCamera(size: size, framesPerSecond: 30, paced: false)
        let frames = try (0..<10).compactMap { try vp8.encode(camera.frame(number: $0)) }
        #expect(frames.count == 10)
        #expect(frames[0].isKeyFrame && VP8Frame.isKeyFrame(frames[0].data))
        #expect(VP8Frame.dimensions(ofKeyFrame: frames[0].data).map { [$0.width, $0.height] } == [320, 240])
        #expect(frames.dropFirst().allSatisfy { !$0.isKeyFrame && !VP8Frame.isKeyFrame($0.data) })
    }

    @Test func aKeyFrameRequestGivesAKeyFrameOnTheNextFrame() throws {
        let vp8 = try encoder()
        let camera = SyntheticCamera(size: size, framesPerSecond: 30, paced: false)
        for n in 0..<5 { _ = try vp8.encode(camera.frame(number: n)) }
        vp8.requestKeyFrame()
        let next = try #require(try vp8.encode(camera.frame(number: 5)))
        #expect(next.isKeyFrame)
        let after = try #require(try vp8.encode(camera.frame(number: 6)))
        #expect(!after.isKeyFrame)
    }

    @Test func aLowerBitrateGivesFewerBytes() throws {
        let camera = SyntheticCamera(size: size, framesPerSecond: 30, paced: false)
        func bytes(_ kbps: Int) throws -> Int {
            let vp8 = try encoder(bitrate: kbps)
            return try (0..<60).compactMap { try vp8.encode(camera.frame(number: $0)) }.reduce(0) { $0 + $1.data.count }
        }
        let low = try bytes(150), high = try bytes(1500)
        #expect(low * 2 < high, "150 kbps: \(low) bytes, 1500 kbps: \(high) bytes")
    }

    @Test func libvpxDecodesWhatTheEncoderMade() throws {
        let vp8 = try encoder(bitrate: 1500)
        let camera = SyntheticCamera(size: size, framesPerSecond: 30, paced: false)
        var decoder = vpx_codec_ctx_t()
        #expect(kiosk_vpx_dec_init(&decoder) == VPX_CODEC_OK)
        defer { vpx_codec_destroy(&decoder) }
        var worst = Double.infinity
        for n in 0..<30 {
            let sent = camera.frame(number: n)
            let encoded = try #require(try vp8.encode(sent))
            let rc = encoded.data.withUnsafeBufferPointer { vpx_codec_decode(&decoder, $0.baseAddress, UInt32($0.count), nil, 0) }
            #expect(rc == VPX_CODEC_OK)
            var iter: vpx_codec_iter_t? = nil
            let image = try #require(vpx_codec_get_frame(&decoder, &iter))
            #expect(image.pointee.d_w == 320 && image.pointee.d_h == 240)
            var sum = 0.0
            let stride = Int(image.pointee.stride.0)
            for y in 0..<240 {
                for x in 0..<320 {
                    let d = Double(Int(image.pointee.planes.0![y * stride + x]) - Int(sent.bytes[y * 320 + x]))
                    sum += d * d
                }
            }
            worst = min(worst, 10 * log10(255 * 255 / max(sum / (320 * 240), 1e-9)))
        }
        #expect(worst > 30, "worst luma PSNR \(worst) dB")
    }

    @Test func opusHasFECOnAndDecodesToTheTone() throws {
        let opus = try OpusEncoder(channels: 1, bitrate: 32_000)
        #expect(opus.inbandFECEnabled)
        let tone = ToneSource(frequency: 1000, amplitude: 0.5, paced: false)
        var err: Int32 = 0
        let decoder = try #require(opus_decoder_create(48_000, 1, &err))
        defer { opus_decoder_destroy(decoder) }
        var decoded: [Int16] = []
        for _ in 0..<50 {
            let packet = try opus.encode(try tone.nextBlock(samplesPerChannel: 960))
            #expect(packet.count > 10 && packet.count < 400)
            var pcm = [Int16](repeating: 0, count: 960)
            let n = opus_decode(decoder, packet, Int32(packet.count), &pcm, 960, 0)
            #expect(n == 960)
            decoded += pcm
        }
        // Zero crossings over the last half second: 1000 Hz.
        let tail = decoded.suffix(24_000)
        var rising = 0
        for (a, b) in zip(tail, tail.dropFirst()) where a < 0 && b >= 0 { rising += 1 }
        #expect(abs(rising - 500) <= 2, "\(rising) periods in 0.5 s")
    }
}
