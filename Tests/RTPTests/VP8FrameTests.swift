import Testing
@testable import RTP

@Suite struct VP8FrameTests {
    /// A key frame header built from RFC 6386 §9.1: frame tag with key_frame=0, version 0,
    /// show_frame=1, first_part_size=100 (0x10 | 100 << 5 = 0x000C90, little-endian), start code
    /// 9d 01 2a, width 640 (0x0280) and height 480 (0x01E0), little-endian, scale 0.
    let keyFrameHeader: [UInt8] = [0x90, 0x0C, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]

    @Test func detectsAKeyFrameAndReadsItsSize() throws {
        #expect(VP8Frame.isKeyFrame(keyFrameHeader))
        let size = try #require(VP8Frame.dimensions(ofKeyFrame: keyFrameHeader))
        #expect(size.width == 640)
        #expect(size.height == 480)
    }

    @Test func scalingBitsAreNotPartOfTheSize() throws {
        var scaled = keyFrameHeader
        scaled[7] |= 0x40 // horizontal scale 1
        scaled[9] |= 0xC0 // vertical scale 3
        let size = try #require(VP8Frame.dimensions(ofKeyFrame: scaled))
        #expect(size.width == 640)
        #expect(size.height == 480)
    }

    @Test func interFramesAndJunkAreNotKeyFrames() {
        var inter = keyFrameHeader
        inter[0] |= 0x01
        #expect(!VP8Frame.isKeyFrame(inter))
        #expect(VP8Frame.dimensions(ofKeyFrame: inter) == nil)
        #expect(!VP8Frame.isKeyFrame([]))
        var badStartCode = keyFrameHeader
        badStartCode[4] = 0x02
        #expect(VP8Frame.dimensions(ofKeyFrame: badStartCode) == nil)
        #expect(VP8Frame.dimensions(ofKeyFrame: Array(keyFrameHeader.prefix(9))) == nil)
    }

    @Test func depacketizerFlagsKeyFramesFromTheFirstPayloadOctet() {
        var packetizer = VP8Packetizer(initialPictureID: 0)
        var stream = RTPStream(ssrc: 1, payloadType: 96, clockRate: 90_000, initialSequence: 0, initialTimestamp: 0)
        var receiver = VP8Depacketizer()
        var inter = keyFrameHeader
        inter[0] = 0x91
        let packets = stream.packets(for: packetizer.payloads(for: keyFrameHeader), timestamp: 0)
            + stream.packets(for: packetizer.payloads(for: inter), timestamp: 3000)
        let frames = packets.flatMap { receiver.push($0) }
        #expect(frames.map(\.isKeyFrame) == [true, false])
    }
}
