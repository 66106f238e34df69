extension SIPHeaders {
    /// Splits a list value at commas outside quoted strings (with \-escapes) and outside <...>,
    /// trimming each element and dropping empty ones.
    static func splitList(_ value: String, into result: inout [String]) {
        let bytes = Array(value.utf8)
        var start = 0
        var inQuotes = false
        var angleDepth = 0
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if inQuotes {
                if c == SIPCharacter.backslash {
                    i += 1
                } else if c == SIPCharacter.quote {
                    inQuotes = false
                }
            } else {
                switch c {
                case SIPCharacter.quote: inQuotes = true
                case SIPCharacter.lessThan: angleDepth += 1
                case SIPCharacter.greaterThan: if angleDepth > 0 { angleDepth -= 1 }
                case SIPCharacter.comma where angleDepth == 0:
                    appendTrimmed(bytes, start..<i, to: &result)
                    start = i + 1
                default: break
                }
            }
            i += 1
        }
        appendTrimmed(bytes, start..<bytes.count, to: &result)
    }

    private static func appendTrimmed(_ bytes: [UInt8], _ range: Range<Int>, to result: inout [String]) {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, SIPCharacter.isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, SIPCharacter.isWhitespace(bytes[upper - 1]) { upper -= 1 }
        if lower < upper { result.append(String(decoding: bytes[lower..<upper], as: UTF8.self)) }
    }
}
