/// A cursor over the UTF-8 bytes of one header value. The typed header parsers share it so each
/// grammar rule is written once; it never reads outside `index..<end`.
struct SIPScanner {
    let bytes: [UInt8]
    var index: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.index = start
        self.end = end ?? bytes.count
    }

    init(_ text: some StringProtocol) {
        self.init(Array(text.utf8))
    }

    var isAtEnd: Bool { index >= end }

    var current: UInt8? { index < end ? bytes[index] : nil }

    /// Skips SP and HTAB (values are unfolded before they get here; CR and LF are skipped too so
    /// a value that still holds a fold parses the same way).
    mutating func skipWhitespace() {
        while index < end {
            let c = bytes[index]
            guard c == SIPCharacter.space || c == SIPCharacter.tab || c == SIPCharacter.cr || c == SIPCharacter.lf else { return }
            index += 1
        }
    }

    mutating func consume(_ c: UInt8) -> Bool {
        guard index < end, bytes[index] == c else { return false }
        index += 1
        return true
    }

    /// The longest non-empty run of bytes matching `predicate`, or nil.
    mutating func scan(while predicate: (UInt8) -> Bool) -> Range<Int>? {
        let start = index
        while index < end, predicate(bytes[index]) { index += 1 }
        return index > start ? start..<index : nil
    }

    mutating func scanToken() -> Range<Int>? { scan(while: SIPCharacter.isToken) }

    /// A quoted-string including its quotes; nil if the scanner is not at a quote, throws if the
    /// closing quote is missing (RFC 4475 §3.1.2.6).
    mutating func scanQuotedString() throws(SIPParseError) -> Range<Int>? {
        guard index < end, bytes[index] == SIPCharacter.quote else { return nil }
        let start = index
        index += 1
        while index < end {
            let c = bytes[index]
            if c == SIPCharacter.backslash {
                index += 2
                continue
            }
            index += 1
            if c == SIPCharacter.quote { return start..<index }
        }
        index = end
        throw .invalidHeader(reason: "Unterminated Quoted String")
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    var remainder: String { string(index..<max(index, end)) }

    /// Decimal digits only, with overflow checked; nil for anything else.
    static func decimal<T: FixedWidthInteger & UnsignedInteger>(_ bytes: [UInt8], _ range: Range<Int>, as _: T.Type) -> T? {
        guard !range.isEmpty else { return nil }
        var value: T = 0
        for i in range {
            let c = bytes[i]
            guard SIPCharacter.isDigit(c) else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(T(c &- 0x30))
            guard !o1, !o2 else { return nil }
            value = sum
        }
        return value
    }

    /// Decimal text to an integer type, nil on anything but digits or on overflow.
    static func decimal<T: FixedWidthInteger & UnsignedInteger>(_ text: some StringProtocol, as type: T.Type) -> T? {
        let bytes = Array(text.utf8)
        return decimal(bytes, 0..<bytes.count, as: type)
    }

    /// delta-seconds (RFC 3261 §20.19, §20.10): digits only; values past 2^32−1 are clamped to it
    /// rather than rejected, as RFC 4475 §3.1.2.4 expects of a lenient receiver.
    static func clampedDeltaSeconds(_ text: some StringProtocol) -> UInt32? {
        var scanner = SIPScanner(text)
        scanner.skipWhitespace()
        guard let digits = scanner.scan(while: SIPCharacter.isDigit) else { return nil }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { return nil }
        return decimal(scanner.bytes, digits, as: UInt32.self) ?? UInt32.max
    }
}
