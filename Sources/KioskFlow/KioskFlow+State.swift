extension KioskFlow {
    public enum State: Sendable, Hashable {
        case idle
        case choosingLanguage(highlighted: Int)
        /// The language is chosen (`KioskFlow.language`).
        case choosingCategory(highlighted: Int)
        /// Placed; no news yet.
        case connecting(Call)
        case ringing(Call)
        case queued(Call, position: Int?, estimatedWait: Duration?)
        case inCall(Call, InCall)
        /// The call-ended screen is shown until `.endedScreen`; the engine was told to end the call.
        case ended(CallRecord)
        case outOfService(reason: String)
        /// After `.shutdown`: nothing more happens.
        case stopped
    }

    /// A call from placing it to its end.
    public struct Call: Sendable, Hashable {
        public let id: CallID
        public let category: Choice?
        public let language: Choice
        public let placedAt: ContinuousClock.Instant
        public var queuedAt: ContinuousClock.Instant?
        public var answeredAt: ContinuousClock.Instant?
        /// The customer agreed to the camera at some point.
        public var cameraShared = false

        var request: CallRequest { CallRequest(id: id, category: category, language: language) }
    }

    /// Whether the customer agreed to be seen. The camera may only be open in `.agreed`.
    public enum CameraConsent: Sendable, Hashable {
        case notAsked
        /// The prompt is shown since then.
        case asked(since: ContinuousClock.Instant)
        case agreed
        /// Declined, unanswered, or withdrawn by the customer; the agent may ask again.
        case declined
    }

    /// What an answered call has besides the call itself.
    public struct InCall: Sendable, Hashable {
        public var agentName: String?
        public var consent: CameraConsent = .notAsked
        public var chat: [ChatLine] = []
        public var sharedLink: SharedLink?
        public var contentShown = false
        public var onHold = false
    }
}
