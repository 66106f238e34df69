/// What the in-call screen shows besides the moving pictures (those come with each frame in
/// `CallFrames`). A change here redraws the screen; a new video frame redraws only the video.
public struct InCallScreen: Sendable, Hashable {
    /// Where the agent's shared content (the second video stream, a=content:slides) goes.
    public enum ContentPlacement: Sendable, Hashable {
        /// Nothing shared.
        case none
        /// Beside the agent (landscape) or below (portrait).
        case besideAgent
        /// In the agent's place; the agent shrinks to a small picture in its corner.
        case insteadOfAgent
    }

    public var agentName: String?
    public var content: ContentPlacement
    /// The chat so far; the screen shows the last few that fit.
    public var chat: [ChatMessage]
    /// The last link or document the agent sent, shown as a QR code.
    public var sharedLink: SharedLink?
    /// The kiosk's camera is sending: the red badge shows.
    public var cameraOn: Bool
    /// The customer's own picture is shown small.
    public var selfViewShown: Bool
    /// The agent asked to turn the camera on; the prompt waits for the customer's answer.
    public var consentRequested: Bool

    public init(agentName: String? = nil, content: ContentPlacement = .none, chat: [ChatMessage] = [],
                sharedLink: SharedLink? = nil, cameraOn: Bool = false, selfViewShown: Bool = false,
                consentRequested: Bool = false) {
        self.agentName = agentName
        self.content = content
        self.chat = chat
        self.sharedLink = sharedLink
        self.cameraOn = cameraOn
        self.selfViewShown = selfViewShown
        self.consentRequested = consentRequested
    }
}

/// One chat line (SIP MESSAGE), with who wrote it as the screen shows it.
public struct ChatMessage: Sendable, Hashable {
    public var sender: String
    public var text: String
    public init(sender: String, text: String) { self.sender = sender; self.text = text }
}

/// A link or document the agent sent: the QR code encodes `url`; `caption` says what it is.
public struct SharedLink: Sendable, Hashable {
    public var url: String
    public var caption: String
    public init(url: String, caption: String) { self.url = url; self.caption = caption }
}

/// The latest decoded pictures, handed to the renderer with every frame.
public struct CallFrames {
    public var agent: I420Image?
    public var content: I420Image?
    public var selfView: I420Image?
    public init(agent: I420Image? = nil, content: I420Image? = nil, selfView: I420Image? = nil) {
        self.agent = agent
        self.content = content
        self.selfView = selfView
    }
}
