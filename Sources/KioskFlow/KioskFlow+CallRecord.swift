extension KioskFlow {
    /// Why a call ended, as the customer is told it (the screen's message) and as reporting counts it.
    public enum CallEndCause: Sendable, Hashable {
        /// The customer pressed to end the answered call.
        case customerHungUp
        /// The customer gave up before an answer.
        case customerCancelled
        case agentHungUp
        /// Nobody answered within the ring or queue limit (ours or the contact center's).
        case noAnswer
        case busy
        case unavailable
        /// The agent's answer had no SDP or no codec the kiosk has.
        case noUsableMedia
        /// Any other failure to place the call.
        case callFailed
        /// The established call broke (media time-out, dialog or transport failure).
        case connectionLost
        case maximumDurationReached
        /// The daemon stopped.
        case shutdown

        init(_ failure: CallFailure) {
            switch failure {
            case .busy: self = .busy
            case .unavailable: self = .unavailable
            case .noAnswer: self = .noAnswer
            case .noUsableMedia: self = .noUsableMedia
            case .rejected, .unreachable: self = .callFailed
            }
        }
    }

    /// The outcome reporting counts.
    public enum CallOutcome: Sendable, Hashable {
        case answered, noAnswer, busy, failed, abandoned
    }

    /// Who ended the call.
    public enum CallEnder: Sendable, Hashable {
        case customer, agent, kiosk, network
    }

    /// One call as it began and ended, for the interaction record (times are the owner's clock).
    public struct CallRecord: Sendable, Hashable {
        public var id: CallID
        public var category: Choice?
        public var language: Choice
        public var placedAt: ContinuousClock.Instant
        /// When the contact center first said the call is queued.
        public var queuedAt: ContinuousClock.Instant?
        public var answeredAt: ContinuousClock.Instant?
        public var endedAt: ContinuousClock.Instant
        public var cause: CallEndCause
        /// Whether the customer agreed to the camera at some point in the call.
        public var cameraShared: Bool

        public var outcome: CallOutcome {
            if answeredAt != nil { return .answered }
            switch cause {
            case .noAnswer: return .noAnswer
            case .busy: return .busy
            case .customerCancelled: return .abandoned
            default: return .failed
            }
        }

        public var endedBy: CallEnder {
            switch cause {
            case .customerHungUp, .customerCancelled: .customer
            case .agentHungUp, .busy, .unavailable: .agent
            case .noAnswer, .noUsableMedia, .callFailed, .maximumDurationReached, .shutdown: .kiosk
            case .connectionLost: .network
            }
        }

        /// Talking time; nil if never answered.
        public var talkDuration: Duration? { answeredAt.map { endedAt - $0 } }
        /// From placing the call to the answer (or to the end, unanswered).
        public var waitDuration: Duration { (answeredAt ?? endedAt) - placedAt }
    }
}
