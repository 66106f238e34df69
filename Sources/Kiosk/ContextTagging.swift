/// How a deployment wants the kiosk's context on its INVITEs: which forms, which fields, how big.
/// Contact centers differ: Genesys reads at most 128 bytes of User-to-User and drops a request with two
/// of them; Cisco CVP keeps 210; FreeSWITCH and Asterisk read X- headers.
public struct ContextTagging: Sendable, Equatable {
    public var xHeaders: Bool
    public var userToUser: Bool
    /// The fields to send, most important first: User-to-User takes them in this order and leaves out
    /// each one that would take it past `userToUserMaxBytes`.
    public var fields: [KioskContext.Field]
    /// The largest User-to-User payload in bytes (before hex encoding).
    public var userToUserMaxBytes: Int
    /// RFC 7433's `purpose` parameter, when the contact center wants one (`isdn-uui`).
    public var userToUserPurpose: String?

    public init(xHeaders: Bool = true, userToUser: Bool = true, fields: [KioskContext.Field] = KioskContext.Field.allCases,
                userToUserMaxBytes: Int = 128, userToUserPurpose: String? = nil) {
        self.xHeaders = xHeaders
        self.userToUser = userToUser
        self.fields = fields
        self.userToUserMaxBytes = userToUserMaxBytes
        self.userToUserPurpose = userToUserPurpose
    }

    /// The headers to add to an INVITE, in order: one X- header per field with a value, then one
    /// User-to-User header (never two: some contact centers drop the request then).
    public func headers(for context: KioskContext) -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        if xHeaders {
            for field in fields {
                guard let value = context.value(of: field) else { continue }
                out.append((field.headerName, Self.headerSafe(value)))
            }
        }
        if userToUser, let payload = userToUserPayload(for: context) {
            var value = Self.hex(payload) + ";encoding=hex"
            if let purpose = userToUserPurpose { value += ";purpose=\(purpose)" }
            out.append(("User-to-User", value))
        }
        return out
    }

    /// `key=value;key=value` in UTF-8, fields in priority order, within `userToUserMaxBytes`: a field
    /// that does not fit is left out whole (a later, shorter one may still fit); if even the first does
    /// not fit, its value is cut at a character boundary (never inside a UTF-8 sequence).
    public func userToUserPayload(for context: KioskContext) -> [UInt8]? {
        var payload: [UInt8] = []
        for field in fields {
            guard let value = context.value(of: field) else { continue }
            let item = Array("\(field.rawValue)=\(Self.escaped(value))".utf8)
            let separator = payload.isEmpty ? 0 : 1
            if payload.count + separator + item.count <= userToUserMaxBytes {
                if separator == 1 { payload.append(UInt8(ascii: ";")) }
                payload += item
            } else if payload.isEmpty {
                payload = Self.prefix(of: item, maxBytes: userToUserMaxBytes)
            }
        }
        return payload.isEmpty ? nil : payload
    }

    /// Reads a payload back into field values (what a contact center's script does with it).
    public static func decodeUserToUser(_ headerValue: String) -> [String: String]? {
        let hexPart = headerValue.split(separator: ";").first.map(String.init) ?? ""
        guard let bytes = unhex(hexPart.trimmingCharacters(in: " ")) else { return nil }
        var fields: [String: String] = [:]
        for item in bytes.split(separator: UInt8(ascii: ";")) {
            guard let eq = item.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = String(decoding: item[item.startIndex..<eq], as: UTF8.self)
            fields[key] = unescaped(String(decoding: item[(eq + 1)...], as: UTF8.self))
        }
        return fields
    }

    // `;` and `=` separate fields, `%` escapes: those three are percent-escaped inside values.
    static func escaped(_ value: String) -> String {
        var out = ""
        for c in value.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case ";": out += "%3B"
            case "=": out += "%3D"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func unescaped(_ value: String) -> String {
        value.replacingAll("%3B", ";").replacingAll("%3D", "=").replacingAll("%25", "%")
    }

    /// Header values are UTF-8 text (RFC 3261 TEXT-UTF8); only control characters are replaced, so a
    /// value cannot break the message's lines.
    static func headerSafe(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    static func prefix(of bytes: [UInt8], maxBytes: Int) -> [UInt8] {
        guard bytes.count > maxBytes else { return bytes }
        var end = maxBytes
        // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(bytes[0..<end])
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unhex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    func trimmingCharacters(in char: Character) -> String {
        var s = Substring(self)
        while s.first == char { s = s.dropFirst() }
        while s.last == char { s = s.dropLast() }
        return String(s)
    }
}
