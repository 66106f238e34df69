// Out of service: the kiosk cannot take calls (not registered, a device failed, maintenance). A fault
// that appears while a call is under way does not end it (an established call may still work); the
// kiosk goes out of service when the call is over.
extension KioskFlow {
    mutating func faultAppeared(_ fault: ServiceFault) -> [Action] {
        guard !faults.contains(fault) else { return [] }
        faults.append(fault)
        switch state {
        case .idle, .outOfService:
            return enterIdle()
        case .choosingLanguage, .choosingCategory:
            // The customer's call would fail: say so now rather than after the choice.
            return cancel(.choice) + enterIdle()
        case .connecting, .ringing, .queued, .inCall, .ended, .stopped:
            return []
        }
    }

    mutating func faultCleared(_ fault: ServiceFault) -> [Action] {
        guard let index = faults.firstIndex(of: fault) else { return [] }
        faults.remove(at: index)
        guard case .outOfService = state else { return [] }
        return enterIdle()
    }

    static func reason(for faults: [ServiceFault]) -> String {
        faults.map(\.description).joined(separator: "; ")
    }

    /// The screen a state shows.
    func screen(for state: State) -> Screen {
        switch state {
        case .idle:
            return .idle(languages: configuration.languages)
        case let .choosingLanguage(highlighted):
            return .choosingLanguage(languages: configuration.languages, highlighted: highlighted)
        case let .choosingCategory(highlighted):
            return .choosingCategory(categories: configuration.categories, highlighted: highlighted)
        case let .connecting(call):
            return .connecting(category: call.category, ringing: false)
        case let .ringing(call):
            return .connecting(category: call.category, ringing: true)
        case let .queued(_, position, estimatedWait):
            return .waitingInQueue(position: position, estimatedWait: estimatedWait)
        case let .inCall(_, inCall):
            let asked = if case .asked = inCall.consent { true } else { false }
            return .inCall(InCallScreen(agentName: inCall.agentName, chat: inCall.chat, sharedLink: inCall.sharedLink,
                                        contentShown: inCall.contentShown, cameraLive: cameraCapturing,
                                        consentRequested: asked, onHold: inCall.onHold))
        case let .ended(record):
            return .callEnded(CallEndedScreen(duration: record.talkDuration, cause: record.cause))
        case let .outOfService(reason):
            return .outOfService(reason: reason)
        case .stopped:
            return .outOfService(reason: "stopped")
        }
    }
}
