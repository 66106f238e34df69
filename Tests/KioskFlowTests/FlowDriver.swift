import KioskFlow
import Testing

typealias Action = KioskFlow.Action
typealias Screen = KioskFlow.Screen
typealias Choice = KioskFlow.Choice
typealias CallID = KioskFlow.CallID

let english = Choice(id: "en", name: "English")
let german = Choice(id: "de", name: "Deutsch")
let chinese = Choice(id: "zh", name: "中文")
let passports = Choice(id: "passports", name: "Passports")
let taxes = Choice(id: "taxes", name: "Taxes")
let other = Choice(id: "other", name: "Something else")

/// Three languages, three categories, registered from the start.
func townHall(_ change: (inout KioskFlow.Configuration) -> Void = { _ in }) -> KioskFlow.Configuration {
    var configuration = KioskFlow.Configuration(languages: [english, german, chinese], categories: [passports, taxes, other],
                                                waitsForRegistration: false)
    change(&configuration)
    return configuration
}

/// Drives a flow with instants it makes up: a base instant plus offsets, no sleeping. It runs the
/// timers the flow starts the way an owner would (one per kind, a start replaces it), so a test can
/// move time to a timer's deadline and fire it.
struct FlowDriver {
    var flow: KioskFlow
    let base: ContinuousClock.Instant
    private(set) var now: ContinuousClock.Instant
    /// Running timers and their deadlines, from the actions so far.
    private(set) var timers: [KioskFlow.Timer: ContinuousClock.Instant] = [:]
    /// Every action so far, in order.
    private(set) var log: [Action] = []
    /// The screen last shown.
    private(set) var shown: Screen?

    init(_ configuration: KioskFlow.Configuration = townHall()) {
        flow = KioskFlow(configuration: configuration)
        base = ContinuousClock.now
        now = base
    }

    var state: KioskFlow.State { flow.state }
    var elapsed: Duration { now - base }

    /// Moves time on by `duration` (no timer fires by itself).
    mutating func wait(_ duration: Duration) {
        now = now + duration
    }

    @discardableResult
    mutating func send(_ event: KioskFlow.Event) -> [Action] {
        // A timer event sent by hand when that timer is due is the timer firing: it is gone.
        if case let .timer(timer) = event, let deadline = timers[timer], deadline <= now + .milliseconds(50) {
            timers[timer] = nil
        }
        let actions = flow.handle(event, at: now)
        for action in actions {
            switch action {
            case let .startTimer(timer, duration): timers[timer] = now + duration
            case let .cancelTimer(timer): timers[timer] = nil
            case let .show(screen): shown = screen
            default: break
            }
        }
        log += actions
        return actions
    }

    /// When each key still down was pressed.
    private(set) var pressedAt: [KioskFlow.Key: ContinuousClock.Instant] = [:]

    @discardableResult
    mutating func press(_ key: KioskFlow.Key) -> [Action] {
        if pressedAt[key] == nil { pressedAt[key] = now }
        return send(.key(key, .pressed))
    }

    @discardableResult
    mutating func release(_ key: KioskFlow.Key) -> [Action] {
        pressedAt[key] = nil
        return send(.key(key, .released))
    }

    /// How long the key has been down, if it is.
    func keysHeldFor(_ key: KioskFlow.Key) -> Duration? {
        pressedAt[key].map { now - $0 }
    }

    /// A press and, `held` later, its release; returns the actions of both.
    @discardableResult
    mutating func tap(_ key: KioskFlow.Key, held: Duration = .milliseconds(100)) -> [Action] {
        let pressed = press(key)
        wait(held)
        return pressed + release(key)
    }

    /// Moves time to the timer's deadline and fires it; the timer must be running.
    @discardableResult
    mutating func fire(_ timer: KioskFlow.Timer, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Action] {
        let deadline = try #require(timers[timer], "timer \(timer) is not running", sourceLocation: sourceLocation)
        if deadline > now { now = deadline }
        timers[timer] = nil
        return send(.timer(timer))
    }

    /// From idle, the customer picks a language and a category (indices), the call is placed.
    @discardableResult
    mutating func placeCall(language: Int = 0, category: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> CallID {
        wait(.seconds(5))
        press(.call)
        release(.call)
        for _ in 0..<language { wait(.seconds(1)); tap(.down) }
        wait(.seconds(1)); tap(.select)
        for _ in 0..<category { wait(.seconds(1)); tap(.down) }
        wait(.seconds(1))
        let actions = tap(.select)
        var placed: CallID?
        for case let .placeCall(request) in actions { placed = request.id }
        return try #require(placed, "no call placed: \(actions)", sourceLocation: sourceLocation)
    }

    /// Places a call and has the engine answer it.
    @discardableResult
    mutating func answeredCall(agent: String? = "Anna", sourceLocation: SourceLocation = #_sourceLocation) throws -> CallID {
        let id = try placeCall(sourceLocation: sourceLocation)
        wait(.seconds(3))
        send(.call(id, .ringing))
        wait(.seconds(4))
        send(.call(id, .answered(agentName: agent)))
        return id
    }

    /// The timer's duration as started by the last action that started it.
    func lastStart(of timer: KioskFlow.Timer) -> Duration? {
        for case let .startTimer(started, duration) in log.reversed() where started == timer { return duration }
        return nil
    }
}

extension KioskFlow.State {
    var isIdle: Bool { if case .idle = self { true } else { false } }
    var isInCall: Bool { if case .inCall = self { true } else { false } }
    var endedRecord: KioskFlow.CallRecord? { if case let .ended(record) = self { record } else { nil } }
    var inCallState: KioskFlow.InCall? { if case let .inCall(_, inCall) = self { inCall } else { nil } }
}

extension Array where Element == Action {
    var records: [KioskFlow.CallRecord] { compactMap { if case let .record(record) = $0 { record } else { nil } } }
    var screens: [Screen] { compactMap { if case let .show(screen) = $0 { screen } else { nil } } }
}

extension Screen {
    var inCall: KioskFlow.InCallScreen? { if case let .inCall(screen) = self { screen } else { nil } }
}
