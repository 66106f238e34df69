import Foundation
import Media
import RTP
import Testing

struct SendPathTests {
    @Test func videoPacketsAreSequencedTimestampedAndMarked() throws {
        let settings = MediaSettings(camera: .synthetic, size: FrameSize(width: 640, height: 480), videoBitrateKbps: 1500, cpuUsed: -8)
        let rtp = VideoRTPEncoder(settings: settings, ssrc: 0xCAFE, initialSequence: 65_530, initialTimestamp: 1000, initialPictureID: 0x7FFE)
        let camera = SyntheticCamera(size: settings.size, framesPerSecond: 30, paced: false)
        var all: [RTPPacket] = []
        var depacketizer = VP8Depacketizer()
        var reassembled: [VP8Frame] = []
        for n in 0..<5 {
            var frame = camera.frame(number: n)
            frame.captureTimeNanos = 5_000_000_000 + UInt64(n) * 33_333_333
            let packets = try rtp.packets(for: frame)
            #expect(!packets.isEmpty)
            #expect(packets.filter(\.marker).count == 1 && packets.last!.marker)
            #expect(Set(packets.map(\.timestamp)).count == 1)
            #expect(packets.allSatisfy { $0.payloadType == 96 && $0.ssrc == 0xCAFE && $0.serialized().count <= 1200 + 12 })
            for p in packets { reassembled += depacketizer.push(try RTPPacket(parsing: p.serialized())) }
            all += packets
        }
        // Sequence numbers run on through the wrap; 90 kHz timestamps step by 3000 per 1/30 s.
        let sequences = all.map(\.sequenceNumber)
        #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
        #expect(sequences.first == 65_530 && sequences.contains(0))
        let stamps = Array(Set(all.map(\.timestamp))).sorted()
        #expect(stamps.first == 1000 && zip(stamps, stamps.dropFirst()).allSatisfy { $1 - $0 == 2999 || $1 - $0 == 3000 })
        #expect(reassembled.count == 5 && reassembled[0].isKeyFrame && !reassembled[1].isKeyFrame)
        #expect(reassembled.map(\.pictureID) == [0x7FFE, 0x7FFF, 0, 1, 2])
        #expect(rtp.framesEncoded == 5 && rtp.keyFrames == 1)
    }

    @Test func audioPacketsCarryOpusAtA48kHzClock() throws {
        let rtp = try AudioRTPEncoder(settings: MediaSettings(), channels: 1, ssrc: 7, initialSequence: 1, initialTimestamp: 0)
        let tone = ToneSource(paced: false)
        let packets = try (0..<3).map { _ in try rtp.packet(for: try tone.nextBlock(samplesPerChannel: 960)) }
        #expect(packets.map(\.timestamp) == [0, 960, 1920])
        #expect(packets.map(\.sequenceNumber) == [1, 2, 3])
        #expect(packets.map(\.marker) == [true, false, false])
        #expect(packets.allSatisfy { $0.payloadType == 111 })
    }

    @Test func thePacerSpreadsABurstAtItsRate() {
        var pacer = Pacer(bitsPerSecond: 1_000_000)
        let t0: UInt64 = 1_000_000_000
        // 1250 bytes at 1 Mbit/s take 10 ms each.
        let times = (0..<4).map { _ in pacer.sendTime(forPacketOf: 1250, now: t0) }
        #expect(times == [t0, t0 + 10_000_000, t0 + 20_000_000, t0 + 30_000_000])
        // After a quiet spell, a packet goes at once.
        #expect(pacer.sendTime(forPacketOf: 1250, now: t0 + 1_000_000_000) == t0 + 1_000_000_000)
    }

    @Test func theSDPDescribesBothStreams() {
        let sdp = StreamDescription(destination: MediaDestination(host: "::1", videoPort: 5004, audioPort: 5006),
                                    settings: MediaSettings(), sessionID: 42).sdp
        let lines = sdp.components(separatedBy: "\r\n")
        #expect(lines.contains("c=IN IP6 ::1"))
        #expect(lines.contains("m=video 5004 RTP/AVP 96") && lines.contains("a=rtpmap:96 VP8/90000"))
        #expect(lines.contains("m=audio 5006 RTP/AVP 111") && lines.contains("a=rtpmap:111 opus/48000/2"))
        #expect(lines.contains("a=fmtp:111 minptime=10;useinbandfec=1"))
        #expect(sdp.hasSuffix("\r\n") && lines.first == "v=0")
    }
}

struct DeviceErrorTests {
    @Test func aMissingCameraNamesItsPath() {
        #expect(throws: CaptureError.deviceMissing(path: "/dev/video93", reason: "No such file or directory")) {
            try V4L2Camera(path: "/dev/video93", size: FrameSize(width: 640, height: 480), framesPerSecond: 30)
        }
    }

    @Test func aFileThatIsNotACameraIsRejected() {
        #expect(throws: CaptureError.notV4L2(path: "/dev/null")) {
            try V4L2Camera(path: "/dev/null", size: FrameSize(width: 640, height: 480), framesPerSecond: 30)
        }
    }

    @Test func aMissingMicrophoneNamesItsDevice() throws {
        let error = #expect(throws: CaptureError.self) { try ALSAMicrophone(device: "hw:CARD=NoSuchCard,0") }
        #expect(error?.description.hasPrefix("microphone hw:CARD=NoSuchCard,0: cannot open:") == true)
    }
}
