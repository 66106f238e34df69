/// A name-addr or addr-spec with header parameters: the value of From, To, Contact, Route,
/// Record-Route, Reply-To, Refer-To (RFC 3261 §20.10, §25.1). `parameters` are the header's
/// (tag, expires, q, ...); the URI's own parameters stay inside `uri`.
public struct SIPNameAddress: Sendable, Hashable, CustomStringConvertible {
    /// The display name without quotes or \-escapes; nil when there is none.
    public var displayName: String?
    public var uri: SIPURI
    public var parameters: SIPParameters

    public init(displayName: String? = nil, uri: SIPURI, parameters: SIPParameters = []) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
    }

    /// The dialog tag of From and To (RFC 3261 §19.3).
    public var tag: String? {
        get { parameters["tag"] }
        set { parameters["tag"] = newValue }
    }

    /// Who this address names, for people: the display name, else the URI's user part ("Anna Smith",
    /// "support"); nil when there is neither.
    public var senderName: String? {
        if let name = displayName?.trimmingPrefix(while: \.isWhitespace), !name.isEmpty { return String(name) }
        return uri.user.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A Contact's expires parameter (RFC 3261 §20.10); values past 2^32−1 are clamped to it.
    public var expires: UInt32? {
        get {
            guard let value = parameters["expires"] else { return nil }
            return SIPScanner.clampedDeltaSeconds(value)
        }
        set { parameters["expires"] = newValue.map { String($0) } }
    }

    /// A Contact's q parameter (0...1), nil when absent or not a number.
    public var q: Double? {
        guard let value = parameters["q"], let number = Double(value), (0...1).contains(number) else { return nil }
        return number
    }

    /// Always written in name-addr form (`"Name" <uri>;params`): angle brackets are required once
    /// the URI has parameters or headers, and harmless otherwise.
    public var description: String {
        var text = ""
        if let displayName {
            text += Self.quoted(displayName)
            text += " "
        }
        text += "<"
        text += uri.description
        text += ">"
        text += parameters.description
        return text
    }

    /// A quoted-string: '"' and '\' and controls escaped as quoted-pairs, CR/LF (which cannot
    /// be escaped) replaced by spaces.
    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = [SIPCharacter.quote]
        bytes.reserveCapacity(text.utf8.count + 2)
        for c in text.utf8 {
            switch c {
            case SIPCharacter.cr, SIPCharacter.lf:
                bytes.append(SIPCharacter.space)
            case SIPCharacter.quote, SIPCharacter.backslash, 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F:
                bytes.append(SIPCharacter.backslash)
                bytes.append(c)
            default:
                bytes.append(c)
            }
        }
        bytes.append(SIPCharacter.quote)
        return String(decoding: bytes, as: UTF8.self)
    }
}
