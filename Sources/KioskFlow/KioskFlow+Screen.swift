extension KioskFlow {
    /// What the screen shows, as the flow sees it; the owner maps it to the renderer's screens.
    public enum Screen: Sendable, Hashable {
        /// Waiting for a customer; invites in every offered language.
        case idle(languages: [Choice])
        case choosingLanguage(languages: [Choice], highlighted: Int)
        case choosingCategory(categories: [Choice], highlighted: Int)
        /// The call is being placed; `ringing` once an agent's phone rings.
        case connecting(category: Choice?, ringing: Bool)
        case waitingInQueue(position: Int?, estimatedWait: Duration?)
        case inCall(InCallScreen)
        case callEnded(CallEndedScreen)
        /// `reason` is for the technician.
        case outOfService(reason: String)
    }

    public struct InCallScreen: Sendable, Hashable {
        public var agentName: String?
        /// The chat so far (newest last, at most `chatLinesKept`).
        public var chat: [ChatLine]
        /// The last link or document, shown as a QR code.
        public var sharedLink: SharedLink?
        /// The agent's shared content is shown.
        public var contentShown: Bool
        /// The camera-live indicator: frames are being captured (the camera says so).
        public var cameraLive: Bool
        /// The prompt asking the customer to agree to the camera.
        public var consentRequested: Bool
        public var onHold: Bool

        public init(agentName: String? = nil, chat: [ChatLine] = [], sharedLink: SharedLink? = nil, contentShown: Bool = false,
                    cameraLive: Bool = false, consentRequested: Bool = false, onHold: Bool = false) {
            self.agentName = agentName
            self.chat = chat
            self.sharedLink = sharedLink
            self.contentShown = contentShown
            self.cameraLive = cameraLive
            self.consentRequested = consentRequested
            self.onHold = onHold
        }
    }

    /// One chat message and who wrote it (nil: the MESSAGE named nobody). A string literal is a line
    /// without a sender, for tests.
    public struct ChatLine: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
        public var sender: String?
        public var text: String
        public init(sender: String?, text: String) {
            self.sender = sender
            self.text = text
        }
        public init(stringLiteral text: String) { self.init(sender: nil, text: text) }
        public var description: String { sender.map { "\($0): \(text)" } ?? text }
    }

    public struct SharedLink: Sendable, Hashable {
        public var url: String
        public var caption: String
        public init(url: String, caption: String) {
            self.url = url
            self.caption = caption
        }
    }

    public struct CallEndedScreen: Sendable, Hashable {
        /// Talking time; nil if the call was never answered.
        public var duration: Duration?
        /// What to tell the customer.
        public var cause: CallEndCause
        public init(duration: Duration?, cause: CallEndCause) {
            self.duration = duration
            self.cause = cause
        }
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
