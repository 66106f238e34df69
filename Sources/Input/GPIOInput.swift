import CGPIOD
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The call button (or another kiosk key) on a GPIO line, through libgpiod's v1 API: both edges watched,
/// active-low and bias as configured, the same debouncing as evdev keys, on a thread of its own.
///
/// A missing chip or line, or a line another program holds, is said once in the log and tried again every
/// `retryInterval`.
public final class GPIOInput: KeySource {
    public let settings: GPIOSettings
    private let logger: Logger
    private let thread = Mutex<InputThread?>(nil)

    public init(settings: GPIOSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public func start(_ handler: @escaping @Sendable (KeyEvent) -> Void) {
        thread.withLock { current in
            guard current == nil else { return }
            let settings = settings, logger = logger
            current = InputThread { stop in
                GPIOReader(settings: settings, logger: logger, handler: handler).run(stop)
            }
        }
    }

    public func stop() {
        let current = thread.withLock { current in defer { current = nil }; return current }
        current?.stopAndJoin()
    }

    deinit { thread.withLock { $0 }?.stopAndJoin() }

    /// Requests the line once and gives it back, to check the configuration; says the line's level now.
    public static func check(_ settings: GPIOSettings) throws(InputError) -> Bool {
        let line = try GPIOLine.request(settings)
        defer { line.release() }
        return line.isActive() ?? false
    }
}

/// A requested GPIO line with edge events, and its chip.
struct GPIOLine: @unchecked Sendable {  // the pointers are used by one thread at a time
    let chip: OpaquePointer
    let line: OpaquePointer
    let settings: GPIOSettings
    /// Bias not applied because the kernel or the chip cannot; said once when requested.
    let biasRefused: String?

    static func request(_ settings: GPIOSettings) throws(InputError) -> GPIOLine {
        errno = 0
        let chipPointer = settings.chip.hasPrefix("/") ? gpiod_chip_open(settings.chip) : gpiod_chip_open_lookup(settings.chip)
        guard let chip = chipPointer else {
            throw .gpioChipMissing(chip: settings.chip, reason: errno == 0 ? "no chip by that name, number, label or path" : errorText(errno))
        }
        let linePointer: OpaquePointer?
        switch settings.line {
        case .offset(let offset):
            let lines = gpiod_chip_num_lines(chip)
            guard offset < lines else {
                gpiod_chip_close(chip)
                throw .gpioLineMissing(chip: settings.chip, line: settings.line, reason: "the chip has lines 0...\(Int(lines) - 1)")
            }
            linePointer = gpiod_chip_get_line(chip, offset)
        case .name(let name):
            linePointer = gpiod_chip_find_line(chip, name)
        }
        guard let line = linePointer else {
            let e = errno
            gpiod_chip_close(chip)
            throw .gpioLineMissing(chip: settings.chip, line: settings.line, reason: e == 0 || e == ENOENT ? "no line by that name on the chip" : errorText(e))
        }
        let flags: Int32 = settings.activeLow ? Int32(GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW) : 0
        let biasFlag: Int32 = switch settings.bias {
        case .asIs: 0
        case .disabled: Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE)
        case .pullUp: Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
        case .pullDown: Int32(GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
        }
        var biasRefused: String?
        if gpiod_line_request_both_edges_events_flags(line, "kioskd", flags | biasFlag) != 0 {
            var e = errno
            // A chip (or kernel) without bias support refuses the flag; the board's own resistor may do.
            if biasFlag != 0 && (e == EINVAL || e == EOPNOTSUPP || e == ENOTSUP) {
                biasRefused = errorText(e)
                if gpiod_line_request_both_edges_events_flags(line, "kioskd", flags) == 0 { e = 0 } else { e = errno }
            }
            if e != 0 {
                gpiod_chip_close(chip)
                if e == EBUSY { throw .gpioLineBusy(chip: settings.chip, line: settings.line) }
                throw .gpioRequestFailed(chip: settings.chip, line: settings.line, reason: errorText(e))
            }
        }
        return GPIOLine(chip: chip, line: line, settings: settings, biasRefused: biasRefused)
    }

    /// The line's logical level (pressed when active), or nil if it cannot be read.
    func isActive() -> Bool? {
        let v = gpiod_line_get_value(line)
        return v < 0 ? nil : v == 1
    }

    var fd: Int32 { gpiod_line_event_get_fd(line) }

    /// Releases the line and closes the chip.
    func release() {
        gpiod_line_release(line)
        gpiod_chip_close(chip)
    }

    /// The line's events waiting now: (pressed, time). With both edges requested, the kernel (v1 uAPI)
    /// reads the line's logical level at each interrupt, so a rising edge is "active", active-low included.
    func readEvents() -> (events: [(pressed: Bool, time: Duration)], error: Int32?) {
        var buffer = [gpiod_line_event](repeating: gpiod_line_event(), count: 16)
        let n = gpiod_line_event_read_multiple(line, &buffer, UInt32(buffer.count))
        guard n >= 0 else { return ([], errno) }
        return (buffer.prefix(Int(n)).map { event in
            (event.event_type == Int32(GPIOD_LINE_EVENT_RISING_EDGE),
             .seconds(event.ts.tv_sec) + .nanoseconds(event.ts.tv_nsec))
        }, nil)
    }

    var label: String { "GPIO chip \(settings.chip) \(settings.line)" }
}

struct GPIOReader {
    let settings: GPIOSettings
    let logger: Logger
    let handler: @Sendable (KeyEvent) -> Void

    func run(_ stop: InputThread.Stop) {
        var lastError: String?
        let retry = "retrying every \(KeyEvent.seconds(settings.timing.retryInterval).replacingZeroMilliseconds) s"
        while !stop.isStopping {
            let line: GPIOLine
            do {
                line = try GPIOLine.request(settings)
            } catch {
                let text = "\(error)"
                if text != lastError { logger.error("\(text); \(retry)") }
                lastError = text
                sleep(settings.timing.retryInterval, stop)
                continue
            }
            if let refused = line.biasRefused {
                logger.warning("\(line.label): bias \(settings.bias.rawValue) refused (\(refused)); relying on the board's own resistor")
            }
            logger.info("\(line.label) \(lastError == nil ? "requested" : "requested again"): \(settings.key), active-\(settings.activeLow ? "low" : "high"), bias \(settings.bias.rawValue)")
            lastError = nil
            if let reason = read(line, stop) {
                let error = InputError.deviceGone(path: line.label, reason: reason)
                lastError = "\(error)"
                logger.error("\(error); \(retry)")
            }
            line.release()
        }
    }

    /// Reads until stopped (nil) or the line fails (why).
    private func read(_ line: GPIOLine, _ stop: InputThread.Stop) -> String? {
        let heldAtStart = line.isActive() ?? false
        if heldAtStart { logger.warning("\(line.label): \(settings.key) active at start (held down or stuck?); ignored until released") }
        var button = ButtonDebouncer(settle: settings.timing.debounce, stuckAfter: settings.timing.heldDownWarning,
                                     initiallyDown: heldAtStart, at: monotonicNow())
        var failure: String?
        while !stop.isStopping {
            var wait = Duration.milliseconds(200)
            if let deadline = button.nextDeadline { wait = min(wait, deadline - monotonicNow()) }
            var pfd = pollfd(fd: line.fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, pollMilliseconds(wait))
            if ready < 0 && errno != EINTR { failure = errorText(errno); break }
            if ready > 0 {
                let (events, error) = line.readEvents()
                if let error, error != EAGAIN, error != EINTR { failure = errorText(error); break }
                for event in events { emit(button.change(event.pressed ? .pressed : .released, at: event.time), line) }
            }
            emit(button.advance(to: monotonicNow()), line)
        }
        if button.isDown {
            // Stopped or lost with the button down: its release is reported now, so nothing waits for it.
            let now = monotonicNow()
            let released = button.change(.released, at: now) + button.advance(to: now + settings.timing.debounce)
            if released.contains(.released(at: now)) { handler(KeyEvent(key: settings.key, isPressed: false, time: now)) }
        }
        return failure
    }

    private func emit(_ events: [ButtonDebouncer.Event], _ line: GPIOLine) {
        for event in events {
            switch event {
            case .pressed(let t): handler(KeyEvent(key: settings.key, isPressed: true, time: t))
            case .released(let t): handler(KeyEvent(key: settings.key, isPressed: false, time: t))
            case .heldDown(let since):
                logger.warning("\(line.label): \(settings.key) held down for \(KeyEvent.seconds(monotonicNow() - since)) s (stuck?)")
            }
        }
    }
}
