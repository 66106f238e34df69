/// What the screen shows, as a value: the kiosk's state machine says which screen, the renderer draws it.
public enum Screen: Sendable, Hashable {
    /// Waiting for a customer.
    case idle(languages: [Language])
    /// The customer picks what they need (category names come from the configuration).
    case choosingCategory(categories: [String], highlighted: Int)
    /// The customer picks a language.
    case choosingLanguage(languages: [Language], highlighted: Int)
    /// The call is being placed.
    case connecting(category: String?)
    /// The call waits in the contact center's queue; position and wait when the contact center says them.
    case waitingInQueue(position: Int?, estimatedWait: Duration?)
    /// Talking to an agent.
    case inCall(InCallScreen)
    /// The call is over, or could not be made; `duration` is the talking time (nil: never answered).
    case callEnded(duration: Duration?, reason: CallEndReason)
    /// The kiosk cannot take calls; `reason` is for the technician.
    case outOfService(reason: String)
}

/// Why the call ended, as the customer is told it on the call-ended screen.
public enum CallEndReason: Sendable, Hashable, CaseIterable {
    /// The customer pressed to end the answered call.
    case customerHungUp
    /// The customer gave up before an answer.
    case customerCancelled
    case agentHungUp
    /// Nobody answered in time.
    case noAnswer
    /// Every agent is taken (486, 600).
    case busy
    /// The contact center cannot take calls now (480, 503).
    case unavailable
    /// The agent's answer had no usable audio or video (no SDP, no codec in common).
    case noUsableConnection
    /// Any other failure to place the call.
    case callFailed
    /// The call broke (the network).
    case connectionLost
    case timeLimitReached
    /// The kiosk is restarting.
    case shutdown

    /// Whether the customer talked to an agent and the call ended as calls do (thanks, not apologies).
    public var endedNormally: Bool {
        switch self {
        case .customerHungUp, .agentHungUp, .timeLimitReached: true
        default: false
        }
    }
}

/// Everything the renderer needs besides video: the screen, the language, and the kiosk's name.
public struct ScreenModel: Sendable, Hashable {
    public var screen: Screen
    public var language: Language
    /// The kiosk's name from the configuration ("Town Hall – Citizens' Office").
    public var kioskName: String

    public init(screen: Screen, language: Language, kioskName: String) {
        self.screen = screen
        self.language = language
        self.kioskName = kioskName
    }
}
