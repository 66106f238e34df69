/// Tells whether the registrar can still be reached, so that a kiosk whose network or registrar went
/// away registers again as soon as it comes back instead of waiting for the next refresh or retry.
/// A value: it takes events and returns actions; the owner sends the probes and runs the timers.
///
/// The probe is an out-of-dialog OPTIONS to the registrar on the registration's transport. RFC 5626's
/// CRLF ping is answered only by outbound-aware servers and its UDP form is STUN, which a registrar
/// need not multiplex; every registrar answers OPTIONS (any response, even 401/404/405, proves it is
/// up and routing), and the probe keeps a NAT binding on the way open just the same.
public struct SIPKeepAlive: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Time between probes.
        public var interval: Duration
        /// A probe without a response after this long counts as unanswered.
        public var timeout: Duration
        /// Consecutive unanswered probes before the network counts as lost (one lost datagram is not).
        public var missesBeforeLoss: Int

        public init(interval: Duration = .seconds(30), timeout: Duration = .seconds(5), missesBeforeLoss: Int = 2) {
            self.interval = interval
            self.timeout = min(timeout, interval)
            self.missesBeforeLoss = max(1, missesBeforeLoss)
        }
    }

    public enum Reachability: Sendable, Hashable { case unknown, reachable, lost }

    public enum Timer: Sendable, Hashable {
        /// Time for the next probe.
        case probe
        /// The probe in flight has had its time.
        case timeout(probe: UInt32)
    }

    public enum Event: Sendable, Hashable {
        case start
        case timer(Timer)
        /// A response to the probe with this number (whatever its status code).
        case answered(probe: UInt32)
        /// The probe could not be sent, or its transaction failed (connection refused or closed).
        case failed(probe: UInt32)
        case stop
    }

    public enum Action: Sendable, Hashable {
        /// Send probe number `probe`; its outcome comes back as `.answered` or `.failed`.
        case sendProbe(UInt32)
        case startTimer(Timer, Duration)
        case cancelTimer(Timer)
        /// `missesBeforeLoss` probes in a row went unanswered.
        case networkLost
        /// A probe was answered after the network counted as lost.
        case networkRestored
    }

    public let configuration: Configuration
    public private(set) var reachability: Reachability = .unknown
    private var probe: UInt32 = 0
    /// Whether probe number `probe` still waits for its outcome.
    private var awaiting = false
    private var misses = 0
    private var running = false

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .start:
            guard !running else { return [] }
            running = true
            return [.startTimer(.probe, configuration.interval)]
        case .stop:
            guard running else { return [] }
            running = false
            awaiting = false
            return [.cancelTimer(.probe), .cancelTimer(.timeout(probe: probe))]
        case .timer(.probe):
            guard running else { return [] }
            var actions: [Action] = []
            if awaiting { actions += miss() }  // the last one never came back (cannot happen with timeout < interval)
            probe &+= 1
            awaiting = true
            return actions + [.sendProbe(probe), .startTimer(.timeout(probe: probe), configuration.timeout),
                              .startTimer(.probe, configuration.interval)]
        case let .timer(.timeout(number)), let .failed(number):
            guard running, awaiting, number == probe else { return [] }
            awaiting = false
            return [.cancelTimer(.timeout(probe: number))] + miss()
        case let .answered(number):
            guard running, awaiting, number == probe else { return [] }
            awaiting = false
            misses = 0
            let wasLost = reachability == .lost
            reachability = .reachable
            return [.cancelTimer(.timeout(probe: number))] + (wasLost ? [.networkRestored] : [])
        }
    }

    private mutating func miss() -> [Action] {
        misses += 1
        guard misses >= configuration.missesBeforeLoss, reachability != .lost else { return [] }
        reachability = .lost
        return [.networkLost]
    }
}
