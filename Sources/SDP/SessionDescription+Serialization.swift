extension SessionDescription: CustomStringConvertible {
    /// The body in RFC 8866 line order with CRLF line ends. Values are written as held; a value
    /// containing a line break would produce extra lines, so callers building SDP must not put one in.
    public func serialized() -> String {
        var out = ""
        func line(_ type: String, _ value: String) {
            out += type
            out += "="
            out += value
            out += "\r\n"
        }
        line("v", String(version))
        line("o", [origin.username, String(origin.sessionID), String(origin.sessionVersion),
                   origin.networkType, origin.addressType, origin.address].joined(separator: " "))
        line("s", sessionName)
        if let information { line("i", information) }
        if let uri { line("u", uri) }
        for email in emails { line("e", email) }
        for phone in phones { line("p", phone) }
        if let connection { line("c", Self.text(connection)) }
        for bandwidth in bandwidths { line("b", "\(bandwidth.type):\(bandwidth.value)") }
        for timing in times {
            line("t", "\(timing.start) \(timing.stop)")
            for repeatLine in timing.repeats { line("r", repeatLine) }
        }
        if let timeZones { line("z", timeZones) }
        if let encryptionKey { line("k", encryptionKey) }
        for attribute in attributes { line("a", Self.text(attribute)) }
        for item in media {
            var mediaLine = item.mediaType + " " + String(item.port)
            if let count = item.portCount { mediaLine += "/" + String(count) }
            mediaLine += " " + item.transportProtocol
            for format in item.formats { mediaLine += " " + format }
            line("m", mediaLine)
            if let information = item.information { line("i", information) }
            if let connection = item.connection { line("c", Self.text(connection)) }
            for bandwidth in item.bandwidths { line("b", "\(bandwidth.type):\(bandwidth.value)") }
            if let key = item.encryptionKey { line("k", key) }
            for attribute in item.attributes { line("a", Self.text(attribute)) }
        }
        return out
    }

    public func serializedBytes() -> [UInt8] { Array(serialized().utf8) }

    public var description: String { serialized() }

    private static func text(_ connection: SDPConnection) -> String {
        "\(connection.networkType) \(connection.addressType) \(connection.address)"
    }

    private static func text(_ attribute: SDPAttribute) -> String {
        attribute.value.map { attribute.name + ":" + $0 } ?? attribute.name
    }
}
