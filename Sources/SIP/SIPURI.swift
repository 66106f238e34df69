/// A SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966). Components are kept as they were written,
/// escapes included, so a parsed URI serializes to the same text; `isEquivalent(to:)` compares
/// them the way RFC 3261 §19.1.4 asks. Parsing is in `SIPURI+Parsing.swift`.
public struct SIPURI: Sendable, Hashable, CustomStringConvertible {
    public var scheme: SIPURIScheme
    /// The user part, escapes kept ("sips%3Auser%40example.com"); the number for tel: URIs.
    public var user: String?
    public var password: String?
    /// A host name, IPv4 address or IPv6 address. IPv6 is stored without brackets; `description`
    /// adds them back. Empty for tel: URIs.
    public var host: String
    public var port: UInt16?
    /// uri-parameters in order; look them up with case-insensitive names.
    public var parameters: SIPParameters
    /// The `?a=b&c=d` part; RFC 3261 §19.1.5 forbids it in a Request-URI.
    public var headers: [SIPURIHeader]

    public init(
        scheme: SIPURIScheme = .sip,
        user: String? = nil,
        password: String? = nil,
        host: String,
        port: UInt16? = nil,
        parameters: SIPParameters = [],
        headers: [SIPURIHeader] = []
    ) {
        self.scheme = scheme
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = headers
    }

    /// True when `host` is an IPv6 address (written in brackets on the wire).
    public var hostIsIPv6: Bool { host.utf8.contains(SIPCharacter.colon) }

    /// `host` as it goes on the wire: IPv6 in brackets.
    public var hostReference: String { hostIsIPv6 ? "[" + host + "]" : host }

    /// `host[:port]`.
    public var hostPort: String {
        if let port { return hostReference + ":" + String(port) }
        return hostReference
    }

    /// The `transport` parameter (udp, tcp, tls, sctp, ws...) as written.
    public var transport: String? {
        get { parameters["transport"] }
        set { parameters["transport"] = newValue }
    }

    /// The `lr` parameter: a loose router (RFC 3261 §16.12.1.1).
    public var isLooseRouter: Bool {
        get { parameters.contains("lr") }
        set { if newValue { parameters.set("lr", value: nil) } else { parameters.remove("lr") } }
    }

    public var maddr: String? {
        get { parameters["maddr"] }
        set { parameters["maddr"] = newValue }
    }

    /// The `user` parameter ("phone", "ip"), not the user part.
    public var userParameter: String? {
        get { parameters["user"] }
        set { parameters["user"] = newValue }
    }

    public var ttl: UInt8? { parameters["ttl"].flatMap { SIPScanner.decimal($0, as: UInt8.self) } }

    public var description: String {
        var text = scheme.rawValue
        text += ":"
        if scheme == .tel {
            text += user ?? ""
            text += parameters.description
            return text
        }
        if let user {
            text += user
            if let password {
                text += ":"
                text += password
            }
            text += "@"
        }
        text += hostReference
        if let port {
            text += ":"
            text += String(port)
        }
        if !parameters.isEmpty { text += parameters.description }
        if !headers.isEmpty {
            text += "?"
            for (index, header) in headers.enumerated() {
                if index > 0 { text += "&" }
                text += header.name
                text += "="
                text += header.value
            }
        }
        return text
    }
}
