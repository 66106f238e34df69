import Input
import Logging
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a missing or wrong device does on a host with no /dev/input and no GPIO chip: a clear error that
/// names it, and a reader that keeps trying without crashing or flooding the log. (Real devices are
/// tested on the virtual board: IntegrationTests/InputBoardTests.swift.)
@Suite(.serialized)
struct DeviceErrorTests {
    @Test func aPathThatDoesNotExistIsSaidSo() {
        #expect(throws: InputError.noSuchDevice(path: "/dev/input/event99")) { try EvdevInput.check(.path("/dev/input/event99")) }
        #expect("\(InputError.noSuchDevice(path: "/dev/input/event99"))" == "input device /dev/input/event99: does not exist (unplugged? wrong path?)")
    }

    @Test func aRegularFileIsNotAnInputDevice() throws {
        var template = Array("/tmp/kioskd-input-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        try #require(fd >= 0)
        let path = String(cString: template)
        defer { unlink(path) }
        // 24 bytes that would parse as a key press: opening must still refuse the file.
        let bytes: [UInt8] = [UInt8](repeating: 0, count: 16) + [1, 0, 28, 0, 1, 0, 0, 0]
        #expect(write(fd, bytes, bytes.count) == 24)
        close(fd)
        do {
            _ = try EvdevInput.check(.path(path))
            Issue.record("a regular file was taken as an input device")
        } catch {
            guard case .notAnInputDevice(let p, _) = error else { Issue.record("\(error)"); return }
            #expect(p == path)
            #expect("\(error)".hasPrefix("input device \(path): not an evdev input device ("))
        }
    }

    @Test func aCharacterDeviceThatIsNotEvdevIsRefused() {
        do { _ = try EvdevInput.check(.path("/dev/null")); Issue.record("/dev/null taken as an input device") } catch {
            guard case .notAnInputDevice(path: "/dev/null", _) = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func aDirectoryIsRefused() {
        #expect(throws: InputError.self) { try EvdevInput.check(.path("/tmp")) }
    }

    @Test func aNameNoDeviceHasIsSaidWithTheNamesPresent() {
        do { _ = try EvdevInput.check(.name("No Such Button")); Issue.record("found a device") } catch {
            guard case .noDeviceNamed(name: "No Such Button", _) = error else { Issue.record("\(error)"); return }
            #expect("\(error)".hasPrefix("input device named \"No Such Button\": none present ("))
        }
        #expect("\(InputError.noDeviceNamed(name: "B", present: ["AT Keyboard", "Power Button"]))"
                == "input device named \"B\": none present (present: \"AT Keyboard\", \"Power Button\")")
    }

    @Test func aMissingDeviceIsLoggedOnceAndTheReaderKeepsTryingUntilStopped() async throws {
        let log = Lines()
        let settings = EvdevSettings(device: .path("/dev/input/event99"),
                                     timing: InputTiming(retryInterval: .milliseconds(50)))
        let input = EvdevInput(settings: settings, logger: log.logger())
        let events = Mutex<[KeyEvent]>([])
        input.start { e in events.withLock { $0.append(e) } }
        try await Task.sleep(for: .milliseconds(400))  // several retries
        let clock = ContinuousClock()
        let stopping = clock.now
        input.stop()
        #expect(clock.now - stopping < .milliseconds(500), "stop must not wait long")
        #expect(log.all == ["error input device /dev/input/event99: does not exist (unplugged? wrong path?); retrying every 0.05 s"],
                "\(log.all)")
        #expect(events.withLock { $0 }.isEmpty)
        input.stop()  // a second stop is harmless
    }

    @Test func theEventStreamEndsItsReaderWhenItsConsumerGoesAway() async throws {
        let log = Lines()
        let input = EvdevInput(settings: EvdevSettings(device: .name("Nobody"), timing: InputTiming(retryInterval: .seconds(1))),
                               logger: log.logger())
        let consumer = Task { for await _ in input.events() {} }
        try await Task.sleep(for: .milliseconds(200))
        consumer.cancel()
        await consumer.value
        #expect(log.all.count == 1 && log.all[0].hasPrefix("error input device named \"Nobody\": none present"), "\(log.all)")
    }

    // MARK: - GPIO: the host has no chip

    @Test func aMissingGPIOChipIsSaidByName() {
        let settings = GPIOSettings(chip: "gpiochip9", line: .offset(17))
        do { _ = try GPIOInput.check(settings); Issue.record("found a chip") } catch {
            guard case .gpioChipMissing(chip: "gpiochip9", _) = error else { Issue.record("\(error)"); return }
            #expect("\(error)".hasPrefix("GPIO chip gpiochip9: cannot open ("), "\(error)")
        }
        do { _ = try GPIOInput.check(GPIOSettings(chip: "/dev/gpiochip7", line: .name("CALL"))); Issue.record("found a chip") } catch {
            #expect("\(error)" == "GPIO chip /dev/gpiochip7: cannot open (No such file or directory)")
        }
    }

    @Test func aGPIOChipThatIsNotOneIsRefused() {
        #expect(throws: InputError.self) { try GPIOInput.check(GPIOSettings(chip: "/dev/null", line: .offset(0))) }
    }

    @Test func aMissingGPIOChipIsLoggedOnceAndRetried() async throws {
        let log = Lines()
        let input = GPIOInput(settings: GPIOSettings(chip: "gpiochip9", line: .offset(17), timing: InputTiming(retryInterval: .milliseconds(50))),
                              logger: log.logger())
        input.start { _ in Issue.record("no event can come") }
        try await Task.sleep(for: .milliseconds(300))
        input.stop()
        #expect(log.all.count == 1 && log.all[0].hasPrefix("error GPIO chip gpiochip9: cannot open (") && log.all[0].hasSuffix("; retrying every 0.05 s"),
                "\(log.all)")
    }
}

/// The lines a reader logs, as "LEVEL message".
final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "test") { _ in Handler(lines: self) }
    }

    struct Handler: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { lines.lines.withLock { $0.append("\(event.level) \(event.message)") } }
    }
}
