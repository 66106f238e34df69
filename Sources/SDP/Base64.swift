/// Standard base64 (RFC 4648 §4, with padding) for SDES inline keys, so the core needs no Foundation.
/// Decoding is strict: a key that decodes loosely could differ from what the peer meant.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Nil unless the text is whole groups of four alphabet characters, with `=` only as the last
    /// one or two, and the bits the padding hides are zero (so each byte string has one encoding).
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var group = 0
        while group < chars.count {
            let isLast = group + 4 == chars.count
            let padding = isLast ? (chars[group + 3] == 0x3D ? (chars[group + 2] == 0x3D ? 2 : 1) : 0) : 0
            var sextets: [UInt8] = [0, 0, 0, 0]
            for offset in 0..<(4 - padding) {
                guard let value = sextet(chars[group + offset]) else { return nil }
                sextets[offset] = value
            }
            out.append(sextets[0] << 2 | sextets[1] >> 4)
            if padding < 2 { out.append(sextets[1] << 4 | sextets[2] >> 2) }
            if padding < 1 { out.append(sextets[2] << 6 | sextets[3]) }
            if padding == 2, sextets[1] & 0x0F != 0 { return nil }
            if padding == 1, sextets[2] & 0x03 != 0 { return nil }
            group += 4
        }
        return out
    }

    private static func sextet(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): char - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): char - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
