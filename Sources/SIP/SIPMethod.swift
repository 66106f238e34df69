/// A SIP request method (RFC 3261 §7.1, §27.4). Methods are case-sensitive tokens, so "invite"
/// is an extension method and not INVITE.
public enum SIPMethod: Sendable, Hashable, CustomStringConvertible {
    case invite, ack, bye, cancel, options, register
    /// RFC 3428.
    case message
    /// RFC 6086.
    case info
    /// RFC 3311.
    case update
    /// RFC 3262.
    case prack
    /// RFC 6665.
    case subscribe, notify
    /// RFC 3515.
    case refer
    /// Any other token, kept exactly as received.
    case `extension`(String)

    /// Maps a method token to its case; anything not registered above is `.extension`.
    public init(_ token: some StringProtocol) {
        switch token {
        case "INVITE": self = .invite
        case "ACK": self = .ack
        case "BYE": self = .bye
        case "CANCEL": self = .cancel
        case "OPTIONS": self = .options
        case "REGISTER": self = .register
        case "MESSAGE": self = .message
        case "INFO": self = .info
        case "UPDATE": self = .update
        case "PRACK": self = .prack
        case "SUBSCRIBE": self = .subscribe
        case "NOTIFY": self = .notify
        case "REFER": self = .refer
        default: self = .extension(String(token))
        }
    }

    /// The token as it goes on the wire.
    public var rawValue: String {
        switch self {
        case .invite: "INVITE"
        case .ack: "ACK"
        case .bye: "BYE"
        case .cancel: "CANCEL"
        case .options: "OPTIONS"
        case .register: "REGISTER"
        case .message: "MESSAGE"
        case .info: "INFO"
        case .update: "UPDATE"
        case .prack: "PRACK"
        case .subscribe: "SUBSCRIBE"
        case .notify: "NOTIFY"
        case .refer: "REFER"
        case .extension(let token): token
        }
    }

    public var description: String { rawValue }

    /// `.extension("INVITE")` and `.invite` are the same method on the wire, so they compare equal.
    public static func == (lhs: SIPMethod, rhs: SIPMethod) -> Bool { lhs.rawValue == rhs.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// True for a non-empty token (RFC 3261 §25.1); constructed `.extension` values may not be.
    public var isValidToken: Bool {
        let utf8 = rawValue.utf8
        return !utf8.isEmpty && utf8.allSatisfy(SIPCharacter.isToken)
    }
}
