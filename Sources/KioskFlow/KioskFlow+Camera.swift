// The customer's camera and its consent. The rules (privacy, as contact centers use video):
// - the camera is agreed to only by the customer's press on the consent prompt (`.agreeToCamera`
//   never comes from anything else);
// - when that agreement ends (the agent stops video, the customer takes it back, the call ends)
//   `.withdrawCamera` closes the device;
// - frames captured without an agreement close the device at once;
// - the camera-live indicator shows what the camera reports, not what was agreed.
extension KioskFlow {
    /// The agent asks for the customer's video: the prompt shows, unless it already does or the camera
    /// is agreed. A customer who declined may be asked again.
    mutating func agentAsksForCamera(call: Call, inCall: InCall, at now: ContinuousClock.Instant) -> [Action] {
        switch inCall.consent {
        case .notAsked, .declined:
            var inCall = inCall
            inCall.consent = .asked(since: now)
            return update(call, inCall) + [start(.consent, configuration.consentTimeout, at: now)]
        case .asked, .agreed:
            return []
        }
    }

    /// The agent stops the customer's video: an agreed camera is withdrawn; a prompt still shown goes.
    mutating func agentStoppedCamera(call: Call, inCall: InCall) -> [Action] {
        var inCall = inCall
        switch inCall.consent {
        case .agreed:
            inCall.consent = .notAsked
            return [.withdrawCamera] + update(call, inCall)
        case .asked:
            inCall.consent = .notAsked
            return cancel(.consent) + update(call, inCall)
        case .notAsked, .declined:
            return []
        }
    }

    /// The customer pressed to agree on the prompt (the callers checked the press).
    mutating func agreeToCamera(call: Call, inCall: InCall) -> [Action] {
        var call = call
        var inCall = inCall
        inCall.consent = .agreed
        call.cameraShared = true
        return cancel(.consent) + [.agreeToCamera(call.id)] + update(call, inCall)
    }

    /// The customer declined on the prompt.
    mutating func declineCamera(call: Call, inCall: InCall) -> [Action] {
        var inCall = inCall
        inCall.consent = .declined
        return cancel(.consent) + [.declineCamera(call.id)] + update(call, inCall)
    }

    /// The prompt went unanswered: that is no.
    mutating func consentTimedOut(call: Call, inCall: InCall) -> [Action] {
        guard case .asked = inCall.consent else { return [] }
        var inCall = inCall
        inCall.consent = .declined
        return [.declineCamera(call.id)] + update(call, inCall)
    }

    /// The customer takes an agreed camera back (select in a call).
    mutating func customerWithdrawsCamera(call: Call, inCall: InCall) -> [Action] {
        var inCall = inCall
        inCall.consent = .declined
        return [.withdrawCamera] + update(call, inCall)
    }

    /// The camera reports whether frames are captured: the indicator follows; frames without an
    /// agreement close the camera.
    mutating func cameraReported(capturing: Bool) -> [Action] {
        let before = screen(for: state)
        cameraCapturing = capturing
        var actions: [Action] = []
        if capturing && !cameraAgreed { actions.append(.withdrawCamera) }
        let after = screen(for: state)
        if after != before { actions.append(.show(after)) }
        return actions
    }

    /// Whether the customer's agreement to the camera stands now.
    var cameraAgreed: Bool {
        if case let .inCall(_, inCall) = state, inCall.consent == .agreed { return true }
        return false
    }
}
