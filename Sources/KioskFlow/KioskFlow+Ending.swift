// The end of a call, whoever ends it: the engine is told (BYE or CANCEL) unless it reported the end
// itself, the camera is withdrawn if it was agreed or is capturing, the record goes out, the customer
// sees why, and after the ended screen the kiosk is idle again.
extension KioskFlow {
    /// Ends `call` for `cause`; `engine` is `.hangUp`/`.cancelCall`, or nil when the engine's side is over.
    mutating func finish(_ call: Call, inCall: InCall?, cause: CallEndCause, engine: Action?,
                         at now: ContinuousClock.Instant) -> [Action] {
        var actions = close(call, inCall: inCall, cause: cause, engine: engine, at: now)
        actions += [.show(screen(for: state)), start(.endedScreen, configuration.endedScreenTime, at: now)]
        return actions
    }

    /// What every end does; leaves the flow in `.ended`.
    private mutating func close(_ call: Call, inCall: InCall?, cause: CallEndCause, engine: Action?,
                                at now: ContinuousClock.Instant) -> [Action] {
        // The engine first: the BYE or CANCEL should not wait for the screen.
        var actions: [Action] = engine.map { [$0] } ?? []
        if inCall?.consent == .agreed || cameraCapturing { actions.append(.withdrawCamera) }
        actions += cancel([.choice, .answer, .consent, .longPress, .callLimit])
        let record = CallRecord(id: call.id, category: call.category, language: call.language, placedAt: call.placedAt,
                                queuedAt: call.queuedAt, answeredAt: call.answeredAt, endedAt: now, cause: cause,
                                cameraShared: call.cameraShared)
        state = .ended(record)
        actions.append(.record(record))
        return actions
    }

    /// The ended screen has been seen: idle (or out of service, if a fault appeared during the call).
    mutating func leaveEndedScreen() -> [Action] {
        enterIdle()
    }

    /// The daemon stops: a call in progress is hung up (or cancelled) and recorded, the camera closed,
    /// every timer cancelled. Nothing happens after this.
    mutating func shutDown(at now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = []
        if case let .inCall(call, inCall) = state {
            actions += close(call, inCall: inCall, cause: .shutdown, engine: .hangUp(call.id), at: now)
        } else if let call = state.call {
            actions += close(call, inCall: nil, cause: .shutdown, engine: .cancelCall(call.id), at: now)
        } else if cameraCapturing {
            actions.append(.withdrawCamera)
        }
        actions += cancel(Timer.allCases)
        state = .stopped
        return actions
    }
}
