import KioskFlow
import Testing

/// Long seeded random sequences of events, with the flow's rules checked after every step: the camera
/// is agreed only by a press on the prompt and never stays open without the agreement, calls do not
/// overlap and each ends with exactly one record, no timer runs that the state does not need, and the
/// screen's camera indicator and prompt tell the truth.
@Suite struct FlowInvariantTests {
    @Test(arguments: [1, 2, 3, 42, 2026] as [UInt64])
    func randomEventsKeepTheRules(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var configuration = townHall {
            $0.maximumCallDuration = .seconds(900)
            $0.waitsForRegistration = Bool.random(using: &random)
        }
        if Bool.random(using: &random) { configuration.categories = [taxes] }
        var driver = FlowDriver(configuration)
        var checker = RuleChecker()
        var placed: [CallID] = []
        var visits: [Substring: Int] = [:]
        // Weighted towards choosing and agreeing; hang-up is the rarest (every press of it ends a call).
        let keys: [KioskFlow.Key] = [.call, .call, .select, .select, .select, .up, .down, .hangUp]
        let faults: [KioskFlow.ServiceFault] = [.notRegistered, .device("audio")]

        for step in 0..<20_000 {
            var events: [KioskFlow.Event]
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<20:
                // A tap: press, a short hold, release (checked as two steps).
                let key = keys.randomElement(using: &random)!
                events = [.key(key, .pressed), .key(key, .released)]
            case 20..<25:
                // A lone press or release: stuck keys, lost releases.
                events = [.key(keys.randomElement(using: &random)!, Bool.random(using: &random) ? .pressed : .released)]
            case 25..<40:
                // A running timer comes due (the usual way), or a stray one.
                if let timer = driver.timers.keys.sorted(by: { "\($0)" < "\($1)" }).randomElement(using: &random),
                   Int.random(in: 0..<10, using: &random) > 0 {
                    let deadline = driver.timers[timer]!
                    if deadline > driver.now { driver.wait(deadline - driver.now) }
                    events = [.timer(timer)]
                } else {
                    events = [.timer(KioskFlow.Timer.allCases.randomElement(using: &random)!)]
                }
            case 40..<80:
                // News of the current call, or now and then of an older one.
                let current = driver.state.call?.id ?? placed.last ?? CallID(1)
                let id = Int.random(in: 0..<8, using: &random) == 0 ? CallID(UInt64.random(in: 0...5, using: &random)) : current
                events = [.call(id, randomNews(&random))]
            case 80..<88:
                events = [.cameraCapturing(Bool.random(using: &random))]
            case 88..<91:
                // Faults come and, more often, go: the kiosk is out of service now and then, not mostly.
                let fault = faults.randomElement(using: &random)!
                events = [Int.random(in: 0..<8, using: &random) == 0 ? .unavailable(fault) : .available(fault)]
            default:
                events = [.start]
            }
            for (index, event) in events.enumerated() {
                if index > 0 { driver.wait(.milliseconds(Int64.random(in: 30...600, using: &random))) }
                let before = driver.state
                let actions = driver.send(event)
                try checker.check(event: event, before: before, actions: actions, driver: driver, step: step)
                for case let .placeCall(request) in actions { placed.append(request.id) }
            }
            visits["\(driver.state)".prefix(while: { $0 != "(" }), default: 0] += 1
            driver.wait(.milliseconds(Int64.random(in: 0...2_500, using: &random)))
        }
        let before = driver.state
        let actions = driver.send(.shutdown)
        try checker.check(event: .shutdown, before: before, actions: actions, driver: driver, step: -1)
        // Every call placed ended with a record, and the daemon left nothing running.
        #expect(checker.openCall == nil)
        #expect(Set(checker.recorded) == Set(placed) && checker.recorded.count == placed.count)
        #expect(driver.timers.isEmpty)
        #expect(!checker.cameraOpen)
        // The sequence went everywhere worth going.
        // Every state was visited (the category step only where there is more than one category).
        let expected: Set<Substring> = ["idle", "choosingLanguage", "connecting", "ringing", "queued", "inCall", "ended", "outOfService"]
        #expect(expected.isSubset(of: Set(visits.keys)), "visited: \(visits)")
        #expect(placed.count > 100)
        #expect(checker.agreements > 2)
    }

    private func randomNews(_ random: inout SplitMix64) -> KioskFlow.CallEvent {
        // Weighted so that calls get answered and last long enough for the camera to be asked for.
        switch Int.random(in: 0..<30, using: &random) {
        case 0, 1: .ringing
        case 2, 3: .queued(position: Int.random(in: 1...9, using: &random), estimatedWait: nil)
        case 4..<10: .answered(agentName: "Anna")
        case 10: .failed([.busy, .unavailable(code: 503), .noUsableMedia("no SDP"), .noAnswer].randomElement(using: &random)!)
        case 11: .agentHungUp
        case 12: .mediaTimedOut
        case 13..<20: .agentAsksForCamera
        case 20, 21: .agentStoppedCamera
        case 22, 23: .chat("line")
        case 24, 25: .link(url: "https://example.org", caption: "Form")
        case 26, 27: .contentShared(Bool.random(using: &random))
        default: .held(Bool.random(using: &random))
        }
    }
}

/// The rules, checked step by step against a model of what the owner would have done.
struct RuleChecker {
    /// The call placed and not yet ended (by a record).
    var openCall: CallID?
    var recorded: [CallID] = []
    /// The camera as the engine would have it: opened by `.agreeToCamera`, closed by `.withdrawCamera`.
    var cameraOpen = false
    var agreements = 0

    mutating func check(event: KioskFlow.Event, before: KioskFlow.State, actions: [KioskFlow.Action], driver: FlowDriver,
                        step: Int) throws {
        let where_ = { "step \(step): \(event) in \(before) → \(actions)" }
        for action in actions {
            switch action {
            case let .agreeToCamera(id):
                // Only a press (or the call key's release) of select/call, on the prompt of this call.
                let isPress: Bool = switch event {
                case .key(.select, .pressed), .key(.call, .released): true
                default: false
                }
                guard case let .inCall(call, inCall) = before, call.id == id, case .asked = inCall.consent, isPress else {
                    Issue.record("agreeToCamera without a press on the prompt: \(where_())")
                    return
                }
                cameraOpen = true
                agreements += 1
            case .withdrawCamera:
                cameraOpen = false
            case let .placeCall(request):
                #expect(openCall == nil, "a call placed while another is open: \(where_())")
                openCall = request.id
            case let .record(record):
                #expect(record.id == openCall, "a record for a call not open: \(where_())")
                recorded.append(record.id)
                openCall = nil
            case let .hangUp(id), let .cancelCall(id):
                #expect(id == before.call?.id, "ending a call that is not the current one: \(where_())")
            default:
                break
            }
        }
        let state = driver.state
        // The camera is open only while the customer's agreement stands.
        if cameraOpen {
            guard case let .inCall(_, inCall) = state, inCall.consent == .agreed else {
                Issue.record("camera left open without agreement: \(where_())")
                return
            }
        }
        // Frames without the agreement are closed in the same step they are reported.
        if case .cameraCapturing(true) = event, !(state.inCallState?.consent == .agreed) {
            #expect(actions.contains(.withdrawCamera), "frames without agreement left running: \(where_())")
        }
        // The open call is the state's call.
        #expect(state.call?.id == openCall || state.call == nil && openCall == nil, "state and calls disagree: \(where_())")
        // Only the timers the state needs run.
        let allowed: Set<KioskFlow.Timer> = switch state {
        case .idle, .outOfService, .stopped: []
        case .choosingLanguage, .choosingCategory: [.choice]
        case .connecting, .ringing, .queued: [.answer]
        case .inCall: [.consent, .longPress, .callLimit]
        case .ended: [.endedScreen]
        }
        #expect(Set(driver.timers.keys).isSubset(of: allowed), "timers \(driver.timers.keys) in \(state): \(where_())")
        // The in-call screen last shown tells the truth about the camera and the prompt.
        if case let .inCall(_, inCall) = state, let shown = driver.shown?.inCall {
            #expect(shown.cameraLive == driver.flow.cameraCapturing, "indicator out of step: \(where_())")
            let asked = if case .asked = inCall.consent { true } else { false }
            #expect(shown.consentRequested == asked, "prompt out of step: \(where_())")
        }
    }
}
