extension SIPRequest {
    /// The ACK a UAC transaction sends for a non-2xx final response to this INVITE (RFC 3261
    /// §17.1.1.3): same Request-URI, Call-ID, From, CSeq number and top Via (so it matches the
    /// INVITE's transaction), To from the response (with its tag), the INVITE's Route set, no
    /// body. Nil when this is not an INVITE or its headers are missing.
    public func ackForNonSuccessResponse(_ response: SIPResponse) -> SIPRequest? {
        guard method == .invite, let to = response.headers["To"] ?? headers["To"],
              let ack = sameTransactionHeaders(method: .ack, to: to) else { return nil }
        return SIPRequest(method: .ack, requestURI: requestURI, headers: ack)
    }

    /// The CANCEL for this pending request (RFC 3261 §9.1): same Request-URI, Call-ID, To,
    /// From, CSeq number and top Via, the Route set, no body. Nil for ACK and CANCEL themselves.
    public func cancel() -> SIPRequest? {
        guard method != .ack, method != .cancel, let to = headers["To"],
              let cancel = sameTransactionHeaders(method: .cancel, to: to) else { return nil }
        return SIPRequest(method: .cancel, requestURI: requestURI, headers: cancel)
    }

    /// The headers ACK and CANCEL copy from the request they follow: its top Via (only the first
    /// via-parm of that field is this UAC's), From, Call-ID, the CSeq number with `method`, the Route
    /// set; `to` as given.
    private func sameTransactionHeaders(method: SIPMethod, to: String) -> SIPHeaders? {
        guard let cseq, let topVia = headers["Via"], let callID = headers["Call-ID"], let from = headers["From"] else { return nil }
        var copied = SIPHeaders()
        copied.reserveCapacity(8)
        let firstVia = (try? SIPVia.parseList(topVia).first.map(\.description)) ?? nil
        copied.add("Via", firstVia ?? topVia)
        copied.add("Max-Forwards", "70")
        copied.add("From", from)
        copied.add("To", to)
        copied.add("Call-ID", callID)
        copied.add("CSeq", SIPCSeq(sequenceNumber: cseq.sequenceNumber, method: method).description)
        for route in headers.fieldValues("Route") { copied.add("Route", route) }
        return copied
    }
}
