// Connecting, ringing and queued: the call is placed and waits for an answer.
extension KioskFlow {
    /// A press while the call is placed: hang-up cancels at once; a second call press cancels too,
    /// unless it comes within `secondPressGuard` of placing (a double tap). Other keys do nothing.
    mutating func connectingPressed(_ key: Key, call: Call, at now: ContinuousClock.Instant) -> [Action] {
        switch key {
        case .hangUp:
            return finish(call, inCall: nil, cause: .customerCancelled, engine: .cancelCall(call.id), at: now)
        case .call where now - call.placedAt >= configuration.secondPressGuard:
            return finish(call, inCall: nil, cause: .customerCancelled, engine: .cancelCall(call.id), at: now)
        default:
            return []
        }
    }

    mutating func connectingNews(_ news: CallEvent, call: Call, at now: ContinuousClock.Instant) -> [Action] {
        switch news {
        case .ringing:
            // An agent's phone rings (also after the queue, when the call is offered to an agent).
            state = .ringing(call)
            return [.show(screen(for: state))]
        case let .queued(position, estimatedWait):
            // Queued: the limit becomes the queue's, counted from the first time the call was queued.
            var call = call
            var actions: [Action] = []
            if call.queuedAt == nil {
                call.queuedAt = now
                actions.append(start(.answer, configuration.queueTimeout, at: now))
            }
            state = .queued(call, position: position, estimatedWait: estimatedWait)
            return [.show(screen(for: state))] + actions
        case let .answered(agentName):
            return answered(call, agentName: agentName, at: now)
        case let .failed(failure):
            // Busy, unavailable, no usable media in the answer…: the engine tried every endpoint; the
            // customer is told why, then idle. The engine has already ended its side.
            return finish(call, inCall: nil, cause: CallEndCause(failure), engine: nil, at: now)
        case .agentHungUp:
            // A BYE before the answer cannot happen in SIP; an engine that reports it means the call is gone.
            return finish(call, inCall: nil, cause: .callFailed, engine: nil, at: now)
        case .mediaTimedOut, .agentAsksForCamera, .agentStoppedCamera, .chat, .link, .contentShared, .held:
            // Only an answered call has media, a camera question, chat or content.
            return []
        }
    }

    /// Answered: the in-call screen, the call limit if configured.
    private mutating func answered(_ call: Call, agentName: String?, at now: ContinuousClock.Instant) -> [Action] {
        var call = call
        call.answeredAt = now
        let inCall = InCall(agentName: agentName)
        state = .inCall(call, inCall)
        var actions = cancel(.answer) + [.show(screen(for: state))]
        if let limit = configuration.maximumCallDuration {
            actions.append(start(.callLimit, limit, at: now))
        }
        return actions
    }
}
