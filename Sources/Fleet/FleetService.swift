import Control
import Hummingbird
import HummingbirdTLS
import Kiosk
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The fleet HTTP API over TLS (`fleet` section): `/healthz` for a load balancer, everything else behind
/// a bearer token. Answers come from the same handlers as the control socket (KioskManagement).
public struct FleetService: Service {
    let settings: FleetSettings
    let management: KioskManagement
    let metrics: FleetMetrics
    let logger: Logger
    let shutdown: @Sendable () -> Void

    /// `shutdown` starts the daemon's graceful shutdown for `POST /v1/actions/restart` (kioskd: SIGTERM
    /// to itself, then exit DaemonRestart.exitCode).
    public init(settings: FleetSettings, management: KioskManagement, logger: Logger,
                shutdown: @escaping @Sendable () -> Void = { kill(getpid(), SIGTERM) }) {
        self.settings = settings
        self.management = management
        self.metrics = FleetMetrics(management: management)
        self.logger = logger
        self.shutdown = shutdown
    }

    public func run() async throws {
        let tls: TLSConfiguration
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(settings.certificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: settings.key, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            if let clientCA = settings.clientCA {
                // Mutual TLS: no certificate from that CA, no handshake (the client's name is not checked).
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
                configuration.certificateVerification = .noHostnameVerification
            }
            tls = configuration
        } catch {
            // The kiosk still serves customers without its API; the log says why.
            logger.error("fleet: no API: cannot load fleet.certificate \(settings.certificate) / fleet.key \(settings.key)\(settings.clientCA.map { " / fleet.clientCA \($0)" } ?? ""): \(error)")
            throw error
        }
        let executor = FleetAPIExecutor()
        let app = Application(
            router: Self.router(tokens: Self.currentTokens(management, started: settings), management: management, metrics: metrics, logger: logger, shutdown: shutdown),
            server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname(settings.address, port: settings.port), serverName: "kioskd"),
            onServerRunning: { [logger, settings] channel in
                logger.info("fleet: API listening on https://\(settings.address):\(channel.localAddress?.port ?? settings.port)\(settings.clientCA == nil ? "" : " (client certificates required)")")
            },
            eventLoopGroupProvider: .shared(executor.group),
            logger: logger)
        do {
            try await withTaskExecutorPreference(executor) { try await app.run() }
        } catch {
            await executor.shutdown()
            throw error
        }
        await executor.shutdown()
    }

    /// The tokens as the running configuration has them: a token added or revoked through a
    /// configuration change counts from the next request, without a restart.
    static func currentTokens(_ management: KioskManagement, started: FleetSettings) -> @Sendable () -> FleetTokens {
        let cache = TokenCache(FleetTokens(started), started)
        return { cache.tokens(for: management.live.current.fleet ?? started) }
    }

    static func router(tokens: @escaping @Sendable () -> FleetTokens, management: KioskManagement, metrics: FleetMetrics, logger: Logger,
                       shutdown: @escaping @Sendable () -> Void) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: BearerAuthentication(tokens: tokens, open: ["/healthz"], logger: logger))
        router.get("/healthz") { _, _ in
            Self.json(["status": "ok"])
        }
        router.get("/v1/status") { _, _ in
            Self.json(await management.status())
        }
        router.get("/v1/config") { _, _ in
            do { return Self.json(try management.configShow()) } catch {
                return Self.error(.internalServerError, "config", (error as? ControlFailure)?.message ?? "\(error)")
            }
        }
        router.put("/v1/config") { request, _ in
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: 1 << 20) } catch {
                return Self.error(.contentTooLarge, "body", "the configuration is larger than 1 MiB")
            }
            do {
                return Self.json(try await management.replaceConfig(Array(buffer: body), keepFleet: true))
            } catch {
                switch error as? KioskManagement.ReplaceError {
                case let .notJSON(problem):
                    return Self.error(.badRequest, "body", "not a JSON configuration: \(problem)", field: "")
                case let .invalid(problem):
                    return Self.error(.unprocessableContent, "config",
                                      "not changed: \(problem.key.isEmpty ? "" : problem.key + ": ")\(problem.problem)", field: problem.key)
                case let .writeFailed(problem):
                    return Self.error(.internalServerError, "config", problem)
                case nil:
                    return Self.error(.internalServerError, "config", "\(error)")
                }
            }
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: await metrics.text())))
        }
        router.get("/v1/logs") { request, _ in
            let lines: Int
            if let text = request.uri.queryParameters["lines"] {
                guard let n = Int(String(text)), (0...2000).contains(n) else {
                    return Self.error(.badRequest, "bad-argument", "lines: '\(text)' is not a whole number in 0...2000", field: "lines")
                }
                lines = n
            } else {
                lines = 100
            }
            var minimum = Logger.Level.trace
            if let text = request.uri.queryParameters["level"] {
                guard let level = Logger.Level(rawValue: String(text)) else {
                    return Self.error(.badRequest, "bad-argument", "level: '\(text)' is not one of \(KioskConfig.logLevels.joined(separator: ", "))",
                                      field: "level")
                }
                minimum = level
            }
            return Self.json(["lines": .array(management.logLines(lines, minimum: minimum).map { .string($0) })])
        }
        router.get("/v1/calls") { request, _ in
            Self.calls(request, management: management)
        }
        router.post("/v1/actions/test-call") { request, _ in
            await Self.action(request) { args in
                try await management.testCall(to: try Self.optionalString(args, "to"), wait: try Self.optionalDouble(args, "wait"))
            }
        }
        router.post("/v1/actions/identify") { request, _ in
            await Self.action(request) { args in
                let seconds = try Self.optionalDouble(args, "seconds") ?? 5
                guard (1...60).contains(seconds) else { throw ControlFailure(.badArgument, "seconds: \(seconds) is not in 1...60") }
                return try await management.identify(seconds: seconds)
            }
        }
        router.post("/v1/actions/restart") { request, _ in
            await Self.action(request, status: .accepted) { args in
                let force: Bool
                switch args["force"] {
                case nil, .null?: force = false
                case let .bool(b)?: force = b
                case let other?: throw ControlFailure(.badArgument, "force: expected true or false, found \(other.kind)")
                }
                return await management.restart(force: force, shutdown: shutdown)
            }
        }
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: StatusPage.html(await management.status(), calls: management.recentCalls(StatusPage.callCount)))))
        }
        return router
    }

    /// Runs an action with its JSON body (none: no arguments); refusals map to HTTP statuses.
    static func action(_ request: Request, status: HTTPResponse.Status = .ok,
                       _ body: @Sendable (ControlValue) async throws -> ControlValue) async -> Response {
        var request = request
        let args: ControlValue
        do {
            let bytes = Array(buffer: try await request.collectBody(upTo: 64 * 1024))
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                args = .object([])
            } else {
                let parsed = try ControlValue(parsing: bytes)
                guard case .object = parsed else { return error(.badRequest, "bad-request", "the body must be a JSON object", field: "") }
                args = parsed
            }
        } catch {
            return Self.error(.badRequest, "bad-request", "not a JSON object: \(error)", field: "")
        }
        do {
            return json(try await body(args), status: status)
        } catch let failure as ControlFailure {
            switch failure.code {
            case .busy: return Self.error(.conflict, "busy", failure.message)
            case .unavailable: return Self.error(.conflict, "unavailable", failure.message)
            case .failed: return Self.error(.badGateway, "failed", failure.message)
            default: return Self.error(.badRequest, "bad-argument", failure.message)
            }
        } catch {
            return Self.error(.internalServerError, "failed", "\(error)")
        }
    }

    static func optionalString(_ args: ControlValue, _ name: String) throws(ControlFailure) -> String? {
        guard let value = args[name], value != .null else { return nil }
        guard let s = value.string else { throw ControlFailure(.badArgument, "\(name): expected a string, found \(value.kind)") }
        return s
    }

    static func optionalDouble(_ args: ControlValue, _ name: String) throws(ControlFailure) -> Double? {
        guard let value = args[name], value != .null else { return nil }
        guard let d = value.double else { throw ControlFailure(.badArgument, "\(name): expected a number, found \(value.kind)") }
        return d
    }

    static func json(_ value: ControlValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: value.json + "\n")))
    }

    /// Errors are JSON: `{"error": code, "message": why, "field": key}` (field: for a configuration).
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil) -> Response {
        var pairs: [(String, ControlValue)] = [("error", .string(code)), ("message", .string(message))]
        if let field { pairs.append(("field", .string(field))) }
        return json(.object(pairs), status: status)
    }
}

/// Refuses every request but the open paths without an accepted bearer token: 401, JSON, and a
/// WWW-Authenticate challenge.
struct BearerAuthentication<Context: RequestContext>: RouterMiddleware {
    let tokens: @Sendable () -> FleetTokens
    let open: Set<String>
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if open.contains(request.uri.path) { return try await next(request, context) }
        let outcome = tokens().check(authorization: request.headers[.authorization])
        guard case .accepted = outcome else {
            logger.info("fleet: \(request.method) \(request.uri.path) refused: \(outcome.problem)")
            var response = FleetService.error(.unauthorized, "unauthorized", outcome.problem)
            // The status page is for a browser: it asks for a user and password (the token) on Basic.
            response.headers[.wwwAuthenticate] = request.uri.path == "/" ? "Basic realm=\"kioskd\", charset=\"UTF-8\"" : "Bearer realm=\"kioskd\""
            return response
        }
        return try await next(request, context)
    }
}

/// The checker for the fleet settings last seen, made again only when they change.
final class TokenCache: Sendable {
    private let state: Mutex<(FleetTokens, FleetSettings)>

    init(_ tokens: FleetTokens, _ settings: FleetSettings) {
        state = Mutex((tokens, settings))
    }

    func tokens(for settings: FleetSettings) -> FleetTokens {
        state.withLock { cached in
            if cached.1 != settings { cached = (FleetTokens(settings), settings) }
            return cached.0
        }
    }
}
