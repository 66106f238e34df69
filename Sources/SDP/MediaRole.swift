/// What an m-line is for on the kiosk. A kiosk has at most one of each; further m-lines are rejected.
public enum MediaRole: String, Sendable, Hashable, CaseIterable {
    /// Two-way Opus.
    case audio
    /// The agent's camera (and the customer's, once the customer agrees).
    case video
    /// The agent's shared content: a second video m-line with `a=content:slides` (RFC 4796).
    case content

    /// The role an m-line would take, ignoring whether that role is already taken.
    public init?(_ media: MediaDescription) {
        switch media.mediaType.lowercased() {
        case "audio": self = .audio
        case "video": self = media.isSlides ? .content : .video
        default: return nil
        }
    }
}
