/// One via-parm of a Via header (RFC 3261 §20.42): protocol, transport, sent-by and parameters.
/// A Via header may carry several, comma-separated; `parseList(_:)` reads them all.
public struct SIPVia: Sendable, Hashable, CustomStringConvertible {
    /// "SIP" in practice.
    public var protocolName: String
    /// "2.0" in practice.
    public var protocolVersion: String
    /// "UDP", "TCP", "TLS", "SCTP", "WS", ... as written.
    public var transport: String
    /// sent-by host; IPv6 without brackets.
    public var host: String
    public var port: UInt16?
    public var parameters: SIPParameters

    public init(
        transport: String,
        host: String,
        port: UInt16? = nil,
        parameters: SIPParameters = [],
        protocolName: String = "SIP",
        protocolVersion: String = "2.0"
    ) {
        self.protocolName = protocolName
        self.protocolVersion = protocolVersion
        self.transport = transport
        self.host = host
        self.port = port
        self.parameters = parameters
    }

    /// The transaction id (RFC 3261 §8.1.1.7); RFC 3261 branches start with "z9hG4bK".
    public var branch: String? {
        get { parameters["branch"] }
        set { parameters["branch"] = newValue }
    }

    /// Where the request really came from, added by the receiver (RFC 3261 §18.2.1).
    public var received: String? {
        get { parameters["received"] }
        set { parameters["received"] = newValue }
    }

    /// RFC 3581: `;rport` asks for the source port, `;rport=N` reports it.
    public var rport: RPort? {
        get {
            guard let parameter = parameters.parameter(named: "rport") else { return nil }
            guard let value = parameter.value else { return .requested }
            return SIPScanner.decimal(value, as: UInt16.self).map(RPort.port)
        }
        set {
            switch newValue {
            case nil: parameters.remove("rport")
            case .requested: parameters.set("rport", value: nil)
            case .port(let port): parameters.set("rport", value: String(port))
            }
        }
    }

    public var maddr: String? {
        get { parameters["maddr"] }
        set { parameters["maddr"] = newValue }
    }

    public var ttl: UInt8? {
        get { parameters["ttl"].flatMap { SIPScanner.decimal($0, as: UInt8.self) } }
        set { parameters["ttl"] = newValue.map { String($0) } }
    }

    /// True for branches from RFC 3261 elements, which can be used as transaction ids.
    public var hasRFC3261Branch: Bool { branch?.hasPrefix("z9hG4bK") ?? false }

    /// `host[:port]`, IPv6 in brackets.
    public var sentBy: String {
        let reference = host.utf8.contains(SIPCharacter.colon) ? "[" + host + "]" : host
        if let port { return reference + ":" + String(port) }
        return reference
    }

    public var description: String {
        protocolName + "/" + protocolVersion + "/" + transport + " " + sentBy + parameters.description
    }
}
