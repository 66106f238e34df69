import CGPIOD
#if canImport(Glibc)
import Glibc
#endif

/// A virtual keyboard made through /dev/uinput: what a technician (and the virtual board's test) presses
/// kiosk keys with when no button is wired. The kernel's input core treats it as any keyboard: its events
/// reach /dev/input/eventN, with the kernel's own autorepeat when `autorepeat` is on.
public final class UInputKeyboard {
    public let name: String
    private let fd: Int32

    /// Creates the device with the key codes it may send. It appears as /dev/input/eventN once the kernel
    /// (and udev, on a full system) has added it; `EvdevInput` finds it by `name`.
    public init(name: String, codes: [UInt16], autorepeat: Bool, path: String = "/dev/uinput") throws(InputError) {
        self.name = name
        let fd = Glibc.open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            throw .cannotCreateVirtualDevice(step: "open \(path)", reason: errorText(e) + (e == ENOENT ? " (modprobe uinput)" : ""))
        }
        func check(_ step: String, _ rc: Int32) throws(InputError) {
            guard rc >= 0 else {
                let e = errno
                Glibc.close(fd)
                throw .cannotCreateVirtualDevice(step: step, reason: errorText(e))
            }
        }
        try check("UI_SET_EVBIT EV_KEY", kiosk_uinput_set_evbit(fd, Int32(EV_KEY)))
        if autorepeat { try check("UI_SET_EVBIT EV_REP", kiosk_uinput_set_evbit(fd, Int32(EV_REP))) }
        for code in codes { try check("UI_SET_KEYBIT \(code)", kiosk_uinput_set_keybit(fd, Int32(code))) }
        try check("UI_DEV_SETUP", kiosk_uinput_setup(fd, name, 0x1209, 0x4b10))
        try check("UI_DEV_CREATE", kiosk_uinput_create(fd))
        self.fd = fd
    }

    /// Sends a key's level (0 release, 1 press, 2 autorepeat) and a SYN_REPORT, as a keyboard does.
    public func send(code: UInt16, value: Int32) throws(InputError) {
        let bytes = InputEvent(time: .zero, type: InputEvent.key, code: code, value: value).bytes
            + InputEvent(time: .zero, type: InputEvent.synchronization, code: InputEvent.synReport, value: 0).bytes
        let n = Glibc.write(fd, bytes, bytes.count)
        guard n == bytes.count else {
            throw .cannotCreateVirtualDevice(step: "write", reason: n < 0 ? errorText(errno) : "short write of \(n) bytes")
        }
    }

    deinit {
        _ = kiosk_uinput_destroy(fd)
        Glibc.close(fd)
    }
}

/// A scripted sequence for `UInputKeyboard`: "call:press,50ms,call:release,5ms,KEY_UP:press,…".
/// A step is KEY:press|release|repeat (KEY a kiosk key, a key name or a code) or a pause (50ms, 1.5s).
public struct KeyScript: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case key(code: UInt16, value: Int32)
        case pause(Duration)
    }

    public var steps: [Step]

    public init(parsing text: String, keyMap: KeyMap = .standard) throws(KeyMapError) {
        var steps: [Step] = []
        for raw in text.split(separator: ",") {
            let item = String(raw).trimmingWhitespace()
            if let pause = Self.duration(item) { steps.append(.pause(pause)); continue }
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw KeyMapError(value: item, problem: "a step is KEY:press, KEY:release, KEY:repeat or a pause like 50ms")
            }
            let code: UInt16
            if let key = KioskKey(rawValue: parts[0]) {
                guard let first = keyMap.codes(for: key).first else { throw KeyMapError(key: key, value: item, problem: "the key map has no code for it") }
                code = first
            } else {
                code = try KeyCode.parse(parts[0])
            }
            let value: Int32 = switch parts[1] {
            case "press": 1
            case "release": 0
            case "repeat": 2
            default: throw KeyMapError(value: item, problem: "'\(parts[1])' is not press, release or repeat")
            }
            steps.append(.key(code: code, value: value))
        }
        self.steps = steps
    }

    /// The codes the script sends.
    public var codes: [UInt16] {
        var seen: [UInt16] = []
        for case .key(let code, _) in steps where !seen.contains(code) { seen.append(code) }
        return seen
    }

    static func duration(_ text: String) -> Duration? {
        if text.hasSuffix("ms"), let v = Double(text.dropLast(2)), v >= 0 { return .microseconds(Int64(v * 1000)) }
        if text.hasSuffix("s"), let v = Double(text.dropLast(1)), v >= 0 { return .microseconds(Int64(v * 1_000_000)) }
        return nil
    }
}
