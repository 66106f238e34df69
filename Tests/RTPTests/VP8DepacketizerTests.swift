import Testing
@testable import RTP

@Suite struct VP8DepacketizerTests {
    /// A key frame header (see VP8FrameTests) followed by filler, so frames are recognisable.
    func keyFrame(count: Int) -> [UInt8] {
        [0x90, 0x0C, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01] + (0..<(count - 10)).map { UInt8($0 % 200) }
    }

    func deltaFrame(count: Int, fill: UInt8) -> [UInt8] {
        [0x91, 0x0C, 0x00] + Array(repeating: fill, count: count - 3)
    }

    struct Sender {
        var packetizer = VP8Packetizer(maxPayloadSize: 504, initialPictureID: 0x7FFF)
        var stream = RTPStream(ssrc: 42, payloadType: 96, clockRate: 90_000, initialSequence: 65533, initialTimestamp: 77)
        var time: UInt32 = 0

        mutating func send(_ frame: [UInt8]) -> [RTPPacket] {
            defer { time += 3000 }
            return stream.packets(for: packetizer.payloads(for: frame), timestamp: time)
        }
    }

    @Test func reassemblesFramesAcrossSequenceWrap() {
        var sender = Sender()
        var receiver = VP8Depacketizer()
        let first = keyFrame(count: 1400)
        let second = deltaFrame(count: 900, fill: 0xEE)

        let packets = sender.send(first) + sender.send(second)
        #expect(packets.map(\.sequenceNumber) == [65533, 65534, 65535, 0, 1])
        let frames = packets.flatMap { receiver.push($0) }

        #expect(frames == [
            VP8Frame(data: first, pictureID: 0x7FFF, isKeyFrame: true, rtpTimestamp: 77),
            VP8Frame(data: second, pictureID: 0, isKeyFrame: false, rtpTimestamp: 3077),
        ])
        #expect(receiver.droppedFrameCount == 0)
        #expect(receiver.lostPacketCount == 0)
    }

    @Test func dropsAFrameWithAMissingMiddlePacketAndRecovers() {
        var sender = Sender()
        var receiver = VP8Depacketizer()
        let a = keyFrame(count: 1400), b = deltaFrame(count: 1400, fill: 0xBB), c = deltaFrame(count: 1400, fill: 0xCC)
        let packetsA = sender.send(a), packetsB = sender.send(b), packetsC = sender.send(c)
        #expect(packetsB.count == 3)

        var frames: [VP8Frame] = []
        for packet in packetsA + [packetsB[0], packetsB[2]] + packetsC {
            frames += receiver.push(packet)
        }
        #expect(frames.map(\.data) == [a, c])
        #expect(frames.map(\.pictureID) == [0x7FFF, 1])
        #expect(receiver.droppedFrameCount == 1)
        #expect(receiver.lostPacketCount == 1)
    }

    @Test func dropsAFrameWhoseMarkerPacketIsLost() {
        var sender = Sender()
        var receiver = VP8Depacketizer()
        let a = deltaFrame(count: 1400, fill: 1), b = deltaFrame(count: 600, fill: 2)
        let packetsA = sender.send(a), packetsB = sender.send(b)
        var frames: [VP8Frame] = []
        for packet in packetsA.dropLast() + packetsB { frames += receiver.push(packet) }
        #expect(frames.map(\.data) == [b])
        #expect(receiver.droppedFrameCount == 1)
    }

    @Test func waitsForAFrameStartWhenJoiningMidFrame() {
        var sender = Sender()
        var receiver = VP8Depacketizer()
        let a = deltaFrame(count: 1400, fill: 1), b = deltaFrame(count: 1400, fill: 2)
        let packets = sender.send(a) + sender.send(b)
        let frames = packets.dropFirst().flatMap { receiver.push($0) }
        #expect(frames.map(\.data) == [b])
        #expect(receiver.droppedFrameCount == 1)
    }

    @Test func aNewTimestampEndsAFrameWhoseMarkerWasNotSet() {
        var receiver = VP8Depacketizer()
        let descriptor: [UInt8] = [0x10]
        func packet(_ seq: UInt16, _ ts: UInt32, _ payload: [UInt8], marker: Bool = false) -> RTPPacket {
            RTPPacket(marker: marker, payloadType: 96, sequenceNumber: seq, timestamp: ts, ssrc: 1, payload: payload)
        }
        #expect(receiver.push(packet(1, 100, descriptor + [0x00, 1, 2])).isEmpty)
        #expect(receiver.push(packet(2, 100, [0x00, 3])).isEmpty)
        // Next frame starts, and ends at once (marker): both frames come out.
        let frames = receiver.push(packet(3, 200, descriptor + [0x01, 9], marker: true))
        #expect(frames == [
            VP8Frame(data: [0x00, 1, 2, 3], pictureID: nil, isKeyFrame: true, rtpTimestamp: 100),
            VP8Frame(data: [0x01, 9], pictureID: nil, isKeyFrame: false, rtpTimestamp: 200),
        ])
    }

    @Test func duplicatesAndStragglersAreIgnored() {
        var sender = Sender()
        var receiver = VP8Depacketizer()
        let a = deltaFrame(count: 1400, fill: 1)
        let packets = sender.send(a)
        var frames: [VP8Frame] = []
        for packet in [packets[0], packets[0], packets[1], packets[0], packets[2]] { frames += receiver.push(packet) }
        #expect(frames.map(\.data) == [a])
        #expect(receiver.droppedFrameCount == 0)
    }

    @Test func badDescriptorBreaksTheFrame() {
        var receiver = VP8Depacketizer()
        let start = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 5, ssrc: 1, payload: [0x10, 0x00, 1])
        let empty = RTPPacket(marker: true, payloadType: 96, sequenceNumber: 2, timestamp: 5, ssrc: 1, payload: [])
        #expect(receiver.push(start).isEmpty)
        #expect(receiver.push(empty).isEmpty)
        #expect(receiver.droppedFrameCount == 1)
    }
}

@Suite struct VP8DepacketizerLimitTests {
    @Test func oversizedFramesAreDropped() {
        var receiver = VP8Depacketizer(maxFrameSize: 100)
        func packet(_ seq: UInt16, _ ts: UInt32, start: Bool, marker: Bool) -> RTPPacket {
            RTPPacket(marker: marker, payloadType: 96, sequenceNumber: seq, timestamp: ts, ssrc: 1,
                      payload: [start ? 0x10 : 0x00] + Array(repeating: 0, count: 60))
        }
        #expect(receiver.push(packet(1, 10, start: true, marker: false)).isEmpty)
        #expect(receiver.push(packet(2, 10, start: false, marker: true)).isEmpty) // 120 > 100
        #expect(receiver.droppedFrameCount == 1)
        #expect(receiver.push(packet(3, 20, start: true, marker: true)).map(\.data.count) == [60])
    }
}
