import ArgumentParser
import Control

/// kioskctl: the field technician's command line to a running kioskd over its control socket.
///
/// Exit status (also in `kioskctl --help`):
///   0  done
///   1  kioskd answered no (a failed test, a wrong value, a call in progress)
///   64 the command line is wrong
///   66 a file to read (config validate FILE) cannot be read
///   69 kioskd is not running or not reachable on the socket
///   76 kioskd's reply could not be read
///   77 permission denied on the socket (not in its group)
public struct KioskCtl: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kioskctl",
        abstract: "Talk to the running kioskd on this kiosk.",
        discussion: """
            Talks to kioskd over its control socket (\(ControlProtocol.defaultSocketPath) unless --socket or \
            $KIOSKCTL_SOCKET says otherwise); the socket is mode 0660, for root and the technicians' group.

            Exit status: 0 done; 1 kioskd answered no (a failed test, a wrong value, a call in progress); \
            64 wrong command line; 66 a file to read cannot be read; 69 kioskd not running or not reachable; \
            76 kioskd's reply cannot be read; 77 permission denied on the socket.
            """,
        version: "0.1.0",
        subcommands: [Status.self, Devices.self, Test.self, Call.self, Hangup.self, Config.self, Logs.self, Version.self]
    )
    public init() {}
}

/// The exit statuses above, as sysexits(3) names them where one fits.
public enum KioskCtlExit {
    public static let refused: Int32 = 1
    public static let usage: Int32 = 64
    public static let noInput: Int32 = 66
    public static let unavailable: Int32 = 69
    public static let protocolError: Int32 = 76
    public static let permissionDenied: Int32 = 77

    public static func code(for error: ControlClientError) -> Int32 {
        switch error {
        case .permissionDenied: return permissionDenied
        case .notRunning, .io, .timedOut, .closed: return unavailable
        case .protocolError: return protocolError
        }
    }
}

/// Options every command takes.
public struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The control socket (default: $KIOSKCTL_SOCKET or \(ControlProtocol.defaultSocketPath)).", valueName: "path"),
            completion: .file())
    public var socket: String?

    @Flag(name: .long, help: "Print kioskd's reply as JSON (for scripts) instead of text.")
    public var json = false

    public init() {}

    public var socketPath: String {
        socket ?? Environment.value("KIOSKCTL_SOCKET") ?? ControlProtocol.defaultSocketPath
    }
}

extension KioskCtl {
    public struct Status: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "State of the kiosk: flow, versions, uptime, devices, registration, current call, last errors.")
        @OptionGroup public var connection: ConnectionOptions
        public init() {}
        public func run() throws { try Runner(connection).run(.status) }
    }

    public struct Devices: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Cameras with their formats, sound cards, framebuffers and input devices as the kiosk sees them.")
        @OptionGroup public var connection: ConnectionOptions
        public init() {}
        public func run() throws { try Runner(connection).run(.devices) }
    }

    public struct Version: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "kioskd's version and the control protocol's.")
        @OptionGroup public var connection: ConnectionOptions
        public init() {}
        public func run() throws { try Runner(connection).run(.version) }
    }

    public struct Call: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Place a test call to the configured test destination (control.testDestination) and wait until it is answered.")
        @OptionGroup public var connection: ConnectionOptions
        @Option(help: ArgumentHelp("Call this SIP URI instead of the configured test destination.", valueName: "sip-uri"))
        public var to: String?
        @Option(help: ArgumentHelp("Seconds to wait for the answer (0: return once the INVITE is sent).", valueName: "seconds"))
        public var wait: Double = 15
        public init() {}
        public func validate() throws {
            if let to, !(to.hasPrefix("sip:") || to.hasPrefix("sips:")) { throw ValidationError("--to '\(to)' is not a sip: or sips: URI") }
            guard (0...120).contains(wait) else { throw ValidationError("--wait must be 0...120 seconds") }
        }
        public func run() throws {
            var args: [(String, ControlValue)] = [("wait", .double(wait))]
            if let to { args.append(("to", .string(to))) }
            try Runner(connection).run(.call, .object(args), timeout: wait + 30)
        }
    }

    public struct Hangup: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Hang up the test call kioskctl placed (a customer's call is left alone).")
        @OptionGroup public var connection: ConnectionOptions
        public init() {}
        public func run() throws { try Runner(connection).run(.hangup) }
    }

    public struct Logs: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "kioskd's recent log lines; --follow keeps printing new ones.")
        @OptionGroup public var connection: ConnectionOptions
        @Option(name: [.customShort("n"), .long], help: "How many recent lines.")
        public var lines: Int = 50
        @Option(help: ArgumentHelp("Only lines at this level or above.", valueName: "level"),
                completion: .list(["trace", "debug", "info", "notice", "warning", "error", "critical"]))
        public var level: String?
        @Flag(name: .shortAndLong, help: "Keep printing lines as they come (Ctrl-C ends).")
        public var follow = false
        public init() {}
        public func validate() throws {
            guard lines >= 0 else { throw ValidationError("--lines must be 0 or more") }
            if let level, !["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) {
                throw ValidationError("--level '\(level)' is not one of trace, debug, info, notice, warning, error, critical")
            }
        }
        public func run() throws {
            var args: [(String, ControlValue)] = [("lines", .int(lines)), ("follow", .bool(follow))]
            if let level { args.append(("level", .string(level))) }
            try Runner(connection).run(.logs, .object(args), timeout: follow ? nil : 30)
        }
    }
}
