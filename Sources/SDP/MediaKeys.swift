/// SRTP master key + salt per role (30 octets each for AES_CM_128_HMAC_SHA1_80/32). The caller draws
/// them from a secure random source; this core only places them in the SDP.
public struct MediaKeys: Sendable, Hashable {
    public var audio: [UInt8]
    public var video: [UInt8]
    public var content: [UInt8]?

    public init(audio: [UInt8], video: [UInt8], content: [UInt8]? = nil) {
        self.audio = audio
        self.video = video
        self.content = content
    }

    /// For a plain-RTP (`.avp`) offer, which carries no keys.
    public static let none = MediaKeys(audio: [], video: [])

    public subscript(role: MediaRole) -> [UInt8]? {
        switch role {
        case .audio: audio
        case .video: video
        case .content: content
        }
    }
}
