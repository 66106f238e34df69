extension SIPResponse {
    /// The wire form: status line, header fields, a correct Content-Length, CRLF line ends, body.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headers.estimatedSize + body.count + 64)
        out.append(contentsOf: "SIP/2.0 ".utf8)
        out.append(contentsOf: String(statusCode).utf8)
        out.append(SIPCharacter.space)
        // CR and LF would end the status line early; nothing else in a reason phrase can.
        out.append(contentsOf: reasonPhrase.utf8.lazy.map { $0 == SIPCharacter.cr || $0 == SIPCharacter.lf ? SIPCharacter.space : $0 })
        out.append(SIPCharacter.cr)
        out.append(SIPCharacter.lf)
        headers.serialize(into: &out, bodyCount: body.count)
        out.append(contentsOf: body)
        return out
    }
}
