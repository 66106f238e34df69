extension KioskFlow {
    /// One entry the customer can choose: a language (`id` is its BCP 47 code, "de") or a category
    /// (`id` is what routing knows it by, "passports"). `name` is what the screen shows.
    public struct Choice: Sendable, Hashable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct Configuration: Sendable, Hashable {
        /// The languages offered, in screen order; the first is the kiosk's own (idle screen, reset after a call).
        public var languages: [Choice]
        /// The categories offered, in screen order. Empty: no category step, the call goes without one.
        public var categories: [Choice]
        /// With a single language (or category) there is nothing to choose: that step is skipped.
        public var skipsSingleChoice: Bool
        /// Whether the kiosk is out of service until the owner reports `.available(.notRegistered)`:
        /// a kiosk that invites customers before it can place calls only disappoints them.
        public var waitsForRegistration: Bool

        /// Choosing with no key pressed for this long: the customer walked away, back to idle.
        public var choiceTimeout: Duration
        /// Connecting or ringing for this long without an answer: the call is given up.
        public var answerTimeout: Duration
        /// Once the contact center queues the call, the limit becomes this (queues are slower than rings).
        public var queueTimeout: Duration
        /// How long the call-ended screen (with its message) stays before idle.
        public var endedScreenTime: Duration
        /// The camera prompt unanswered for this long counts as declined.
        public var consentTimeout: Duration
        /// A press counts as an answer to the camera prompt only if it began this long after the prompt
        /// appeared: a press meant for something else must not turn the camera on.
        public var consentGuard: Duration
        /// A call longer than this is hung up (nil: no limit). The kiosk cannot see a customer leave
        /// mid-call; this bounds a call the agent forgot.
        public var maximumCallDuration: Duration?
        /// Holding the call key this long in a call hangs up.
        public var longPress: Duration
        /// A press this soon after the last handled press is part of a burst (bounce, impatience): ignored.
        public var pressGuard: Duration
        /// A call key press this soon after the call was placed does not cancel it (a double tap is not
        /// a change of mind). The hang-up key cancels at once.
        public var secondPressGuard: Duration
        /// A key reported down and then silent for this long lost its release (device reopened):
        /// its next press counts again. Autorepeat of a held key keeps it fresh, so a stuck key never does.
        public var lostReleaseLimit: Duration
        /// The chat lines kept for the screen (the newest).
        public var chatLinesKept: Int

        public init(languages: [Choice], categories: [Choice], skipsSingleChoice: Bool = true,
                    waitsForRegistration: Bool = true, choiceTimeout: Duration = .seconds(30),
                    answerTimeout: Duration = .seconds(60), queueTimeout: Duration = .seconds(600),
                    endedScreenTime: Duration = .seconds(8), consentTimeout: Duration = .seconds(30),
                    consentGuard: Duration = .milliseconds(500), maximumCallDuration: Duration? = nil,
                    longPress: Duration = .milliseconds(1500), pressGuard: Duration = .milliseconds(300),
                    secondPressGuard: Duration = .seconds(1), lostReleaseLimit: Duration = .seconds(30),
                    chatLinesKept: Int = 20) {
            // No language configured is a configuration error the config reader reports; the flow
            // still needs one to speak.
            self.languages = languages.isEmpty ? [Choice(id: "en", name: "English")] : languages
            self.categories = categories
            self.skipsSingleChoice = skipsSingleChoice
            self.waitsForRegistration = waitsForRegistration
            self.choiceTimeout = choiceTimeout
            self.answerTimeout = answerTimeout
            self.queueTimeout = queueTimeout
            self.endedScreenTime = endedScreenTime
            self.consentTimeout = consentTimeout
            self.consentGuard = consentGuard
            self.maximumCallDuration = maximumCallDuration
            self.longPress = longPress
            self.pressGuard = pressGuard
            self.secondPressGuard = secondPressGuard
            self.lostReleaseLimit = lostReleaseLimit
            self.chatLinesKept = max(1, chatLinesKept)
        }

        /// Whether the customer is asked for a language (false: the only one is taken).
        var choosesLanguage: Bool { languages.count > 1 || !skipsSingleChoice }
        /// Whether the customer is asked for a category (false: the only one, or none, is taken).
        var choosesCategory: Bool { categories.count > 1 || (!skipsSingleChoice && !categories.isEmpty) }
    }
}
