// In call: the customer talks to the agent; chat, links, content and hold change the screen; the call
// ends by the customer (hang-up key, a second press, a long press), the agent, the network or the limit.
extension KioskFlow {
    /// A press in a call. The hang-up key ends it at once. The call key acts on release (short: a
    /// second press; long: hang up) because while the camera prompt shows, a short press means "agree".
    /// Select answers the prompt, or takes an agreed camera back; up/down decline the prompt.
    mutating func inCallPressed(_ key: Key, call: Call, inCall: InCall, at now: ContinuousClock.Instant) -> [Action] {
        switch key {
        case .hangUp:
            return finish(call, inCall: inCall, cause: .customerHungUp, engine: .hangUp(call.id), at: now)
        case .call:
            return [start(.longPress, configuration.longPress, at: now)]
        case .select:
            switch inCall.consent {
            case let .asked(since) where now - since >= configuration.consentGuard:
                return agreeToCamera(call: call, inCall: inCall)
            case .agreed:
                return customerWithdrawsCamera(call: call, inCall: inCall)
            default:
                return []
            }
        case .up, .down:
            guard case let .asked(since) = inCall.consent, now - since >= configuration.consentGuard else { return [] }
            return declineCamera(call: call, inCall: inCall)
        }
    }

    /// The call key released in a call.
    mutating func inCallCallKeyReleased(call: Call, inCall: InCall, pressedAt: ContinuousClock.Instant,
                                        at now: ContinuousClock.Instant) -> [Action] {
        // A press that began before the answer belongs to connecting (where it was ignored or acted).
        guard let answeredAt = call.answeredAt, pressedAt >= answeredAt else { return [] }
        var actions = cancel(.longPress)
        // Held long enough, and the timer has not said so yet: a long press.
        if now - pressedAt >= configuration.longPress {
            return actions + finish(call, inCall: inCall, cause: .customerHungUp, engine: .hangUp(call.id), at: now)
        }
        switch inCall.consent {
        case let .asked(since):
            // The prompt shows: a short press agrees, if it began after the prompt had been seen.
            // One that began earlier was meant for something else; it neither agrees nor hangs up.
            guard pressedAt - since >= configuration.consentGuard else { return actions }
            actions += agreeToCamera(call: call, inCall: inCall)
            return actions
        default:
            // A second press (the first placed the call) hangs up.
            return actions + finish(call, inCall: inCall, cause: .customerHungUp, engine: .hangUp(call.id), at: now)
        }
    }

    /// The call key has been held for the long-press time: hang up now, not at the release.
    mutating func longPressReached(call: Call, inCall: InCall, at now: ContinuousClock.Instant) -> [Action] {
        guard let held = keys.down[.call], held.counts, !held.longPressHandled,
              let answeredAt = call.answeredAt, held.since >= answeredAt,
              now - held.since >= configuration.longPress - Self.timerSlack else { return [] }
        keys.markLongPressHandled(.call)
        return finish(call, inCall: inCall, cause: .customerHungUp, engine: .hangUp(call.id), at: now)
    }

    mutating func inCallNews(_ news: CallEvent, call: Call, inCall: InCall, at now: ContinuousClock.Instant) -> [Action] {
        var inCall = inCall
        switch news {
        case .agentHungUp:
            // The agent ended it (BYE): the engine has answered it.
            return finish(call, inCall: inCall, cause: .agentHungUp, engine: nil, at: now)
        case .failed:
            // The established dialog broke (transaction or transport failure): the engine's side is gone.
            return finish(call, inCall: inCall, cause: .connectionLost, engine: nil, at: now)
        case .mediaTimedOut:
            // Network loss mid-call: end cleanly (a BYE, which may or may not arrive), tell the customer.
            return finish(call, inCall: inCall, cause: .connectionLost, engine: .hangUp(call.id), at: now)
        case .agentAsksForCamera:
            return agentAsksForCamera(call: call, inCall: inCall, at: now)
        case .agentStoppedCamera:
            return agentStoppedCamera(call: call, inCall: inCall)
        case let .chat(text, sender):
            inCall.chat.append(ChatLine(sender: sender, text: text))
            if inCall.chat.count > configuration.chatLinesKept {
                inCall.chat.removeFirst(inCall.chat.count - configuration.chatLinesKept)
            }
        case let .link(url, caption):
            inCall.sharedLink = SharedLink(url: url, caption: caption)
        case let .contentShared(shown):
            inCall.contentShown = shown
        case let .held(onHold):
            inCall.onHold = onHold
        case .ringing, .queued, .answered:
            // A retransmitted or late provisional/final response: the call is answered already.
            return []
        }
        return update(call, inCall)
    }

    /// Stores the in-call state and shows it, if the screen changes.
    mutating func update(_ call: Call, _ inCall: InCall) -> [Action] {
        let before = screen(for: state)
        state = .inCall(call, inCall)
        let after = screen(for: state)
        return before == after ? [] : [.show(after)]
    }
}
