/// What every key reader shares: how keys are debounced and how long a missing device is waited for.
public struct InputTiming: Sendable, Equatable {
    /// How long a level must hold to count (contact bounce is shorter).
    public var debounce: Duration = .milliseconds(25)
    /// A press held this long is logged once as held down (stuck?); nil: never.
    public var heldDownWarning: Duration? = .seconds(30)
    /// How often a missing or lost device is tried again.
    public var retryInterval: Duration = .seconds(3)

    public init(debounce: Duration = .milliseconds(25), heldDownWarning: Duration? = .seconds(30),
                retryInterval: Duration = .seconds(3)) {
        self.debounce = debounce
        self.heldDownWarning = heldDownWarning
        self.retryInterval = retryInterval
    }
}

/// Which evdev device: a path (/dev/input/event3, /dev/input/by-id/…) or the name the device gives itself.
public enum EvdevDeviceSelector: Sendable, Equatable, CustomStringConvertible {
    case path(String)
    case name(String)

    /// "/dev/input/event3" or "name:USB Call Button".
    public init(parsing text: String) throws(InputError) {
        if text.hasPrefix("name:") {
            let name = String(text.dropFirst(5))
            guard !name.isEmpty else { throw .badSetting(setting: "device", problem: "'name:' needs a device name after it") }
            self = .name(name)
        } else if text.hasPrefix("/") {
            self = .path(text)
        } else {
            throw .badSetting(setting: "device", problem: "'\(text)' is neither a path (/dev/input/event0) nor name:DEVICE NAME")
        }
    }

    public var description: String {
        switch self {
        case .path(let path): path
        case .name(let name): "name:\(name)"
        }
    }
}

/// An evdev keypad or call button.
public struct EvdevSettings: Sendable, Equatable {
    public var device: EvdevDeviceSelector
    public var keyMap: KeyMap
    /// Take the device for kioskd alone (EVIOCGRAB), so its keys do not also reach the console.
    public var grab: Bool
    public var timing: InputTiming

    public init(device: EvdevDeviceSelector, keyMap: KeyMap = .standard, grab: Bool = true, timing: InputTiming = .init()) {
        self.device = device
        self.keyMap = keyMap
        self.grab = grab
        self.timing = timing
    }
}

/// Which line of a GPIO chip: its offset on the chip or its name (from the device tree's gpio-line-names).
public enum GPIOLineSelector: Sendable, Equatable, CustomStringConvertible {
    case offset(UInt32)
    case name(String)

    public var description: String {
        switch self {
        case .offset(let offset): "line \(offset)"
        case .name(let name): "line \"\(name)\""
        }
    }
}

/// The line's bias: a button between the line and ground needs a pull-up (on the board or here).
public enum GPIOBias: String, Sendable, Equatable, CaseIterable {
    case asIs = "as-is", disabled, pullUp = "pull-up", pullDown = "pull-down"
}

/// A button on a GPIO line (libgpiod).
public struct GPIOSettings: Sendable, Equatable {
    /// The chip: a name (gpiochip0), a number, a label (pinctrl-bcm2711) or a path (/dev/gpiochip0).
    public var chip: String
    public var line: GPIOLineSelector
    /// The button pulls the line low when pressed (the usual wiring, with a pull-up).
    public var activeLow: Bool
    public var bias: GPIOBias
    /// What the button means (one line, one key).
    public var key: KioskKey
    public var timing: InputTiming

    public init(chip: String, line: GPIOLineSelector, activeLow: Bool = true, bias: GPIOBias = .pullUp,
                key: KioskKey = .call, timing: InputTiming = .init()) {
        self.chip = chip
        self.line = line
        self.activeLow = activeLow
        self.bias = bias
        self.key = key
        self.timing = timing
    }
}
