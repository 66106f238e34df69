/// A complete encoded VP8 frame reassembled from RTP packets.
public struct VP8Frame: Sendable, Hashable {
    public var data: [UInt8]
    /// From the payload descriptor, if the sender included one.
    public var pictureID: UInt16?
    public var isKeyFrame: Bool
    public var rtpTimestamp: UInt32

    public init(data: [UInt8], pictureID: UInt16?, isKeyFrame: Bool, rtpTimestamp: UInt32) {
        self.data = data
        self.pictureID = pictureID
        self.isKeyFrame = isKeyFrame
        self.rtpTimestamp = rtpTimestamp
    }

    /// RFC 7741 §4.3 / RFC 6386 §9.1: the P bit (0x01) of the frame tag's first octet is 0 on key frames.
    public static func isKeyFrame(_ bitstream: [UInt8]) -> Bool {
        guard let first = bitstream.first else { return false }
        return first & 0x01 == 0
    }

    /// Width and height from a key frame header (RFC 6386 §9.1): a 3-octet frame tag, the start
    /// code 9d 01 2a, then 16-bit little-endian width and height whose top two bits are the scaling
    /// mode. Nil if `bitstream` is not a key frame or is too short.
    public static func dimensions(ofKeyFrame bitstream: [UInt8]) -> (width: Int, height: Int)? {
        guard bitstream.count >= 10, isKeyFrame(bitstream),
              bitstream[3] == 0x9D, bitstream[4] == 0x01, bitstream[5] == 0x2A else { return nil }
        let width = (Int(bitstream[7]) << 8 | Int(bitstream[6])) & 0x3FFF
        let height = (Int(bitstream[9]) << 8 | Int(bitstream[8])) & 0x3FFF
        return (width, height)
    }
}
