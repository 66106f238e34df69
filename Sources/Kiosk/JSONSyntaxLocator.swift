/// Finds where a JSON text stops being JSON, as line and column, for the one error line a technician
/// reads when the configuration does not parse (the decoder only says that it failed, not where).
/// It follows RFC 8259's grammar just far enough to place the first mistake; parsing proper is left to
/// JSONDecoder.
struct JSONSyntaxLocator {
    struct Problem: Error, Equatable, CustomStringConvertible {
        var line: Int
        var column: Int
        var message: String
        var description: String { "line \(line), column \(column): \(message)" }
    }

    private let bytes: [UInt8]
    private var index = 0

    /// The first syntax error in `bytes`, or nil if the grammar holds.
    static func locate(_ bytes: [UInt8]) -> Problem? {
        var locator = JSONSyntaxLocator(bytes: bytes)
        do throws(Problem) {
            try locator.value(depth: 0)
            locator.skipSpace()
            if locator.index < bytes.count { throw locator.problem("unexpected text after the end") }
            return nil
        } catch {
            return error
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func problem(_ message: String) -> Problem {
        var line = 1, column = 1
        for b in bytes[0..<min(index, bytes.count)] {
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return Problem(line: line, column: column, message: message)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func describeCurrent() -> String {
        guard let c = current else { return "the file ends" }
        guard c >= 0x20 && c < 0x7F else { return "unexpected byte \(c)" }
        let shown = Character(Unicode.Scalar(c))
        return shown == "\"" ? "unexpected '\"'" : "unexpected \"\(shown)\""
    }

    private mutating func skipSpace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { index += 1 }
    }

    private mutating func expect(_ c: Character, _ what: String) throws(Problem) {
        skipSpace()
        guard current == c.asciiValue else { throw problem("\(describeCurrent()), expected \(what)") }
        index += 1
    }

    private mutating func value(depth: Int) throws(Problem) {
        guard depth < 64 else { throw problem("nested too deeply") }
        skipSpace()
        switch current ?? 0 {
        case UInt8(ascii: "{"):
            index += 1
            skipSpace()
            if current == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw problem("\(describeCurrent()), expected a \"quoted\" key") }
                try string()
                try expect(":", "':' after the key")
                try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                try expect("}", "',' or '}'")
                return
            }
        case UInt8(ascii: "["):
            index += 1
            skipSpace()
            if current == UInt8(ascii: "]") { index += 1; return }
            while true {
                try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                try expect("]", "',' or ']'")
                return
            }
        case UInt8(ascii: "\""):
            try string()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
        default:
            for word in ["true", "false", "null"] where bytes[index...].starts(with: word.utf8) {
                index += word.utf8.count
                return
            }
            throw problem("\(describeCurrent()), expected a value (a \"string\", number, true, false, null, [ or {)")
        }
    }

    private mutating func string() throws(Problem) {
        index += 1  // the opening quote
        while let c = current {
            index += 1
            if c == UInt8(ascii: "\"") { return }
            if c == UInt8(ascii: "\\") {
                guard let e = current, "\"\\/bfnrtu".utf8.contains(e) else { throw problem("bad escape in a string") }
                index += 1
            } else if c < 0x20 {
                index -= 1
                throw problem("line break or control character inside a string (a missing closing quote?)")
            }
        }
        throw problem("the file ends inside a string")
    }

    private mutating func number() throws(Problem) {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        var digits = 0
        while let c = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { digits += 1 }
            index += 1
        }
        if digits == 0 {
            index = start
            throw problem("a number needs digits")
        }
    }
}
