import CGPIOD
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Kiosk keys from an evdev device (/dev/input/eventN, by path or by the device's name): EV_KEY events
/// through the key map and a debouncer per key, on a thread of its own.
///
/// A device missing at start or lost while reading (an unplugged USB button: ENODEV) is said once in the
/// log, naming the device, and opened again every `retryInterval` until it is back; the daemon goes on.
public final class EvdevInput: KeySource {
    public let settings: EvdevSettings
    private let logger: Logger
    private let thread = Mutex<InputThread?>(nil)

    public init(settings: EvdevSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public func start(_ handler: @escaping @Sendable (KeyEvent) -> Void) {
        thread.withLock { current in
            guard current == nil else { return }
            let settings = settings, logger = logger
            current = InputThread { stop in
                var reader = EvdevReader(settings: settings, logger: logger, handler: handler)
                reader.run(stop)
            }
        }
    }

    public func stop() {
        let current = thread.withLock { current in defer { current = nil }; return current }
        current?.stopAndJoin()
    }

    deinit { thread.withLock { $0 }?.stopAndJoin() }

    /// Opens the configured device once, to check it (a technician's test; the reader retries by itself).
    /// Says which device it found.
    public static func check(_ selector: EvdevDeviceSelector) throws(InputError) -> (path: String, name: String) {
        let device = try EvdevDevice.open(selector)
        defer { device.close() }
        return (device.path, device.name)
    }
}

/// The reader thread's state: open, read until gone or stopped, wait, open again.
struct EvdevReader {
    let settings: EvdevSettings
    let logger: Logger
    let handler: @Sendable (KeyEvent) -> Void
    /// The last error said, so a retry that fails the same way says nothing new.
    private var lastError: String?
    /// The device was open and went away; its absence has been said.
    private var lost = false
    /// Malformed data was said (once per reader), so a flood of bad data is not a flood of lines.
    private var malformedWarned = false
    /// Key events read from the device since it was opened, and how many of them were autorepeats.
    private var counts = (keys: 0, autorepeats: 0)

    init(settings: EvdevSettings, logger: Logger, handler: @escaping @Sendable (KeyEvent) -> Void) {
        self.settings = settings
        self.logger = logger
        self.handler = handler
    }

    private var retryText: String { "retrying every \(KeyEvent.seconds(settings.timing.retryInterval).replacingZeroMilliseconds) s" }

    mutating func run(_ stop: InputThread.Stop) {
        while !stop.isStopping {
            let device: EvdevDevice
            do {
                device = try EvdevDevice.open(settings.device)
            } catch {
                // Said once: again only when the problem changes. A device that was lost has been said
                // already; that it is still missing is not news.
                let problem = error.problem
                if problem != lastError && !(lost && error.isMissing) { logger.error("\(error); \(retryText)") }
                lastError = problem
                sleep(settings.timing.retryInterval, stop)
                continue
            }
            read(device, stop)
            device.close()
            // A device that opens but fails every read must not make a busy loop of open, fail, log.
            if lost { sleep(settings.timing.retryInterval, stop) }
        }
    }

    private mutating func read(_ device: EvdevDevice, _ stop: InputThread.Stop) {
        let map = settings.keyMap
        let mapped = KioskKey.allCases.compactMap { key in
            let codes = map.codes(for: key)
            return codes.isEmpty ? nil : "\(key)=" + codes.map(KeyCode.name(of:)).joined(separator: "+")
        }.joined(separator: " ")
        let found = lost ? "found again" : "opened"
        lastError = nil
        lost = false
        if settings.grab, let e = device.grab(true) {
            logger.warning("input device \(device.path) (\(device.name)): cannot take it for kioskd alone (\(errorText(e))); its keys also reach the console")
        }
        logger.info("input device \(device.path) (\(device.name)) \(found): \(mapped)")
        if let codes = device.keyCodes(), codes.isDisjoint(with: map.codes.keys) {
            logger.warning("input device \(device.path) (\(device.name)) sends none of the configured keys")
        }
        let down = device.keysDown() ?? []
        let held = down.intersection(map.codes.keys)
        if !held.isEmpty {
            logger.warning("input device \(device.path) (\(device.name)): \(held.sorted().map { KeyCode.name(of: $0) }.joined(separator: ", ")) held down at start; ignored until released")
        }
        var keys = KeyboardDebouncer(keyMap: map, timing: settings.timing, keysDown: down, at: device.now())
        var dropping = false
        counts = (0, 0)
        var buffer = [UInt8](repeating: 0, count: InputEvent.size * 64)
        while !stop.isStopping {
            // Wake for input, for the next debounce deadline, or to look at the stop flag.
            var wait = Duration.milliseconds(200)
            if let deadline = keys.nextDeadline { wait = min(wait, deadline - device.now()) }
            var pfd = pollfd(fd: device.fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, pollMilliseconds(wait))
            if ready < 0 && errno != EINTR {
                deviceLost(device, &keys, reason: errorText(errno)); return
            }
            if ready > 0 {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(device.fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    let e = errno
                    if e != EAGAIN && e != EINTR { deviceLost(device, &keys, reason: errorText(e)); return }
                } else if n == 0 {
                    deviceLost(device, &keys, reason: "end of file"); return
                } else {
                    let (events, malformed) = InputEvent.parse(buffer[0..<n])
                    if malformed > 0 && !malformedWarned {
                        malformedWarned = true
                        logger.warning("input device \(device.path): \(malformed) malformed event(s) in a read of \(n) bytes ignored")
                    }
                    for event in events {
                        if dropping {
                            // Everything up to the next SYN_REPORT is incomplete; then ask the device for its keys.
                            guard event.type == InputEvent.synchronization && event.code == InputEvent.synReport else { continue }
                            dropping = false
                            emit(keys.resynchronize(keysDown: device.keysDown() ?? [], at: event.time), device)
                        } else if event.type == InputEvent.synchronization && event.code == InputEvent.synDropped {
                            dropping = true
                            logger.warning("input device \(device.path): the kernel dropped events (kioskd read too slowly); keys read again from the device")
                        } else {
                            if event.type == InputEvent.key {
                                counts.keys += 1
                                if event.value == 2 { counts.autorepeats += 1 }
                            }
                            emit(keys.handle(event), device)
                        }
                    }
                }
            }
            emit(keys.advance(to: device.now()), device)
        }
        if settings.grab { _ = device.grab(false) }
        logger.info("input device \(device.path) closed (\(countText))")
        // Stopping: a key still down is released, so nothing waits for a release that will not come.
        for event in keys.releaseAll(at: device.now()) { handler(event) }
    }

    private mutating func deviceLost(_ device: EvdevDevice, _ keys: inout KeyboardDebouncer, reason: String) {
        let error = InputError.deviceGone(path: device.path, reason: reason)
        lost = true
        logger.error("\(error); \(retryText) (\(countText))")
        for event in keys.releaseAll(at: device.now()) {
            logger.info("input device \(device.path): \(event.key) taken as released")
            handler(event)
        }
    }

    private var countText: String { "\(counts.keys) key events read, \(counts.autorepeats) of them autorepeat" }

    private func emit(_ outputs: [KeyboardDebouncer.Output], _ device: EvdevDevice) {
        for output in outputs {
            switch output {
            case .key(let event):
                logger.debug("\(event)")
                handler(event)
            case .heldDown(let key, let code, let since):
                let held = KeyEvent.seconds(device.now() - since)
                logger.warning("input device \(device.path): \(key) (\(KeyCode.name(of: code))) held down for \(held) s (stuck?)")
            }
        }
    }
}

/// Sleeps `interval` in short steps, so a stop is not kept waiting.
func sleep(_ interval: Duration, _ stop: InputThread.Stop) {
    let end = monotonicNow() + interval
    while !stop.isStopping {
        let left = end - monotonicNow()
        if left <= .zero { return }
        _ = poll(nil, 0, pollMilliseconds(min(left, .milliseconds(100))))
    }
}

extension String {
    /// "3.000" → "3", "0.500" → "0.5": seconds as a person writes them.
    var replacingZeroMilliseconds: String {
        guard contains(".") else { return self }
        var s = self
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
