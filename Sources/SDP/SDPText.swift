/// Small text helpers shared by the parsers. Numbers are parsed by hand because the standard
/// library's integer initializers accept a leading `+` or `-`, which SDP grammar does not.
enum SDPText {
    static func decimal<T: FixedWidthInteger>(_ text: Substring, as: T.Type = T.self) -> T? {
        guard !text.isEmpty else { return nil }
        var value: T = 0
        for byte in text.utf8 {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(T(byte - 0x30))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    // Splitting works on UTF-8 bytes, not Characters: a separator followed by a combining mark is one
    // Character, so Character-based splitting would see different fields in text that serializing
    // has re-joined, and a round trip would change the value.

    /// Fields separated by runs of spaces or tabs (RFC 8866 says one space; peers are looser).
    static func fields(_ text: Substring) -> [Substring] {
        var result: [Substring] = []
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            while index < utf8.endIndex, isBlank(utf8[index]) { index = utf8.index(after: index) }
            guard index < utf8.endIndex else { break }
            let fieldStart = index
            while index < utf8.endIndex, !isBlank(utf8[index]) { index = utf8.index(after: index) }
            result.append(Substring(utf8[fieldStart..<index]))
        }
        return result
    }

    static func fields(_ text: String) -> [Substring] { fields(text[...]) }

    static func trimmed(_ text: Substring) -> Substring {
        let utf8 = text.utf8
        var lower = utf8.startIndex
        var upper = utf8.endIndex
        while lower < upper, isBlank(utf8[lower]) { lower = utf8.index(after: lower) }
        while upper > lower, isBlank(utf8[utf8.index(before: upper)]) { upper = utf8.index(before: upper) }
        return Substring(utf8[lower..<upper])
    }

    /// Splits at the first occurrence of the ASCII `separator`; the second part is nil when absent.
    static func split(_ text: Substring, at separator: UInt8) -> (Substring, Substring?) {
        let utf8 = text.utf8
        guard let index = utf8.firstIndex(of: separator) else { return (text, nil) }
        return (Substring(utf8[..<index]), Substring(utf8[utf8.index(after: index)...]))
    }

    /// Splits at every ASCII `separator`, keeping empty parts.
    static func components(_ text: Substring, separatedBy separator: UInt8) -> [Substring] {
        var result: [Substring] = []
        var rest = text
        while true {
            let (head, tail) = split(rest, at: separator)
            result.append(head)
            guard let tail else { return result }
            rest = tail
        }
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static let colon = UInt8(ascii: ":")
    static let slash = UInt8(ascii: "/")
    static let semicolon = UInt8(ascii: ";")
    static let pipe = UInt8(ascii: "|")
    static let comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "=")
}
