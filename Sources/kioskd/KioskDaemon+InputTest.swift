import ArgumentParser
import Input
import Kiosk
import Logging
#if canImport(Glibc)
import Glibc
#endif

extension KioskDaemon {
    /// A technician's test of the kiosk's keys: prints each clean key event (`key call pressed at 12.345`,
    /// seconds on the monotonic clock) as it comes, from an evdev device or a GPIO line. With
    /// `--uinput-script` it is the other end instead: a virtual keyboard (uinput) that plays a scripted
    /// sequence of presses, bounces and holds, which is how the virtual board's test presses keys.
    struct InputTest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "input-test",
            abstract: "Print the kiosk's key events as they come (or play keys on a virtual keyboard).",
            shouldDisplay: false)

        @Option(help: "The evdev device: a path (/dev/input/event0) or name:DEVICE NAME.")
        var device: String?

        @Option(help: "A GPIO chip (gpiochip0, a label or /dev/gpiochipN) whose line is the call button.")
        var gpioChip: String?

        @Option(help: "The GPIO line: its offset, or name:LINE NAME.")
        var gpioLine: String?

        @Flag(help: "The GPIO line is active-high (default: active-low, the button pulls it to ground).")
        var activeHigh = false

        @Option(help: "The GPIO line's bias: as-is, disabled, pull-up, pull-down.")
        var bias: String = "pull-up"

        @Option(help: "The key map, e.g. call=KEY_ENTER+KEY_SPACE,hangUp=KEY_ESC,up=103 (default: the standard map).")
        var keys: String?

        @Option(help: "Debounce time in milliseconds.")
        var debounceMs: Int = 25

        @Option(help: "How often a missing device is tried again, in milliseconds.")
        var retryMs: Int = 3000

        @Flag(help: "Do not take the evdev device for kioskd alone (EVIOCGRAB).")
        var noGrab = false

        @Option(help: "Stop after this many seconds.")
        var seconds: Double = 10

        @Option(help: "Play this script on a new uinput keyboard instead of reading: KEY:press|release|repeat and pauses, comma separated (call:press,50ms,call:release).")
        var uinputScript: String?

        @Option(help: "The uinput keyboard's name.")
        var uinputName: String = "kioskd-test-button"

        @Option(help: "Seconds the uinput keyboard waits before playing (for a reader to find it) and after (before it goes away).")
        var uinputWait: Double = 1

        @Option(help: "Log level (trace, debug, info, warning, error).")
        var logLevel: String = "info"

        func run() async throws {
            let map: KeyMap
            do {
                map = try keys.map(Self.keyMap) ?? .standard
                guard seconds > 0, seconds <= 86_400 else { throw ConfigError(option: "--seconds", problem: "\(seconds) is out of range 0...86400") }
                _ = try checked(debounceMs, "debounce-ms", 0...1000)
                _ = try checked(retryMs, "retry-ms", 10...600_000)
                guard uinputWait >= 0, uinputWait <= 3600 else { throw ConfigError(option: "--uinput-wait", problem: "\(uinputWait) is out of range 0...3600") }
            } catch {
                FileHandleStderr.write("kioskd: \(error)\n")
                throw ExitCode(exitUsageError)
            }
            if let uinputScript { try play(uinputScript, map: map); return }

            let timing = InputTiming(debounce: .milliseconds(debounceMs), retryInterval: .milliseconds(retryMs))
            let source: any KeySource
            let logger = makeLogger(label: "kioskd", level: logLevel)
            do {
                switch (device, gpioChip) {
                case (let device?, nil):
                    source = EvdevInput(settings: EvdevSettings(device: try EvdevDeviceSelector(parsing: device), keyMap: map,
                                                                grab: !noGrab, timing: timing), logger: logger)
                case (nil, let chip?):
                    guard let lineText = gpioLine else { throw ConfigError(option: "--gpio-line", problem: "needed with --gpio-chip") }
                    let line: GPIOLineSelector = if lineText.hasPrefix("name:") { .name(String(lineText.dropFirst(5))) }
                        else if let offset = UInt32(lineText) { .offset(offset) }
                        else { throw ConfigError(option: "--gpio-line", problem: "'\(lineText)' is neither an offset nor name:LINE") }
                    guard let bias = GPIOBias(rawValue: bias) else {
                        throw ConfigError(option: "--bias", problem: "'\(bias)' is not one of \(GPIOBias.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    source = GPIOInput(settings: GPIOSettings(chip: chip, line: line, activeLow: !activeHigh, bias: bias, timing: timing),
                                       logger: logger)
                default:
                    throw ConfigError(option: "--device", problem: "give either --device or --gpio-chip (or --uinput-script)")
                }
            } catch {
                FileHandleStderr.write("kioskd: \(error)\n")
                throw ExitCode(exitUsageError)
            }
            // One line each, written at once: a test reading the output sees whole lines as they come.
            source.start { event in
                let line = Array("\(event)\n".utf8)
                _ = Glibc.write(1, line, line.count)
            }
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            source.stop()
        }

        /// "call=KEY_ENTER+KEY_SPACE,hangUp=1" → a key map.
        static func keyMap(_ text: String) throws -> KeyMap {
            var names: [KioskKey: [String]] = [:]
            for item in text.split(separator: ",") {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let key = KioskKey(rawValue: parts[0]) else {
                    throw ConfigError(option: "--keys", problem: "'\(item)' is not KEY=CODE[+CODE…] with KEY one of \(KioskKey.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                names[key, default: []] += parts[1].split(separator: "+").map(String.init)
            }
            do { return try KeyMap(names) } catch { throw ConfigError(option: "--keys", problem: "\(error)") }
        }

        /// The virtual keyboard: created, given time to be found, the script played, given time again, gone.
        func play(_ text: String, map: KeyMap) throws {
            let script: KeyScript
            do { script = try KeyScript(parsing: text, keyMap: map) } catch {
                FileHandleStderr.write("kioskd: --uinput-script: \(error)\n")
                throw ExitCode(exitUsageError)
            }
            do {
                // It can send every mapped key, so a reader does not warn that it sends none of them.
                let keyboard = try UInputKeyboard(name: uinputName, codes: Array(Set(script.codes + map.codes.keys)).sorted(), autorepeat: true)
                FileHandleStderr.write("kioskd: uinput keyboard \"\(uinputName)\" created; playing \(script.steps.count) steps\n")
                Self.pause(uinputWait)
                for step in script.steps {
                    switch step {
                    case .key(let code, let value): try keyboard.send(code: code, value: value)
                    case .pause(let d): Self.pause(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
                    }
                }
                Self.pause(uinputWait)
                FileHandleStderr.write("kioskd: uinput keyboard \"\(uinputName)\" done\n")
            } catch {
                FileHandleStderr.write("kioskd: \(error)\n")
                throw ExitCode(1)
            }
        }

        static func pause(_ seconds: Double) {
            var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
            var left = timespec()
            while nanosleep(&request, &left) != 0 && errno == EINTR { request = left }
        }
    }
}
