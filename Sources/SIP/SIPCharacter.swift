/// Byte classes from the RFC 3261 §25.1 grammar. Written as switches rather than lookup tables so
/// the optimizer turns them into range checks with no lazily initialized global behind them.
enum SIPCharacter {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let comma: UInt8 = 0x2C
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let lessThan: UInt8 = 0x3C
    static let greaterThan: UInt8 = 0x3E
    static let slash: UInt8 = 0x2F
    static let at: UInt8 = 0x40
    static let question: UInt8 = 0x3F
    static let ampersand: UInt8 = 0x26
    static let percent: UInt8 = 0x25
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D

    @inline(__always) static func isWhitespace(_ c: UInt8) -> Bool { c == space || c == tab }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }

    @inline(__always) static func isAlphanumeric(_ c: UInt8) -> Bool { isAlpha(c) || isDigit(c) }

    @inline(__always) static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 0x61 < 6 }

    /// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    @inline(__always) static func isToken(_ c: UInt8) -> Bool {
        if isAlphanumeric(c) { return true }
        switch c {
        case 0x2D, 0x2E, 0x21, 0x25, 0x2A, 0x5F, 0x2B, 0x60, 0x27, 0x7E: return true
        default: return false
        }
    }

    /// unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
    @inline(__always) static func isUnreserved(_ c: UInt8) -> Bool {
        if isAlphanumeric(c) { return true }
        switch c {
        case 0x2D, 0x5F, 0x2E, 0x21, 0x7E, 0x2A, 0x27, 0x28, 0x29: return true
        default: return false
        }
    }

    /// user = 1*( unreserved / escaped / user-unreserved ); "%" is checked by the caller.
    @inline(__always) static func isUserChar(_ c: UInt8) -> Bool {
        if isUnreserved(c) { return true }
        switch c {
        case 0x26, 0x3D, 0x2B, 0x24, 0x2C, 0x3B, 0x3F, 0x2F: return true
        default: return false
        }
    }

    /// password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
    @inline(__always) static func isPasswordChar(_ c: UInt8) -> Bool {
        if isUnreserved(c) { return true }
        switch c {
        case 0x26, 0x3D, 0x2B, 0x24, 0x2C: return true
        default: return false
        }
    }

    /// paramchar = param-unreserved / unreserved / escaped; param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"
    @inline(__always) static func isParamChar(_ c: UInt8) -> Bool {
        if isUnreserved(c) { return true }
        switch c {
        case 0x5B, 0x5D, 0x2F, 0x3A, 0x26, 0x2B, 0x24: return true
        default: return false
        }
    }

    /// hnv-unreserved / unreserved: "[" / "]" / "/" / "?" / ":" / "+" / "$"
    @inline(__always) static func isURIHeaderChar(_ c: UInt8) -> Bool {
        if isUnreserved(c) { return true }
        switch c {
        case 0x5B, 0x5D, 0x2F, 0x3F, 0x3A, 0x2B, 0x24: return true
        default: return false
        }
    }

    /// Host names and IPv4 literals. "_" is not in the grammar but turns up in real deployments.
    @inline(__always) static func isHostChar(_ c: UInt8) -> Bool {
        isAlphanumeric(c) || c == 0x2D || c == 0x2E || c == 0x5F
    }

    /// Inside an IPv6 reference: hex digits, ":" and "." (for an embedded IPv4 tail).
    @inline(__always) static func isIPv6Char(_ c: UInt8) -> Bool { isHex(c) || c == colon || c == 0x2E }

    /// tel: URI subscriber numbers: digits, visual separators, "+", "*", "#" and hex for local numbers.
    @inline(__always) static func isTelChar(_ c: UInt8) -> Bool {
        if isAlphanumeric(c) { return true }
        switch c {
        case 0x2B, 0x2D, 0x2E, 0x28, 0x29, 0x2A, 0x23: return true
        default: return false
        }
    }

    /// gen-value = token / host / quoted-string. Hosts bring ":" "[" "]"; a few more show up in
    /// the wild (URNs, paths), so values accept them rather than reject a usable message.
    @inline(__always) static func isParameterValueChar(_ c: UInt8) -> Bool {
        if isToken(c) { return true }
        switch c {
        case 0x3A, 0x5B, 0x5D, 0x2F, 0x40, 0x3F, 0x26, 0x24, 0x23, 0x28, 0x29: return true
        default: return false
        }
    }

    @inline(__always) static func lowercased(_ c: UInt8) -> UInt8 { isAlpha(c) ? c | 0x20 : c }

    @inline(__always) static func hexValue(_ c: UInt8) -> UInt8 {
        isDigit(c) ? c &- 0x30 : (c | 0x20) &- 0x61 &+ 10
    }
}
