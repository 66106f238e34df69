import Control
import Hummingbird
import HummingbirdTLS
import Kiosk
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// The fleet HTTP API over TLS (`fleet` section): `/healthz` for a load balancer, everything else behind
/// a bearer token. Answers come from the same handlers as the control socket (KioskManagement).
public struct FleetService: Service {
    let settings: FleetSettings
    let management: KioskManagement
    let metrics: FleetMetrics
    let logger: Logger

    public init(settings: FleetSettings, management: KioskManagement, logger: Logger) {
        self.settings = settings
        self.management = management
        self.metrics = FleetMetrics(management: management)
        self.logger = logger
    }

    public func run() async throws {
        let tls: TLSConfiguration
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(settings.certificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: settings.key, format: .pem)
            tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        } catch {
            // The kiosk still serves customers without its API; the log says why.
            logger.error("fleet: no API: cannot load fleet.certificate \(settings.certificate) / fleet.key \(settings.key): \(error)")
            throw error
        }
        let app = Application(
            router: Self.router(tokens: FleetTokens(settings), management: management, metrics: metrics, logger: logger),
            server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname(settings.address, port: settings.port), serverName: "kioskd"),
            onServerRunning: { [logger, settings] channel in
                logger.info("fleet: API listening on https://\(settings.address):\(channel.localAddress?.port ?? settings.port)")
            },
            logger: logger)
        try await app.run()
    }

    static func router(tokens: FleetTokens, management: KioskManagement, metrics: FleetMetrics, logger: Logger) -> Router<BasicRequestContext> {
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
                return Self.json(try management.replaceConfig(Array(buffer: body), keepFleet: true))
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
        return router
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
    let tokens: FleetTokens
    let open: Set<String>
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if open.contains(request.uri.path) { return try await next(request, context) }
        let outcome = tokens.check(authorization: request.headers[.authorization])
        guard case .accepted = outcome else {
            logger.info("fleet: \(request.method) \(request.uri.path) refused: \(outcome.problem)")
            var response = FleetService.error(.unauthorized, "unauthorized", outcome.problem)
            response.headers[.wwwAuthenticate] = "Bearer realm=\"kioskd\""
            return response
        }
        return try await next(request, context)
    }
}
