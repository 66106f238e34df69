/// The kiosk's flow from a customer's press to the end of the call, as a value: it takes events (keys,
/// the call engine's news, timers, the camera's truth, service faults) with the owner's current instant
/// and returns actions (screens, calls, camera, timers, records). No clock is read, nothing sleeps, no
/// I/O: the owner runs the actions and feeds their results back, like swift-nio's and Hummingbird's
/// state machines and the SIP core's `SIPRegistration`.
///
/// idle → choosing language → choosing category → connecting → ringing / queued → in call → ended → idle,
/// and out of service while the kiosk cannot take calls. The privacy rules are the flow's own: the
/// camera is agreed to only by a customer's press on the consent prompt, and it is withdrawn whenever
/// that agreement ends or frames appear without it.
///
/// The owner's part: call `handle(_:at:)` from one place (an actor or a single task), with the instant
/// the event happened; run the actions in order; keep at most one timer of each `Timer` kind (a start
/// replaces a running one) and feed its expiry back as `.timer`; report the engine's news with the
/// `CallID` of `.placeCall`; report the camera's capture state as `.cameraCapturing`.
public struct KioskFlow: Sendable {
    public internal(set) var configuration: Configuration
    public internal(set) var state: State
    /// The language screens speak now (the first configured one unless the customer chose another).
    public internal(set) var language: Choice
    /// Why the kiosk cannot take calls; empty when it can.
    public internal(set) var faults: [ServiceFault]
    /// The camera's last report: frames are being captured.
    public internal(set) var cameraCapturing = false

    var keys = KeyTracker()
    /// When each running timer is due, so that a timer event that was already on its way when the
    /// timer was cancelled or restarted is recognised as stale.
    var deadlines: [Timer: ContinuousClock.Instant] = [:]
    var lastCallNumber: UInt64 = 0

    /// A timer may be reported this much before its deadline (the owner's clock read before the sleep ended).
    static let timerSlack: Duration = .milliseconds(50)

    public init(configuration: Configuration) {
        self.configuration = configuration
        language = configuration.languages[0]
        faults = configuration.waitsForRegistration ? [.notRegistered] : []
        state = faults.isEmpty ? .idle : .outOfService(reason: Self.reason(for: faults))
    }

    /// Takes one event that happened at `now`; returns what the owner must do, in order.
    public mutating func handle(_ event: Event, at now: ContinuousClock.Instant) -> [Action] {
        // Stopped is final: the daemon is going away and must not start anything.
        if case .stopped = state { return [] }
        switch event {
        case .start:
            return [.show(screen(for: state))]
        case let .key(key, .pressed):
            guard keys.press(key, at: now, configuration: configuration) else { return [] }
            return pressed(key, at: now)
        case let .key(key, .released):
            guard let press = keys.release(key), press.counts, !press.longPressHandled else { return [] }
            return released(key, pressedAt: press.since, at: now)
        case let .timer(timer):
            guard let deadline = deadlines[timer], now >= deadline - Self.timerSlack else { return [] }
            deadlines[timer] = nil
            return fired(timer, at: now)
        case let .call(id, news):
            // News about any other call (one already given up) is ignored: the engine was told to end it.
            guard let call = state.call, call.id == id else { return [] }
            return callNews(news, about: call, at: now)
        case let .cameraCapturing(capturing):
            return cameraReported(capturing: capturing)
        case let .unavailable(fault):
            return faultAppeared(fault)
        case let .available(fault):
            return faultCleared(fault)
        case .shutdown:
            return shutDown(at: now)
        }
    }

    // MARK: - Dispatch by state

    /// A counted press, by state.
    private mutating func pressed(_ key: Key, at now: ContinuousClock.Instant) -> [Action] {
        switch state {
        case .idle:
            return idlePressed(key, at: now)
        case let .choosingLanguage(highlighted):
            return choosingLanguagePressed(key, highlighted: highlighted, at: now)
        case let .choosingCategory(highlighted):
            return choosingCategoryPressed(key, highlighted: highlighted, at: now)
        case let .connecting(call), let .ringing(call), let .queued(call, _, _):
            return connectingPressed(key, call: call, at: now)
        case let .inCall(call, inCall):
            return inCallPressed(key, call: call, inCall: inCall, at: now)
        case .ended, .outOfService, .stopped:
            // The ended screen ignores keys so that a burst of hang-up presses does not start a new
            // call; out of service nothing can be done.
            return []
        }
    }

    /// The release of a counted press; only the call key in a call acts on release (short or long).
    private mutating func released(_ key: Key, pressedAt: ContinuousClock.Instant, at now: ContinuousClock.Instant) -> [Action] {
        guard case let .inCall(call, inCall) = state, key == .call else { return [] }
        return inCallCallKeyReleased(call: call, inCall: inCall, pressedAt: pressedAt, at: now)
    }

    private mutating func fired(_ timer: Timer, at now: ContinuousClock.Instant) -> [Action] {
        switch (state, timer) {
        case (.choosingLanguage, .choice), (.choosingCategory, .choice):
            return choiceTimedOut()
        case let (.connecting(call), .answer), let (.ringing(call), .answer), let (.queued(call, _, _), .answer):
            return finish(call, inCall: nil, cause: .noAnswer, engine: .cancelCall(call.id), at: now)
        case let (.inCall(call, inCall), .consent):
            return consentTimedOut(call: call, inCall: inCall)
        case let (.inCall(call, inCall), .longPress):
            return longPressReached(call: call, inCall: inCall, at: now)
        case let (.inCall(call, inCall), .callLimit):
            return finish(call, inCall: inCall, cause: .maximumDurationReached, engine: .hangUp(call.id), at: now)
        case (.ended, .endedScreen):
            return leaveEndedScreen()
        default:
            // A timer that belongs to a state already left.
            return []
        }
    }

    private mutating func callNews(_ news: CallEvent, about call: Call, at now: ContinuousClock.Instant) -> [Action] {
        switch state {
        case .connecting, .ringing, .queued:
            return connectingNews(news, call: call, at: now)
        case let .inCall(call, inCall):
            return inCallNews(news, call: call, inCall: inCall, at: now)
        default:
            return []
        }
    }

    // MARK: - Timers

    mutating func start(_ timer: Timer, _ duration: Duration, at now: ContinuousClock.Instant) -> Action {
        deadlines[timer] = now + duration
        return .startTimer(timer, duration)
    }

    /// Cancels the timer if it runs (no action otherwise).
    mutating func cancel(_ timer: Timer) -> [Action] {
        deadlines.removeValue(forKey: timer) == nil ? [] : [.cancelTimer(timer)]
    }

    mutating func cancel(_ timers: [Timer]) -> [Action] {
        timers.flatMap { cancel($0) }
    }
}

extension KioskFlow.State {
    /// The call in progress, if any.
    public var call: KioskFlow.Call? {
        switch self {
        case let .connecting(call), let .ringing(call), let .queued(call, _, _), let .inCall(call, _): call
        default: nil
        }
    }
}
