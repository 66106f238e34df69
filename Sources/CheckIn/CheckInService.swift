import AsyncHTTPClient
import Control
import Kiosk
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import ServiceLifecycle

/// Posts the kiosk's status to the fleet server (`checkIn` section) on an interval and takes a new
/// configuration from the answer through KioskManagement.replaceConfig, the same path as `PUT /v1/config`
/// and `kioskctl config set`. An unreachable server is logged once per outage and retried with backoff;
/// a configuration the daemon refuses is logged and reported on the next check-in. It never stops the daemon.
public struct CheckInService: Service {
    let settings: CheckInSettings
    let management: KioskManagement
    let logger: Logger

    public init(settings: CheckInSettings, management: KioskManagement, logger: Logger) {
        self.settings = settings
        self.management = management
        self.logger = logger
    }

    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    public func run() async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                // The kiosk still serves customers; the log says why it does not check in.
                logger.error("check-in: off: cannot load checkIn.caFile \(caFile): \(error)")
                throw SetupError(description: "checkIn.caFile \(caFile): \(error)")
            }
        }
        if settings.url.lowercased().hasPrefix("http:"), settings.token != nil {
            logger.warning("check-in: \(settings.url) is plain http: the token and the configuration travel unencrypted")
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(15))
        // A refused connection fails the attempt at once; the schedule's backoff decides when to try again.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        logger.info("check-in: posting to \(settings.url) every \(Self.seconds(settings.intervalSeconds))")
        await cancelWhenGracefulShutdown {
            await loop(client)
        }
        try? await client.shutdown()
    }

    /// What the service remembers between check-ins.
    struct State {
        var schedule: CheckInSchedule
        var lastConfigError: ConfigRefusal?
        /// The configuration last refused (its JSON), so a server repeating it is not logged each time.
        var refused: [UInt8]?
        var appliedServerVersion: String?
    }

    func loop(_ client: HTTPClient) async {
        var state = State(schedule: CheckInSchedule(intervalSeconds: settings.intervalSeconds))
        var delay = state.schedule.firstDelay(random: Double.random(in: 0...1))
        while !Task.isCancelled {
            do { try await Task.sleep(for: .milliseconds(Int64(delay * 1000))) } catch { return }
            await checkIn(client, &state)
            delay = state.schedule.nextDelay(random: Double.random(in: 0...1))
        }
    }

    func checkIn(_ client: HTTPClient, _ state: inout State) async {
        let file = try? readFileContents(management.configPath)
        let currentVersion = file.map(sha256Hex)
        let report = CheckInReport(kiosk: management.config.identity.id, version: management.version, configVersion: currentVersion,
                                   status: await management.status(), appliedServerVersion: state.appliedServerVersion,
                                   lastConfigError: state.lastConfigError)
        let status: Int, body: [UInt8]
        do {
            let answered = try await post(client, report.json)
            status = answered.status
            body = answered.body
        } catch {
            if Task.isCancelled { return }
            fail(&state, "cannot reach \(settings.url): \(Self.describe(error))")
            return
        }
        let answer = CheckInAnswer(status: status, body: body, currentVersion: currentVersion,
                                   currentConfig: file.flatMap { try? ControlValue(parsing: $0) },
                                   intervalRange: CheckInSettings.intervalRange)
        if case let .failed(reason) = answer.decision {
            fail(&state, "\(settings.url) answered \(reason)")
            return
        }
        if state.schedule.succeeded(serverInterval: answer.nextIntervalSeconds) {
            logger.notice("check-in: \(settings.url) reachable again")
        }
        // The server has seen the last refusal now.
        state.lastConfigError = nil
        switch answer.decision {
        case .nothing, .failed:
            state.refused = nil
        case let .refuse(reason):
            refuse(&state, ConfigRefusal(field: "", message: reason), body)
        case let .apply(config, serverVersion):
            do {
                let result = try await management.replaceConfig(config, keepFleet: false)
                state.refused = nil
                state.appliedServerVersion = serverVersion
                logger.notice("check-in: configuration\(serverVersion.map { " \($0)" } ?? "") from \(settings.url) taken: \(result["applies"]?.string ?? "written")")
            } catch {
                let refusal: ConfigRefusal
                switch error {
                case let .invalid(problem): refusal = ConfigRefusal(field: problem.key, message: problem.problem, serverVersion: serverVersion)
                case let .notJSON(problem): refusal = ConfigRefusal(field: "", message: "not JSON: \(problem)", serverVersion: serverVersion)
                case let .writeFailed(problem): refusal = ConfigRefusal(field: "", message: problem, serverVersion: serverVersion)
                }
                refuse(&state, refusal, config)
            }
        }
    }

    func refuse(_ state: inout State, _ refusal: ConfigRefusal, _ what: [UInt8]) {
        state.lastConfigError = refusal
        let field = refusal.field.isEmpty ? "" : "\(refusal.field): "
        if state.refused != what {
            logger.error("check-in: configuration\(refusal.serverVersion.map { " \($0)" } ?? "") from \(settings.url) not taken, nothing changed: \(field)\(refusal.message)")
        } else {
            logger.debug("check-in: the same configuration again, not taken: \(field)\(refusal.message)")
        }
        state.refused = what
    }

    func fail(_ state: inout State, _ reason: String) {
        if state.schedule.failed() {
            logger.warning("check-in: \(reason); trying again with backoff (logged once until it answers)")
        } else {
            logger.debug("check-in: attempt \(state.schedule.failures) failed: \(reason)")
        }
    }

    func post(_ client: HTTPClient, _ report: ControlValue) async throws -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: settings.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "kioskd/\(management.version)")
        if let token = settings.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(string: report.json))
        let response = try await client.execute(request, timeout: .seconds(20))
        // Up to 1 MiB, the largest configuration file the daemon reads.
        let body = try await response.body.collect(upTo: (1 << 20) + 4096)
        return (Int(response.status.code), Array(body.readableBytesView))
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// AsyncHTTPClient's and NIO's errors as a line a technician can read.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        if let error = error as? NIOSSLError { return "TLS: \(error)" }
        if let error = error as? BoringSSLError { return "TLS: \(error)" }
        return "\(error)"
    }
}
