/// One `struct input_event` as evdev hands it out on a 64-bit Linux: a timeval (seconds, microseconds:
/// 8 bytes each), type (u16), code (u16), value (s32), 24 bytes in the machine's (little-endian) order.
public struct InputEvent: Sendable, Hashable {
    public static let size = 24

    public static let synchronization: UInt16 = 0x00   // EV_SYN
    public static let key: UInt16 = 0x01               // EV_KEY
    public static let synReport: UInt16 = 0             // SYN_REPORT
    public static let synDropped: UInt16 = 3            // SYN_DROPPED: the kernel's queue overflowed

    public var time: Duration
    public var type: UInt16
    public var code: UInt16
    public var value: Int32

    public init(time: Duration, type: UInt16, code: UInt16, value: Int32) {
        self.time = time
        self.type = type
        self.code = code
        self.value = value
    }

    /// The event in `bytes` (exactly 24 of them).
    public init(bytes: some Collection<UInt8>) throws(InputEventError) {
        guard bytes.count == Self.size else { throw .wrongSize(bytes.count) }
        let b = Array(bytes)
        func unsigned(_ at: Int, _ count: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in (0..<count).reversed() { v = v << 8 | UInt64(b[at + i]) }
            return v
        }
        let seconds = Int64(bitPattern: unsigned(0, 8))
        let microseconds = Int64(bitPattern: unsigned(8, 8))
        guard (0..<1_000_000).contains(microseconds) else { throw .badMicroseconds(microseconds) }
        guard seconds >= 0 else { throw .negativeTime(seconds) }
        time = .seconds(seconds) + .microseconds(microseconds)
        type = UInt16(unsigned(16, 2))
        code = UInt16(unsigned(18, 2))
        value = Int32(truncatingIfNeeded: unsigned(20, 4))
    }

    /// The event's 24 bytes (what a uinput device is written).
    public var bytes: [UInt8] {
        let (seconds, attoseconds) = time.components
        var out: [UInt8] = []
        out.reserveCapacity(Self.size)
        func append(_ v: UInt64, _ count: Int) { for i in 0..<count { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
        append(UInt64(bitPattern: seconds), 8)
        append(UInt64(bitPattern: attoseconds / 1_000_000_000_000), 8)
        append(UInt64(type), 2)
        append(UInt64(code), 2)
        append(UInt64(UInt32(bitPattern: value)), 4)
        return out
    }

    /// The events in what one read returned. evdev hands out whole events only; whatever does not parse
    /// (a short tail, a bad timestamp) is counted, not fatal.
    public static func parse(_ bytes: some Collection<UInt8>) -> (events: [InputEvent], malformed: Int) {
        var events: [InputEvent] = []
        var malformed = 0
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let end = bytes.index(i, offsetBy: size, limitedBy: bytes.endIndex) ?? bytes.endIndex
            do { events.append(try InputEvent(bytes: bytes[i..<end])) } catch { malformed += 1 }
            i = end
        }
        return (events, malformed)
    }

    /// What an EV_KEY event's value says: 0 released, 1 pressed, 2 autorepeat; nil for anything else.
    public var keyLevel: ButtonDebouncer.Level? {
        switch value {
        case 0: .released
        case 1: .pressed
        case 2: .autorepeat
        default: nil
        }
    }
}

public enum InputEventError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongSize(Int)
    case badMicroseconds(Int64)
    case negativeTime(Int64)

    public var description: String {
        switch self {
        case .wrongSize(let n): "an input event is \(InputEvent.size) bytes, not \(n)"
        case .badMicroseconds(let us): "microseconds \(us) out of range 0..<1000000"
        case .negativeTime(let s): "negative time \(s) s"
        }
    }
}
