/// What a key means to the kiosk: the call button, and the keys a customer chooses a category and a
/// language with.
public enum KioskKey: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case call
    case hangUp
    case up
    case down
    case select

    public var description: String { rawValue }
}

/// One clean press or release of a kiosk key, after debouncing.
///
/// `time` is on the kernel's monotonic clock (CLOCK_MONOTONIC, seconds since boot less suspend), the
/// clock evdev (set by EVIOCSCLOCKID) and GPIO line events are stamped with: the time the key's level
/// changed for the last time before it settled. Durations between events (a long press) are exact to the
/// hardware's stamps, however late the reader thread got to them.
public struct KeyEvent: Sendable, Hashable, CustomStringConvertible {
    public var key: KioskKey
    public var isPressed: Bool
    public var time: Duration

    public init(key: KioskKey, isPressed: Bool, time: Duration) {
        self.key = key
        self.isPressed = isPressed
        self.time = time
    }

    /// `key call pressed at 12.345` (seconds on the monotonic clock, milliseconds shown).
    public var description: String {
        "key \(key) \(isPressed ? "pressed" : "released") at \(Self.seconds(time))"
    }

    static func seconds(_ time: Duration) -> String {
        let ms = time.components.seconds * 1000 + time.components.attoseconds / 1_000_000_000_000_000
        let sign = ms < 0 ? "-" : ""
        let m = ms.magnitude
        let frac = String(m % 1000)
        return "\(sign)\(m / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }
}
