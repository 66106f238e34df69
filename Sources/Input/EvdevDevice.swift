import CGPIOD
#if canImport(Glibc)
import Glibc
#endif

/// An open evdev device (/dev/input/eventN): its descriptor, path and name. Closed by `close()`.
struct EvdevDevice: Sendable {
    let fd: Int32
    let path: String
    let name: String
    /// The clock its events are stamped with: CLOCK_MONOTONIC unless the kernel refused to switch.
    let clock: clockid_t

    static let directory = "/dev/input"

    /// Opens the device `selector` names, non-blocking, switched to monotonic time stamps.
    static func open(_ selector: EvdevDeviceSelector) throws(InputError) -> EvdevDevice {
        switch selector {
        case .path(let path):
            return try open(path: path)
        case .name(let name):
            var present: [String] = []
            for path in eventDevicePaths() {
                guard let device = try? open(path: path) else { continue }
                if device.name == name { return device }
                present.append(device.name)
                device.close()
            }
            throw .noDeviceNamed(name: name, present: present)
        }
    }

    static func open(path: String) throws(InputError) -> EvdevDevice {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            switch e {
            case ENOENT, ENODEV, ENXIO: throw .noSuchDevice(path: path)
            case EACCES, EPERM: throw .permissionDenied(path: path)
            default: throw .cannotOpen(path: path, reason: errorText(e))
            }
        }
        var version: Int32 = 0
        guard kiosk_evdev_version(fd, &version) == 0 else {
            let e = errno
            Glibc.close(fd)
            throw .notAnInputDevice(path: path, reason: e == ENOTTY ? "it does not answer evdev's EVIOCGVERSION" : errorText(e))
        }
        var buffer = [CChar](repeating: 0, count: 256)
        let n = kiosk_evdev_name(fd, &buffer, UInt32(buffer.count - 1))
        let name = n > 0 ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let clock = kiosk_evdev_use_monotonic_clock(fd) == 0 ? CLOCK_MONOTONIC : CLOCK_REALTIME
        return EvdevDevice(fd: fd, path: path, name: name, clock: clock)
    }

    /// /dev/input/event0, event1, … in number order.
    static func eventDevicePaths(in directory: String = directory) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var numbers: [Int] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix("event"), let n = Int(name.dropFirst(5)) { numbers.append(n) }
        }
        return numbers.sorted().map { "\(directory)/event\($0)" }
    }

    func close() { Glibc.close(fd) }

    /// Takes the device for this descriptor alone, or gives it back.
    func grab(_ on: Bool) -> Int32? { kiosk_evdev_grab(fd, on ? 1 : 0) == 0 ? nil : errno }

    /// The key codes the device can send (EVIOCGBIT), or nil if it will not say.
    func keyCodes() -> Set<UInt16>? { bits(kiosk_evdev_key_bits) }

    /// The key codes held down now (EVIOCGKEY), or nil if it will not say.
    func keysDown() -> Set<UInt16>? { bits(kiosk_evdev_key_state) }

    private func bits(_ call: (Int32, UnsafeMutablePointer<UInt8>?, UInt32) -> Int32) -> Set<UInt16>? {
        var bits = [UInt8](repeating: 0, count: Int(KeyCode.max) / 8 + 1)
        guard call(fd, &bits, UInt32(bits.count)) >= 0 else { return nil }
        var codes: Set<UInt16> = []
        for (i, byte) in bits.enumerated() where byte != 0 {
            for b in 0..<8 where byte & (1 << b) != 0 { codes.insert(UInt16(i * 8 + b)) }
        }
        return codes
    }

    /// Now on the device's clock.
    func now() -> Duration { monotonicNow(clock) }
}

func monotonicNow(_ clock: clockid_t = CLOCK_MONOTONIC) -> Duration {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return .seconds(ts.tv_sec) + .nanoseconds(ts.tv_nsec)
}

func errorText(_ e: Int32) -> String { String(cString: strerror(e)) }

/// Milliseconds for poll(2), at least 0, rounded up so a deadline is not polled for just before it.
func pollMilliseconds(_ d: Duration) -> Int32 {
    let (s, atto) = d.components
    if s < 0 || (s == 0 && atto <= 0) { return 0 }
    let ms = s * 1000 + (atto + 999_999_999_999_999) / 1_000_000_000_000_000
    return Int32(clamping: ms)
}
