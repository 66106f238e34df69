extension SIPRequest {
    /// The wire form: request line, header fields, a correct Content-Length, CRLF line ends, body.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headers.estimatedSize + body.count + 64)
        out.append(contentsOf: method.rawValue.utf8)
        out.append(SIPCharacter.space)
        out.append(contentsOf: requestURI.description.utf8)
        out.append(contentsOf: " SIP/2.0\r\n".utf8)
        headers.serialize(into: &out, bodyCount: body.count)
        out.append(contentsOf: body)
        return out
    }
}
