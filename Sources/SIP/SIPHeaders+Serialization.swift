extension SIPHeaders {
    /// Writes the fields and the empty line. The first Content-Length field gets the body's real
    /// length (others are dropped), or one is appended: a stale length would desynchronize a
    /// stream peer (RFC 3261 §18.3).
    func serialize(into out: inout [UInt8], bodyCount: Int) {
        var wroteLength = false
        for field in fields {
            if field.key == "content-length" {
                if wroteLength { continue }
                wroteLength = true
                append(field.name, String(bodyCount), to: &out)
            } else {
                append(field.name, field.value, to: &out)
            }
        }
        if !wroteLength { append("Content-Length", String(bodyCount), to: &out) }
        out.append(SIPCharacter.cr)
        out.append(SIPCharacter.lf)
    }

    /// A rough size for reserving capacity.
    var estimatedSize: Int {
        var size = 24
        for field in fields { size += field.name.utf8.count + field.value.utf8.count + 4 }
        return size
    }

    private func append(_ name: String, _ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(SIPCharacter.colon)
        out.append(SIPCharacter.space)
        let utf8 = value.utf8
        if utf8.contains(where: { $0 == SIPCharacter.cr || $0 == SIPCharacter.lf }) {
            // A raw line break would end the field early (header injection); RFC 3261 §7.3.1
            // makes a fold equal to one SP, so that is what goes out instead.
            out.append(contentsOf: utf8.lazy.map { $0 == SIPCharacter.cr || $0 == SIPCharacter.lf ? SIPCharacter.space : $0 })
        } else {
            out.append(contentsOf: utf8)
        }
        out.append(SIPCharacter.cr)
        out.append(SIPCharacter.lf)
    }
}
