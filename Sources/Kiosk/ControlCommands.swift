import Control
import Logging
import Input
import Media
import SIP
import SIPUserAgent
#if canImport(Glibc)
import Glibc
#endif

/// What the control socket's commands do, on the daemon's parts (the flow, the engine, the screen, the
/// configuration file, the log ring). Replies go out through `reply`, several for a stream.
struct ControlCommands: Sendable {
    /// The running configuration and its files (shared with the fleet API and check-in).
    let live: LiveConfiguration
    var config: KioskConfig { live.current }
    /// The file the configuration is read from (the managed one once a change was written).
    var configPath: String { live.readPath }
    let version: String
    let sipAgent: SIPAgentService?
    let ring: LogRing
    let logger: Logger
    let started = ContinuousClock.now

    typealias Reply = @Sendable (ControlResponse) async throws -> Void

    func handle(_ request: ControlRequest, _ command: ControlCommand, reply: @escaping Reply) async throws {
        let id = request.id
        let args = request.args
        do {
            switch command {
            case .status: try await reply(.result(id: id, await status()))
            case .version: try await reply(.result(id: id, versionInfo()))
            case .devices: try await reply(.result(id: id, devices()))
            case .logs: try await logs(id: id, args, reply: reply)
            case .call: try await reply(.result(id: id, try await testCall(args)))
            case .hangup: try await reply(.result(id: id, try await hangUp()))
            case .configShow: try await reply(.result(id: id, try configShow()))
            case .configValidate: try await reply(.result(id: id, try configValidate(args)))
            case .configSet: try await reply(.result(id: id, try await configSet(args)))
            case .testCamera: try await reply(.result(id: id, try await testCamera(args)))
            case .testMic: try await testMicrophone(id: id, args, reply: reply)
            case .testSpeaker: try await reply(.result(id: id, try await testSpeaker(args)))
            case .testDisplay: try await reply(.result(id: id, try await testDisplay(args)))
            case .testNetwork: try await reply(.result(id: id, try await testNetwork(args)))
            }
        } catch let failure as ControlFailure {
            logger.info("control: \(command.rawValue) refused: \(failure.message)")
            try await reply(.failure(id: id, failure))
        }
    }

    // MARK: - Status

    func versionInfo() -> ControlValue {
        ["kioskd": .string(version), "protocol": .int(ControlProtocol.version)]
    }

    func status() async -> ControlValue {
        var pairs: [(String, ControlValue)] = [
            ("kiosk", .string(config.identity.id)),
            ("name", .string(config.identity.name)),
        ]
        if let sipAgent {
            pairs.append(("state", .string(await sipAgent.controller.stateName)))
        } else {
            pairs.append(("state", "no calls (the configuration has no sip section)"))
        }
        pairs.append(("version", .string(version)))
        pairs.append(("uptimeSeconds", .int(Int((ContinuousClock.now - started).components.seconds))))
        pairs.append(("registration", .string(await registrationState())))
        if let engine = sipAgent?.engine {
            pairs.append(("call", .string("\(await engine.currentPhase)")))
        } else {
            pairs.append(("call", "none"))
        }
        pairs.append(("devices", configuredDevices()))
        let errors = ring.recent(5, minimum: .error).map { ControlValue.string($0.text) }
        pairs.append(("lastErrors", .array(errors)))
        return .object(pairs)
    }

    func registrationState() async -> String {
        guard sipAgent != nil else { return "no SIP" }
        guard config.sip.registrar != nil else { return "no registrar configured" }
        guard let runner = sipAgent?.registration.runner else { return "not started" }
        switch await runner.state {
        case .idle: return "not started"
        case .registering: return "registering"
        case let .registered(expires): return "registered (expires in \(expires) s)"
        case let .failed(why): return "failed: \(why)"
        case .unregistering: return "unregistering"
        case .stopped: return "stopped"
        }
    }

    func configuredDevices() -> ControlValue {
        let display: String
        switch config.screen.output {
        case .none: display = "none"
        case let .framebuffer(path): display = path
        case let .offscreen(directory): display = "offscreen:\(directory)"
        }
        var input: [String] = []
        if let evdev = config.input.evdev { input.append("evdev \(evdev.device)") }
        if let gpio = config.input.gpio { input.append("gpio \(gpio.chip) line \(gpio.line)") }
        return [
            "camera": .string("\(config.media.camera) \(config.media.size)@\(config.media.framesPerSecond)"),
            "microphone": .string("\(config.media.microphone)"),
            "speaker": .string(config.speaker.device ?? "none"),
            "display": .string(display),
            "input": .string(input.isEmpty ? "none" : input.joined(separator: ", ")),
        ]
    }

    // MARK: - Logs

    func logs(id: Int, _ args: ControlValue, reply: Reply) async throws {
        let count = try Self.int(args, "lines", default: 50, range: 0...ring.capacity)
        let minimum = try Self.level(args)
        let lines = ring.recent(count, minimum: minimum).map { ControlValue.string($0.text) }
        guard args["follow"]?.bool == true else {
            try await reply(.result(id: id, ["lines": .array(lines)]))
            return
        }
        // Following: the recent lines, then each new one, until the client closes the connection (the
        // next write fails) or the daemon shuts down (the stream ends on cancellation).
        try await reply(.result(id: id, ["lines": .array(lines)], more: true))
        for await line in ring.follow() where line.level >= minimum {
            try await reply(.result(id: id, ["lines": [.string(line.text)]], more: true))
        }
        try await reply(.result(id: id, ["lines": [], "ended": "the daemon is stopping"]))
    }

    // MARK: - Test call

    func engineInUse() async -> String? {
        guard let sipAgent else { return nil }
        if await sipAgent.controller.customerPresent { return "a customer is using the kiosk (\(await sipAgent.controller.stateName))" }
        switch await sipAgent.engine.currentPhase {
        case .idle, .ended: return nil
        case let phase: return "a call is in progress (\(phase))"
        }
    }

    func testCall(_ args: ControlValue) async throws -> ControlValue {
        guard let sipAgent else { throw ControlFailure(.unavailable, "no calls: the configuration has no sip section") }
        let target = try args["to"].map { value throws(ControlFailure) -> String in
            guard let s = value.string, s.hasPrefix("sip:") || s.hasPrefix("sips:") else {
                throw ControlFailure(.badArgument, "to: \(value.json) is not a sip: or sips: URI")
            }
            return s
        } ?? config.control.testDestination
        guard let target else {
            throw ControlFailure(.unavailable, "no test destination: set control.testDestination in \(configPath) (or give one)")
        }
        if let busy = await engineInUse() { throw ControlFailure(.busy, "\(busy); try again when it is over") }
        let wait = try Self.double(args, "wait", default: 15, range: 0...120)
        let engine = sipAgent.engine
        let context: KioskContext
        do {
            context = try await engine.placeCall(CallEngine.Request(category: "test", language: config.screen.languages.first ?? "en",
                                                                    target: target))
        } catch {
            throw ControlFailure(.failed, "cannot place the test call: \(error)")
        }
        logger.info("control: test call to \(target), request \(context.requestID)")
        // Wait for the outcome a technician wants to see: answered, or why not.
        let clock = ContinuousClock()
        let until = clock.now + .milliseconds(Int(wait * 1000))
        var phase = await engine.currentPhase
        while clock.now < until {
            if case .inCall = phase { break }
            if case .ended = phase { break }
            try? await Task.sleep(for: .milliseconds(100))
            phase = await engine.currentPhase
        }
        if case let .ended(why) = phase { throw ControlFailure(.failed, "the test call to \(target) ended: \(why)") }
        if wait > 0, phase != .inCall {
            // Not answered in the time the technician gave it: a test call does not ring on for ever.
            await engine.hangUp()
            throw ControlFailure(.failed, "the test call to \(target) was not answered within \(Self.seconds(wait)) s (\(phase)); hanging up")
        }
        return ["target": .string(target), "request": .string(context.requestID), "phase": .string("\(phase)")]
    }

    func hangUp() async throws -> ControlValue {
        guard let sipAgent else { throw ControlFailure(.unavailable, "no calls: the configuration has no sip section") }
        let engine = sipAgent.engine
        // A customer's call is theirs: the flow ends it (their button, the agent), not a technician.
        if await sipAgent.controller.customerPresent {
            throw ControlFailure(.busy, "the call in progress is a customer's (\(await sipAgent.controller.stateName)); kioskctl hangs up only its own test calls")
        }
        let phase = await engine.currentPhase
        switch phase {
        case .idle, .ended: throw ControlFailure(.failed, "no call to hang up")
        default: break
        }
        await engine.hangUp()
        let clock = ContinuousClock()
        let until = clock.now + .seconds(5)
        var now = await engine.currentPhase
        while clock.now < until {
            if case .ended = now { break }
            if case .idle = now { break }
            try? await Task.sleep(for: .milliseconds(50))
            now = await engine.currentPhase
        }
        return ["was": .string("\(phase)"), "phase": .string("\(now)")]
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    // MARK: - Arguments

    static func int(_ args: ControlValue, _ name: String, default fallback: Int, range: ClosedRange<Int>) throws(ControlFailure) -> Int {
        guard let value = args[name], value != .null else { return fallback }
        guard let i = value.int, range.contains(i) else {
            throw ControlFailure(.badArgument, "\(name): \(value.json) is not a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return i
    }

    static func double(_ args: ControlValue, _ name: String, default fallback: Double, range: ClosedRange<Double>) throws(ControlFailure) -> Double {
        guard let value = args[name], value != .null else { return fallback }
        guard let d = value.double, range.contains(d) else {
            throw ControlFailure(.badArgument, "\(name): \(value.json) is not a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return d
    }

    static func string(_ args: ControlValue, _ name: String) throws(ControlFailure) -> String {
        guard let value = args[name] else { throw ControlFailure(.badArgument, "\(name) is missing") }
        guard let s = value.string else { throw ControlFailure(.badArgument, "\(name): expected a string, found \(value.kind)") }
        return s
    }

    static func level(_ args: ControlValue) throws(ControlFailure) -> Logger.Level {
        guard let value = args["level"], value != .null else { return .trace }
        guard let text = value.string, let level = Logger.Level(rawValue: text) else {
            throw ControlFailure(.badArgument, "level: \(value.json) is not one of \(KioskConfig.logLevels.joined(separator: ", "))")
        }
        return level
    }
}
