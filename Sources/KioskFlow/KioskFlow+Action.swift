extension KioskFlow {
    /// The flow's timers; the owner runs at most one of each. Starting one that runs replaces it.
    public enum Timer: Sendable, Hashable, CaseIterable {
        /// No key while choosing.
        case choice
        /// No answer (ring or queue limit).
        case answer
        /// The camera prompt unanswered.
        case consent
        /// The call key held long enough to hang up.
        case longPress
        /// The maximum call duration.
        case callLimit
        /// The call-ended screen has been seen.
        case endedScreen
    }

    /// What to place: the category picks the contact-center target, the language goes with the context.
    public struct CallRequest: Sendable, Hashable {
        public var id: CallID
        /// Nil when no categories are configured: the engine's default target.
        public var category: Choice?
        public var language: Choice

        public init(id: CallID, category: Choice?, language: Choice) {
            self.id = id
            self.category = category
            self.language = language
        }
    }

    public enum Action: Sendable, Hashable {
        case show(Screen)
        /// Screens speak this language (a `Choice.id`) from now on.
        case setLanguage(String)
        /// Place the call; its news comes back as `.call(request.id, …)`.
        case placeCall(CallRequest)
        /// Give up the call before it is answered (CANCEL). The flow has moved on; later news is ignored.
        case cancelCall(CallID)
        /// End the answered call (BYE). The flow has moved on; later news is ignored.
        case hangUp(CallID)
        /// The customer agreed: make video sendrecv (answer the agent's offer or re-INVITE) and open the camera.
        case agreeToCamera(CallID)
        /// The customer declined (or did not answer): answer the agent's request without the camera.
        case declineCamera(CallID)
        /// Stop sending video and close the camera device now.
        case withdrawCamera
        case startTimer(Timer, Duration)
        case cancelTimer(Timer)
        /// A call is over: its interaction record.
        case record(CallRecord)
    }
}
