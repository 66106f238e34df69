/// Typed views of the header fields every SIP message has. They parse on each call (the text
/// stays the single source of truth when headers are edited) and return nil or [] for absent or
/// malformed fields; the message parser has already rejected requests with malformed ones.
public protocol SIPHeaderBearing {
    var headers: SIPHeaders { get set }
    var body: [UInt8] { get set }
}

extension SIPHeaderBearing {
    public var callID: String? { headers["Call-ID"] }

    public var cseq: SIPCSeq? { headers["CSeq"].flatMap { try? SIPCSeq(parsing: $0) } }

    public var from: SIPNameAddress? { headers["From"].flatMap { try? SIPNameAddress(parsing: $0) } }

    public var to: SIPNameAddress? { headers["To"].flatMap { try? SIPNameAddress(parsing: $0) } }

    /// Every via-parm of every Via field, top first.
    public var vias: [SIPVia] {
        headers.fieldValues("Via").flatMap { (try? SIPVia.parseList($0)) ?? [] }
    }

    public var topVia: SIPVia? {
        headers["Via"].flatMap { try? SIPVia.parseList($0).first }
    }

    /// The Contact addresses; empty for `Contact: *` (see `isWildcardContact`).
    public var contacts: [SIPNameAddress] { addresses("Contact") }

    /// `Contact: *` (RFC 3261 §10.2.2, removing all bindings).
    public var isWildcardContact: Bool {
        headers.fieldValues("Contact").contains { $0 == "*" }
    }

    public var routes: [SIPNameAddress] { addresses("Route") }

    public var recordRoutes: [SIPNameAddress] { addresses("Record-Route") }

    public var maxForwards: UInt8? {
        headers["Max-Forwards"].flatMap { SIPScanner.decimal($0, as: UInt8.self) }
    }

    /// The Content-Length field as written (the serializer writes the body's real length).
    public var contentLength: Int? {
        headers["Content-Length"].flatMap { SIPScanner.decimal($0, as: UInt32.self) }.map(Int.init)
    }

    public var contentType: SIPMediaType? {
        headers["Content-Type"].flatMap { try? SIPMediaType(parsing: $0) }
    }

    /// The Expires header in seconds, clamped to 2^32−1.
    public var expires: UInt32? { headers["Expires"].flatMap { SIPScanner.clampedDeltaSeconds($0) } }

    private func addresses(_ name: String) -> [SIPNameAddress] {
        headers.fieldValues(name).flatMap { value -> [SIPNameAddress] in
            if value == "*" { return [] }
            return (try? SIPNameAddress.parseList(value)) ?? []
        }
    }
}
