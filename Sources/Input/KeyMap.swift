/// Which Linux key codes (linux/input-event-codes.h) mean which kiosk key. Several codes may mean one
/// key (a call button that sends KEY_ENTER, a keyboard's space bar); one code means at most one key.
public struct KeyMap: Sendable, Equatable {
    public private(set) var codes: [UInt16: KioskKey]

    /// The keys of a kiosk keypad or a USB call button: Enter or Space call, Esc hangs up, the arrows
    /// choose, OK/Select or Right selects.
    public static let standard = try! KeyMap([
        .call: ["KEY_ENTER", "KEY_SPACE"],
        .hangUp: ["KEY_ESC"],
        .up: ["KEY_UP"],
        .down: ["KEY_DOWN"],
        .select: ["KEY_OK", "KEY_SELECT", "KEY_RIGHT"],
    ])

    public init(codes: [UInt16: KioskKey]) { self.codes = codes }

    /// Each kiosk key's codes as names ("KEY_ENTER") or numbers ("28", "0x1c"); a key left out has no code.
    public init(_ names: [KioskKey: [String]]) throws(KeyMapError) {
        var codes: [UInt16: KioskKey] = [:]
        for key in KioskKey.allCases {
            for name in names[key] ?? [] {
                let code: UInt16
                do { code = try KeyCode.parse(name) } catch {
                    throw KeyMapError(key: key, value: name, problem: error.problem)
                }
                if let other = codes[code], other != key {
                    throw KeyMapError(key: key, value: name,
                                      problem: "code \(code) (\(KeyCode.name(of: code))) already means \(other)")
                }
                codes[code] = key
            }
        }
        self.codes = codes
    }

    public subscript(code: UInt16) -> KioskKey? { codes[code] }

    /// The codes that mean `key`, lowest first.
    public func codes(for key: KioskKey) -> [UInt16] { codes.filter { $0.value == key }.map(\.key).sorted() }
}

public struct KeyMapError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kiosk key whose codes were being read, if any.
    public var key: KioskKey?
    public var value: String
    public var problem: String
    public var description: String { "\(key.map { "key \($0): " } ?? "")'\(value)': \(problem)" }
}

/// Linux key codes by name: the ones a kiosk's keypad, call button or keyboard sends.
public enum KeyCode {
    /// KEY_MAX: codes above it do not exist.
    public static let max: UInt16 = 0x2FF

    public static let names: [String: UInt16] = {
        var table: [String: UInt16] = [
            "KEY_ESC": 1, "KEY_MINUS": 12, "KEY_EQUAL": 13, "KEY_BACKSPACE": 14, "KEY_TAB": 15,
            "KEY_ENTER": 28, "KEY_LEFTCTRL": 29, "KEY_LEFTSHIFT": 42, "KEY_RIGHTSHIFT": 54, "KEY_LEFTALT": 56,
            "KEY_SPACE": 57, "KEY_CAPSLOCK": 58, "KEY_F11": 87, "KEY_F12": 88, "KEY_KPENTER": 96,
            "KEY_HOME": 102, "KEY_UP": 103, "KEY_PAGEUP": 104, "KEY_LEFT": 105, "KEY_RIGHT": 106,
            "KEY_END": 107, "KEY_DOWN": 108, "KEY_PAGEDOWN": 109, "KEY_INSERT": 110, "KEY_DELETE": 111,
            "KEY_MUTE": 113, "KEY_VOLUMEDOWN": 114, "KEY_VOLUMEUP": 115, "KEY_POWER": 116, "KEY_PAUSE": 119,
            "KEY_HELP": 138, "KEY_MENU": 139, "KEY_BACK": 158, "KEY_PLAYPAUSE": 164, "KEY_PHONE": 169,
            "KEY_OK": 0x160, "KEY_SELECT": 0x161,
            "BTN_LEFT": 0x110, "BTN_RIGHT": 0x111, "BTN_MIDDLE": 0x112, "BTN_TRIGGER": 0x120,
            "BTN_SOUTH": 0x130, "BTN_EAST": 0x131, "BTN_NORTH": 0x133, "BTN_WEST": 0x134,
        ]
        // The digit row: KEY_1 is 2 … KEY_9 is 10, KEY_0 is 11.
        for d in 1...9 { table["KEY_\(d)"] = UInt16(1 + d) }
        table["KEY_0"] = 11
        // The letters, row by row as on the keyboard.
        for (row, first) in [("QWERTYUIOP", 16), ("ASDFGHJKL", 30), ("ZXCVBNM", 44)] as [(String, UInt16)] {
            for (i, c) in row.enumerated() { table["KEY_\(c)"] = first + UInt16(i) }
        }
        for f in 1...10 { table["KEY_F\(f)"] = UInt16(58 + f) }      // KEY_F1 is 59
        for f in 13...24 { table["KEY_F\(f)"] = UInt16(170 + f) }    // KEY_F13 is 183
        for b in 0...9 { table["BTN_\(b)"] = UInt16(0x100 + b) }
        return table
    }()

    private static let byCode: [UInt16: String] = {
        var byCode: [UInt16: String] = [:]
        for (name, code) in names where byCode[code].map({ name < $0 }) ?? true { byCode[code] = name }
        return byCode
    }()

    /// A key's name ("KEY_ENTER"), or its number when it has none here.
    public static func name(of code: UInt16) -> String { byCode[code] ?? "\(code)" }

    /// "KEY_ENTER" (any case), "28" or "0x1c".
    public static func parse(_ text: String) throws(KeyMapError) -> UInt16 {
        let trimmed = text.trimmingWhitespace()
        if let code = names[trimmed.uppercased()] { return code }
        let digits = trimmed.lowercased()
        let number = digits.hasPrefix("0x") ? Int(digits.dropFirst(2), radix: 16) : Int(digits)
        guard let number else {
            throw KeyMapError(value: text, problem: "not a key name (KEY_ENTER, KEY_F1, BTN_0, …) or a key code number")
        }
        guard (1...Int(max)).contains(number) else {
            throw KeyMapError(value: text, problem: "key code \(number) is out of range 1...\(max)")
        }
        return UInt16(number)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
