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
    /// The call is over.
    case callEnded(duration: Duration)
    /// The kiosk cannot take calls; `reason` is for the technician.
    case outOfService(reason: String)
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
