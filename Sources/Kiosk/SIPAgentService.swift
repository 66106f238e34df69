import Logging
import Media
import ServiceLifecycle
import SIPUserAgent
import Synchronization

/// The daemon's SIP side as a service: the user agent on its socket, the registration with the
/// contact center's registrar, and the call engine answering what reaches the kiosk. On shutdown the
/// call in progress is hung up (BYE) and the registration removed before the socket closes.
public struct SIPAgentService: Service {
    let config: KioskConfig
    let logger: Logger
    /// The engine, for the parts of the daemon that place calls (the button, the control socket).
    public let engine: CallEngine
    let userAgent: SIPUserAgent
    /// Yields once, with the registration (nil: no registrar), when the call engine answers requests;
    /// ends without a value if it never does. systemd's READY=1 waits for it.
    public let engineStarted: AsyncStream<SIPRegistrationRunner?>
    let engineStartedContinuation: AsyncStream<SIPRegistrationRunner?>.Continuation

    /// The customer's side: the flow from the button to the screen (KioskFlow), on this engine.
    public let controller: KioskController
    /// The screen, when one is configured and could be opened.
    public let presenter: ScreenPresenter?
    /// The registration once the service started it (nil: none yet, or no registrar), for `kioskctl status`.
    public let registration = RegistrationHolder()

    public init(config: KioskConfig, recorder: CallRecorder? = nil, logger: Logger) {
        self.config = config
        self.logger = logger
        userAgent = SIPService.userAgent(config, logger: logger)
        var presenter: ScreenPresenter?
        if config.screen.output != .none {
            do {
                presenter = try ScreenPresenter(settings: config.screen, kioskName: config.identity.name, logger: logger)
            } catch {
                logger.error("\(error); the kiosk runs without a screen")
            }
        }
        self.presenter = presenter
        var pictureSink: CallMedia.PictureSink?, contentSink: CallMedia.PictureSink?
        if let presenter {
            pictureSink = { frame in presenter.agentPicture(frame) }
            contentSink = { frame in presenter.contentPicture(frame) }
        }
        engine = CallEngine(config: config, userAgent: userAgent, pictureSink: pictureSink, contentSink: contentSink, logger: logger)
        controller = KioskController(config: config, engine: engine, presenter: presenter, recorder: recorder, logger: logger)
        (engineStarted, engineStartedContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    public func run() async throws {
        defer { engineStartedContinuation.finish() }
        do {
            try await userAgent.start()
        } catch {
            logger.error("sip: cannot listen on \(config.sip.bindAddress):\(config.sip.port): \(error)")
            throw error
        }
        let registration = try await SIPService.registration(config, userAgent: userAgent, logger: logger)
        presenter?.start()
        await controller.start()
        // The flow is out of service until the registrar has the kiosk, and again while it has not.
        let controller = self.controller
        let following = registration.map { runner in
            Task {
                for await state in runner.states {
                    if case .registered = state { await controller.registration(up: true) }
                    if case .failed = state { await controller.registration(up: false) }
                }
            }
        }
        self.registration.runner = registration
        await registration?.start()
        await engine.start()
        engineStartedContinuation.yield(registration)
        if config.contactCenter.healthCheckSeconds > 0 {
            await engine.startHealthChecks(every: .milliseconds(Int(config.contactCenter.healthCheckSeconds * 1000)))
        }
        try? await gracefulShutdown()
        await controller.shutdown()
        following?.cancel()
        await engine.stop()
        await registration?.stop()
        await userAgent.stop()
        presenter?.stop()
    }
}

/// The SIP agent's registration once started, shared with the control socket.
public final class RegistrationHolder: Sendable {
    private let held = Mutex<SIPRegistrationRunner?>(nil)
    public var runner: SIPRegistrationRunner? {
        get { held.withLock { $0 } }
        set { held.withLock { $0 = newValue } }
    }
}
