/// Where systemd listens for a service's notifications: `$NOTIFY_SOCKET`, a filesystem path
/// (`/run/systemd/notify`) or a Linux abstract socket name written with a leading `@`.
public struct NotifySocketAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case path
        case abstract
    }

    public let kind: Kind
    /// The path, or the abstract name without its `@`.
    public let name: String

    /// sun_path holds 108 bytes; a path needs its terminating NUL, an abstract name its leading one.
    static let maximumLength = 107

    /// Parses `$NOTIFY_SOCKET` as sd_notify does: `/…` is a path, `@…` an abstract name; anything else
    /// (empty, relative, `vsock:` which this systemd does not speak) is refused.
    public init(_ text: String) throws(SystemdEnvironmentProblem) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "/") || bytes[0] == UInt8(ascii: "@") else {
            throw .badNotifySocket(text, "neither an absolute path nor an @abstract name")
        }
        guard bytes.count <= Self.maximumLength else {
            throw .badNotifySocket(text, "longer than \(Self.maximumLength) bytes")
        }
        guard !bytes.contains(0) else { throw .badNotifySocket(text, "contains a NUL byte") }
        if bytes[0] == UInt8(ascii: "@") {
            kind = .abstract
            name = String(text.dropFirst())
        } else {
            kind = .path
            name = text
        }
    }

    public var description: String { kind == .abstract ? "@\(name)" : name }
}
