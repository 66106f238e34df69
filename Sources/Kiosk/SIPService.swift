import Logging
import SIP
import SIPTransport
import SIPUserAgent

/// The daemon's SIP side as built from the configuration: the registration when a registrar is set.
public enum SIPService {
    /// The user agent as the `sip` section sets it up (not started).
    public static func userAgent(_ config: KioskConfig, logger: Logger) -> SIPUserAgent {
        SIPUserAgent(configuration: .init(bindHost: config.sip.bindAddress, bindPort: config.sip.port,
                                          advertisedHost: config.sip.advertisedAddress, advertisedPort: config.sip.advertisedPort,
                                          trustRoots: config.sip.caFile), logger: logger)
    }

    /// The registration runner for the configured registrar, or nil when none is configured.
    public static func registration(_ config: KioskConfig, userAgent: SIPUserAgent, logger: Logger) async throws -> SIPRegistrationRunner? {
        guard let registrar = config.sip.registrar else { return nil }
        let registrarURI = try SIPURI(parsing: registrar)
        let hostPort = await userAgent.advertisedHostPort
        let sip = config.sip
        let transportSuffix = sip.transport == .udp ? "" : ";transport=\(sip.transport.rawValue)"
        let configuration = SIPRegistration.Configuration(
            registrar: registrarURI, addressOfRecord: try SIPURI(parsing: "sip:\(sip.user)@\(sip.domain)"),
            contact: try SIPURI(parsing: "sip:\(sip.user)@\(hostPort)\(transportSuffix)"), viaSentBy: hostPort,
            viaTransport: sip.transport.rawValue.uppercased(),
            credentials: sip.password.map { DigestCredentials(username: sip.user, password: $0) },
            expires: UInt32(sip.registerExpires), userAgent: "kioskd/0.1 (\(config.identity.id))")
        var seed = SystemRandomNumberGenerator()
        let keepAlive = sip.keepAliveSeconds > 0
            ? SIPKeepAlive.Configuration(interval: .seconds(sip.keepAliveSeconds), timeout: .seconds(5)) : nil
        return SIPRegistrationRunner(registration: SIPRegistration(configuration: configuration, tokens: SIPTokenSource(seed: seed.next())),
                                     userAgent: userAgent, registrar: try SIPCallRunner.peer(for: registrarURI),
                                     keepAlive: keepAlive, logger: logger)
    }

    /// Waits until the registration is registered or has failed, at most `seconds`.
    public static func waitUntilSettled(_ runner: SIPRegistrationRunner, seconds: Double) async -> SIPRegistration.State {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            let state = await runner.state
            switch state {
            case .registered, .failed: return state
            default: try? await Task.sleep(for: .milliseconds(50))
            }
        }
        return await runner.state
    }
}
