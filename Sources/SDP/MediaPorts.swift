/// Local RTP ports by role. Without rtcp-mux, RTCP uses port + 1, so callers should keep that free.
public struct MediaPorts: Sendable, Hashable {
    public var audio: UInt16
    public var video: UInt16
    /// Nil: content (slides) is not offered, and an offered content line is rejected.
    public var content: UInt16?

    public init(audio: UInt16, video: UInt16, content: UInt16? = nil) {
        self.audio = audio
        self.video = video
        self.content = content
    }

    public subscript(role: MediaRole) -> UInt16? {
        switch role {
        case .audio: audio
        case .video: video
        case .content: content
        }
    }
}
