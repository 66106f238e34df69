extension SIPRequest {
    /// The ACK a UAC transaction sends for a non-2xx final response to this INVITE (RFC 3261
    /// §17.1.1.3): same Request-URI, Call-ID, From, CSeq number and top Via (so it matches the
    /// INVITE's transaction), To from the response (with its tag), the INVITE's Route set, no
    /// body. Nil when this is not an INVITE or its headers are missing.
    public func ackForNonSuccessResponse(_ response: SIPResponse) -> SIPRequest? {
        guard method == .invite, let cseq, let topVia = headers["Via"],
              let callID = headers["Call-ID"], let from = headers["From"],
              let to = response.headers["To"] ?? headers["To"]
        else { return nil }
        var ack = SIPHeaders()
        ack.reserveCapacity(8)
        // The top Via field may list several via-parms; only the first is this UAC's.
        let firstVia = (try? SIPVia.parseList(topVia).first.map(\.description)) ?? nil
        ack.add("Via", firstVia ?? topVia)
        ack.add("Max-Forwards", "70")
        ack.add("From", from)
        ack.add("To", to)
        ack.add("Call-ID", callID)
        ack.add("CSeq", SIPCSeq(sequenceNumber: cseq.sequenceNumber, method: .ack).description)
        for route in headers.fieldValues("Route") { ack.add("Route", route) }
        return SIPRequest(method: .ack, requestURI: requestURI, headers: ack)
    }

    /// The CANCEL for this pending request (RFC 3261 §9.1): same Request-URI, Call-ID, To,
    /// From, CSeq number and top Via, the Route set, no body. Nil for ACK and CANCEL themselves.
    public func cancel() -> SIPRequest? {
        guard method != .ack, method != .cancel, let cseq, let topVia = headers["Via"],
              let callID = headers["Call-ID"], let from = headers["From"], let to = headers["To"]
        else { return nil }
        var cancel = SIPHeaders()
        cancel.reserveCapacity(8)
        let firstVia = (try? SIPVia.parseList(topVia).first.map(\.description)) ?? nil
        cancel.add("Via", firstVia ?? topVia)
        cancel.add("Max-Forwards", "70")
        cancel.add("From", from)
        cancel.add("To", to)
        cancel.add("Call-ID", callID)
        cancel.add("CSeq", SIPCSeq(sequenceNumber: cseq.sequenceNumber, method: .cancel).description)
        for route in headers.fieldValues("Route") { cancel.add("Route", route) }
        return SIPRequest(method: .cancel, requestURI: requestURI, headers: cancel)
    }
}
