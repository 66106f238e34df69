/// Why a key reader has no keys; each says which device and what to do about it.
public enum InputError: Error, Sendable, Equatable, CustomStringConvertible {
    case badSetting(setting: String, problem: String)
    case noSuchDevice(path: String)
    case permissionDenied(path: String)
    case notAnInputDevice(path: String, reason: String)
    case noDeviceNamed(name: String, present: [String])
    case cannotOpen(path: String, reason: String)
    case deviceGone(path: String, reason: String)
    case cannotCreateVirtualDevice(step: String, reason: String)
    case gpioChipMissing(chip: String, reason: String)
    case gpioLineMissing(chip: String, line: GPIOLineSelector, reason: String)
    case gpioLineBusy(chip: String, line: GPIOLineSelector)
    case gpioRequestFailed(chip: String, line: GPIOLineSelector, reason: String)

    public var description: String {
        switch self {
        case .badSetting(let setting, let problem):
            "input \(setting): \(problem)"
        case .noSuchDevice(let path):
            "input device \(path): does not exist (unplugged? wrong path?)"
        case .permissionDenied(let path):
            "input device \(path): permission denied (kioskd's user needs the 'input' group)"
        case .notAnInputDevice(let path, let reason):
            "input device \(path): not an evdev input device (\(reason))"
        case .noDeviceNamed(let name, let present):
            "input device named \"\(name)\": none present (" + (present.isEmpty ? "no evdev devices" : "present: " + present.map { "\"\($0)\"" }.joined(separator: ", ")) + ")"
        case .cannotOpen(let path, let reason):
            "input device \(path): cannot open: \(reason)"
        case .deviceGone(let path, let reason):
            "input device \(path): gone (\(reason))"
        case .cannotCreateVirtualDevice(let step, let reason):
            "uinput: \(step) failed: \(reason)"
        case .gpioChipMissing(let chip, let reason):
            "GPIO chip \(chip): cannot open (\(reason))"
        case .gpioLineMissing(let chip, let line, let reason):
            "GPIO chip \(chip) \(line): no such line (\(reason))"
        case .gpioLineBusy(let chip, let line):
            "GPIO chip \(chip) \(line): busy (another program holds it)"
        case .gpioRequestFailed(let chip, let line, let reason):
            "GPIO chip \(chip) \(line): cannot watch its edges (\(reason))"
        }
    }

    /// The device is not there (as opposed to there but unusable).
    public var isMissing: Bool {
        switch self {
        case .noSuchDevice, .noDeviceNamed, .gpioChipMissing, .gpioLineMissing: true
        default: false
        }
    }

    /// The problem without what changes from one try to the next (the names of the devices present), so
    /// a retry that fails the same way is not logged again.
    var problem: String {
        if case .noDeviceNamed(let name, _) = self { return "no device named \(name)" }
        return description
    }
}
