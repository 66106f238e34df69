import Logging
import SIP
import SIPTransport

/// Runs a `SIPRegistration` on a user agent: its REGISTERs in client transactions, its refresh and
/// retry timers on the clock, its state changes in the log (one line each) and in `states`. With a
/// `SIPKeepAlive`, it probes the registrar and registers again as soon as a lost registrar answers.
public actor SIPRegistrationRunner {
    private var machine: SIPRegistration
    private var keepAlive: SIPKeepAlive?
    private var keepAliveTimers: [SIPKeepAlive.Timer: Task<Void, Never>] = [:]
    private let userAgent: SIPUserAgent
    private let registrar: SIPPeer
    private let clock: any Clock<Duration>
    private let logger: Logger
    private var timers: [SIPRegistration.Timer: Task<Void, Never>] = [:]
    private var stopped: CheckedContinuation<Void, Never>?
    private let statesContinuation: AsyncStream<SIPRegistration.State>.Continuation
    public nonisolated let states: AsyncStream<SIPRegistration.State>

    public init(registration: SIPRegistration, userAgent: SIPUserAgent, registrar: SIPPeer,
                keepAlive: SIPKeepAlive.Configuration? = nil, clock: any Clock<Duration> = ContinuousClock(), logger: Logger) {
        machine = registration
        self.keepAlive = keepAlive.map { SIPKeepAlive(configuration: $0) }
        self.userAgent = userAgent
        self.registrar = registrar
        self.clock = clock
        self.logger = logger
        (states, statesContinuation) = AsyncStream.makeStream(of: SIPRegistration.State.self, bufferingPolicy: .bufferingNewest(64))
    }

    public var state: SIPRegistration.State { machine.state }

    public func start() {
        handle(.start)
        keepAliveHandle(.start)
    }

    /// Whether the keep-alive probes find the registrar (`.unknown` without keep-alive).
    public var reachability: SIPKeepAlive.Reachability { keepAlive?.reachability ?? .unknown }

    public func networkLost() { handle(.networkLost) }

    public func networkRestored() { handle(.networkRestored) }

    /// Removes the binding (REGISTER with Expires: 0) and waits for the answer, at most `timeout`.
    public func stop(timeout: Duration = .seconds(3)) async {
        keepAliveHandle(.stop)
        handle(.stop)
        guard machine.state == .unregistering else { return finish() }
        let clock = self.clock
        let guardTask = Task { [weak self] in
            try? await clock.sleep(for: timeout)
            await self?.finish()
        }
        await withCheckedContinuation { stopped = $0 }
        guardTask.cancel()
    }

    private func finish() {
        for (_, task) in timers { task.cancel() }
        timers = [:]
        for (_, task) in keepAliveTimers { task.cancel() }
        keepAliveTimers = [:]
        statesContinuation.finish()
        stopped?.resume()
        stopped = nil
    }

    private func handle(_ event: SIPRegistration.Event) {
        for action in machine.handle(event) {
            switch action {
            case let .send(request):
                let ua = userAgent, peer = registrar
                Task { [weak self] in
                    let outcome = await ua.send(request, to: peer)
                    await self?.completed(outcome, sequence: request.cseq?.sequenceNumber)
                }
            case let .startTimer(timer, after):
                timers[timer]?.cancel()
                let clock = self.clock
                timers[timer] = Task { [weak self] in
                    do { try await clock.sleep(for: after) } catch { return }
                    await self?.fire(timer)
                }
            case let .cancelTimer(timer):
                timers.removeValue(forKey: timer)?.cancel()
            case let .stateChanged(state):
                report(state)
            }
        }
    }

    private func keepAliveHandle(_ event: SIPKeepAlive.Event) {
        guard let actions = keepAlive?.handle(event) else { return }
        for action in actions {
            switch action {
            case let .sendProbe(number):
                let probe = machine.keepAliveProbe()
                let ua = userAgent, peer = registrar
                Task { [weak self] in
                    let outcome = await ua.send(probe, to: peer)
                    if case .response = outcome { await self?.keepAliveHandle(.answered(probe: number)) }
                    else { await self?.keepAliveHandle(.failed(probe: number)) }
                }
            case let .startTimer(timer, after):
                keepAliveTimers[timer]?.cancel()
                let clock = self.clock
                keepAliveTimers[timer] = Task { [weak self] in
                    do { try await clock.sleep(for: after) } catch { return }
                    await self?.fireKeepAlive(timer)
                }
            case let .cancelTimer(timer):
                keepAliveTimers.removeValue(forKey: timer)?.cancel()
            case .networkLost:
                logger.warning("sip: the registrar \(registrar) stopped answering keep-alives")
                handle(.networkLost)
            case .networkRestored:
                logger.info("sip: the registrar \(registrar) answers keep-alives again")
                handle(.networkRestored)
            }
        }
    }

    private func fireKeepAlive(_ timer: SIPKeepAlive.Timer) {
        guard keepAliveTimers.removeValue(forKey: timer) != nil else { return }
        keepAliveHandle(.timer(timer))
    }

    private func fire(_ timer: SIPRegistration.Timer) {
        guard timers.removeValue(forKey: timer) != nil else { return }
        handle(.timer(timer))
    }

    private func completed(_ outcome: SIPUserAgent.Outcome, sequence: UInt32?) {
        switch outcome {
        case let .response(response): handle(.response(response))
        case .timedOut: handle(.transactionFailed("no answer from \(registrar)", sequence: sequence))
        case let .transportFailed(why): handle(.transactionFailed(why, sequence: sequence))
        }
        if machine.state == .stopped { finish() }
    }

    private func report(_ state: SIPRegistration.State) {
        let aor = machine.configuration.addressOfRecord
        switch state {
        case let .registered(expires): logger.info("sip: registered \(aor) at \(registrar) for \(expires) s")
        case let .failed(failure): logger.error("sip: not registered: \(failure)")
        case .stopped: logger.info("sip: unregistered \(aor)")
        case .idle, .registering, .unregistering: logger.debug("sip: registration \(state)")
        }
        statesContinuation.yield(state)
    }
}
