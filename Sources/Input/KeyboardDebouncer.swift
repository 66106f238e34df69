/// A device's mapped keys, each with a debouncer of its own: raw evdev key events in, clean kiosk key
/// events out. I/O-free like `ButtonDebouncer`; codes the key map does not have are ignored.
public struct KeyboardDebouncer: Sendable {
    public enum Output: Sendable, Equatable {
        case key(KeyEvent)
        /// Held down for the held-down warning's time (logged by the reader, once per press).
        case heldDown(KioskKey, code: UInt16, since: Duration)
    }

    public let keyMap: KeyMap
    public let timing: InputTiming
    private var buttons: [UInt16: ButtonDebouncer] = [:]
    /// The codes whose press was reported, per kiosk key.
    private var codesDown: [KioskKey: Set<UInt16>] = [:]

    /// `keysDown`: the codes held when reading starts (EVIOCGKEY); their presses are not reported.
    public init(keyMap: KeyMap, timing: InputTiming, keysDown: Set<UInt16> = [], at time: Duration = .zero) {
        self.keyMap = keyMap
        self.timing = timing
        for code in keyMap.codes.keys {
            buttons[code] = ButtonDebouncer(settle: timing.debounce, stuckAfter: timing.heldDownWarning,
                                            initiallyDown: keysDown.contains(code), at: time)
        }
    }

    /// One input event; anything but a mapped key's 0/1/2 is ignored.
    public mutating func handle(_ event: InputEvent) -> [Output] {
        guard event.type == InputEvent.key, let level = event.keyLevel else { return advance(to: event.time) }
        return change(code: event.code, level, at: event.time)
    }

    public mutating func change(code: UInt16, _ level: ButtonDebouncer.Level, at time: Duration) -> [Output] {
        var outputs = advance(to: time)
        guard let key = keyMap[code], var button = buttons[code] else { return outputs }
        outputs += merged(Self.outputs(button.change(level, at: time), key: key, code: code).map { (code, $0) })
        buttons[code] = button
        return outputs
    }

    /// Whatever settled by `time`, in time order; at the same time releases first, then by key code, so
    /// the order never depends on how a dictionary happens to iterate.
    public mutating func advance(to time: Duration) -> [Output] {
        var outputs: [(time: Duration, rank: Int, code: UInt16, output: Output)] = []
        for (code, var button) in buttons {
            let key = keyMap[code]!
            for o in Self.outputs(button.advance(to: time), key: key, code: code) {
                // A held-down warning belongs where it fell due, not at the press it is about.
                let due = o.time + (o.isHeldDown ? timing.heldDownWarning ?? .zero : .zero)
                let rank = if case .key(let e) = o, e.isPressed { 1 } else { 0 }
                outputs.append((due, rank, code, o))
            }
            buttons[code] = button
        }
        return merged(outputs.sorted { ($0.time, $0.rank, $0.code) < ($1.time, $1.rank, $1.code) }.map { ($0.code, $0.output) })
    }

    /// The earliest time `advance(to:)` has something to report.
    public var nextDeadline: Duration? { buttons.values.compactMap(\.nextDeadline).min() }

    /// After events were lost (SYN_DROPPED): the keys' levels as the device says they are now, each taken
    /// as a change at `time`, so a release that was lost is still reported.
    public mutating func resynchronize(keysDown: Set<UInt16>, at time: Duration) -> [Output] {
        var outputs = advance(to: time)
        for code in buttons.keys.sorted() {
            outputs += change(code: code, keysDown.contains(code) ? .pressed : .released, at: time)
        }
        return outputs
    }

    /// The device went away: every key reported pressed is reported released at `time`, so nothing waits
    /// for a release that cannot come.
    public mutating func releaseAll(at time: Duration) -> [KeyEvent] {
        var outputs: [(UInt16, Output)] = []
        for code in buttons.keys.sorted() {
            guard let key = keyMap[code], buttons[code]!.isDown else { continue }
            var button = buttons[code]!
            let settled = button.change(.released, at: time) + button.advance(to: time + timing.debounce)
            for o in Self.outputs(settled, key: key, code: code) {
                if case .key(var e) = o { e.time = time; outputs.append((code, .key(e))) }
            }
            buttons[code] = button
        }
        return merged(outputs).compactMap { if case .key(let e) = $0 { e } else { nil } }
    }

    /// Several codes may mean one kiosk key (Enter and Space both call): the kiosk key is down while any
    /// of them is, so a second code's press or the first code's release says nothing.
    private mutating func merged(_ outputs: [(code: UInt16, output: Output)]) -> [Output] {
        outputs.compactMap { code, output in
            guard case .key(let event) = output else { return output }
            if event.isPressed {
                let wasUp = codesDown[event.key, default: []].isEmpty
                codesDown[event.key, default: []].insert(code)
                return wasUp ? output : nil
            } else {
                guard codesDown[event.key, default: []].remove(code) != nil else { return nil }
                return codesDown[event.key, default: []].isEmpty ? output : nil
            }
        }
    }

    private static func outputs(_ events: [ButtonDebouncer.Event], key: KioskKey, code: UInt16) -> [Output] {
        events.map {
            switch $0 {
            case .pressed(let t): .key(KeyEvent(key: key, isPressed: true, time: t))
            case .released(let t): .key(KeyEvent(key: key, isPressed: false, time: t))
            case .heldDown(let t): .heldDown(key, code: code, since: t)
            }
        }
    }
}

extension KeyboardDebouncer.Output {
    var isHeldDown: Bool { if case .heldDown = self { true } else { false } }
    var time: Duration {
        switch self {
        case .key(let e): e.time
        case .heldDown(_, _, let since): since
        }
    }
}
