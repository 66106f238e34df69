import ArgumentParser
import Control

extension KioskCtl {
    public struct Test: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Try the kiosk's devices and network (refused while a customer uses the kiosk).",
            subcommands: [Camera.self, Mic.self, Speaker.self, Display.self, Network.self]
        )
        public init() {}
    }
}

extension KioskCtl.Test {
    public struct Camera: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Capture for a while: frames per second achieved and a PNG snapshot (the synthetic camera when none is configured).")
        @OptionGroup public var connection: ConnectionOptions
        @Option(help: "Seconds to capture.") public var seconds: Double = 2
        @Option(help: ArgumentHelp("Where kioskd writes the PNG snapshot (an absolute path it may write).", valueName: "path"),
                completion: .file(extensions: ["png"]))
        public var snapshot: String?
        public init() {}
        public func validate() throws {
            guard (0.5...30).contains(seconds) else { throw ValidationError("--seconds must be 0.5...30") }
            if let snapshot, !snapshot.hasPrefix("/") { throw ValidationError("--snapshot must be an absolute path (kioskd writes it)") }
        }
        public func run() throws {
            var args: [(String, ControlValue)] = [("seconds", .double(seconds))]
            if let snapshot { args.append(("snapshot", .string(snapshot))) }
            try Runner(connection).run(.testCamera, .object(args), timeout: seconds + 30)
        }
    }

    public struct Mic: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Show the microphone's level for a few seconds.")
        @OptionGroup public var connection: ConnectionOptions
        @Option(help: "Seconds to listen.") public var seconds: Double = 3
        public init() {}
        public func validate() throws {
            guard (0.5...30).contains(seconds) else { throw ValidationError("--seconds must be 0.5...30") }
        }
        public func run() throws {
            try Runner(connection).run(.testMic, ["seconds": .double(seconds)], timeout: seconds + 30)
        }
    }

    public struct Speaker: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Play a tone on the kiosk's speaker.")
        @OptionGroup public var connection: ConnectionOptions
        @Option(help: "Seconds to play.") public var seconds: Double = 2
        @Option(help: "The tone's frequency in Hz.") public var frequency: Double = 440
        public init() {}
        public func validate() throws {
            guard (0.2...10).contains(seconds) else { throw ValidationError("--seconds must be 0.2...10") }
            guard (50...10_000).contains(frequency) else { throw ValidationError("--frequency must be 50...10000 Hz") }
        }
        public func run() throws {
            try Runner(connection).run(.testSpeaker, ["seconds": .double(seconds), "frequency": .double(frequency)], timeout: seconds + 30)
        }
    }

    public struct Display: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Show colour bars on the screen, then go back to the kiosk's screen.")
        @OptionGroup public var connection: ConnectionOptions
        @Option(help: "Seconds to show the test pattern.") public var seconds: Double = 3
        public init() {}
        public func validate() throws {
            guard (0.5...60).contains(seconds) else { throw ValidationError("--seconds must be 0.5...60") }
        }
        public func run() throws {
            try Runner(connection).run(.testDisplay, ["seconds": .double(seconds)], timeout: seconds + 30)
        }
    }

    public struct Network: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "DNS lookups, then SIP OPTIONS to each contact-center endpoint (round-trip time; TLS certificate check over TLS).")
        @OptionGroup public var connection: ConnectionOptions
        @Option(help: "Seconds to wait for each answer.") public var timeout: Double = 3
        public init() {}
        public func validate() throws {
            guard (0.2...30).contains(timeout) else { throw ValidationError("--timeout must be 0.2...30") }
        }
        public func run() throws {
            try Runner(connection).run(.testNetwork, ["timeout": .double(timeout)], timeout: 120)
        }
    }
}
