import Logging
import ServiceLifecycle
import SIP
import SIPUserAgent
import Systemd

/// The daemon's side of systemd's notify protocol: `READY=1` once the call engine is up (or at once
/// without a `sip` section), then `WATCHDOG=1` every half `WatchdogSec` only while a health probe of the
/// daemon answers in time, `STATUS=` with a short state, and `STOPPING=1` on graceful shutdown. Not run
/// by systemd (no `$NOTIFY_SOCKET`) it only waits for the shutdown.
public struct SystemdService: Service {
    let notifier: SystemdNotifier
    let sipAgent: SIPAgentService?
    let logger: Logger

    /// The longest a health probe may take; shorter when the keep-alive interval is.
    static let maximumProbeDeadline: Duration = .seconds(5)
    /// How often `STATUS=` is refreshed when systemd armed no watchdog.
    static let statusInterval: Duration = .seconds(5)

    /// `services`: the daemon's other services; the SIP agent among them (if any) is the one watched.
    public init(supervising services: [any Service], notifier: SystemdNotifier = .fromProcessEnvironment(), logger: Logger) {
        self.notifier = notifier
        sipAgent = services.lazy.compactMap { $0 as? SIPAgentService }.first
        self.logger = logger
    }

    public func run() async throws {
        for problem in notifier.problems { logger.warning("systemd: \(problem)") }
        guard notifier.isActive else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown { await notifyWhileRunning() }
        send([.stopping, .status("stopping")], what: "STOPPING=1")
    }

    private func notifyWhileRunning() async {
        var registration: SIPRegistrationRunner?
        if let sipAgent {
            var started = sipAgent.engineStarted.makeAsyncIterator()
            // Ends without a value when the SIP side failed to start (or shutdown came first): never ready.
            guard let found = await started.next() else { return }
            registration = found
        }
        guard send([.ready, .status("started")], what: "READY=1") else { return }

        let watchdog = notifier.watchdog
        let interval = watchdog?.keepAliveInterval ?? Self.statusInterval
        let keepAlive = WatchdogKeepAlive(notifier: notifier, interval: interval,
                                          probeDeadline: min(interval / 2, Self.maximumProbeDeadline),
                                          sendsKeepAlive: watchdog != nil)
        if let watchdog {
            logger.info("systemd: READY=1; watchdog \(watchdog.timeout), keep-alive every \(interval) while the daemon answers within \(keepAlive.probeDeadline)")
        } else {
            logger.info("systemd: READY=1; no watchdog armed")
        }
        let logger = logger
        await keepAlive.run(probe: { [sipAgent, registration] in
            await Self.probe(sipAgent, registration)
        }, onRound: { round in
            switch round {
            case .keptAlive: break
            case let .withheld(reason): logger.warning("systemd: no watchdog keep-alive: \(reason)")
            case let .sendFailed(error): logger.warning("systemd: \(error)")
            }
        })
    }

    /// The health probe: the call engine's and the user agent's actors must answer (a wedged one does
    /// not, and the keep-alive stops); their state is the status line. Without SIP, that this runs at
    /// all shows the thread pool is not starved.
    static func probe(_ sipAgent: SIPAgentService?, _ registration: SIPRegistrationRunner?) async -> WatchdogKeepAlive.Health {
        guard let sipAgent else { return .healthy(status: "running; no SIP configured") }
        _ = await sipAgent.userAgent.localPort
        let phase = await sipAgent.engine.currentPhase
        guard let registration else { return .healthy(status: "no registrar; \(phase)") }
        return .healthy(status: "\(describe(await registration.state)); \(phase)")
    }

    static func describe(_ state: SIPRegistration.State) -> String {
        switch state {
        case .idle, .registering: return "registering"
        case .registered: return "registered"
        case .failed: return "not registered"
        case .unregistering, .stopped: return "unregistered"
        }
    }

    @discardableResult
    private func send(_ notifications: [SystemdNotification], what: String) -> Bool {
        do {
            try notifier.send(notifications)
            return true
        } catch {
            logger.warning("systemd: cannot send \(what): \(error)")
            return false
        }
    }
}
