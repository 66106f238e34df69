import Media

/// Where the customer's screen is drawn (the `display` section).
public struct ScreenSettings: Sendable, Equatable {
    public enum Output: Sendable, Equatable {
        /// No screen (a test stream, a headless lab).
        case none
        /// A Linux framebuffer device (`/dev/fb0`, or a udev link such as `/dev/kiosk-display`).
        case framebuffer(String)
        /// Off-screen: each shown screen is written as a PNG into this directory (the embedded default,
        /// tests, a developer's machine without a framebuffer).
        case offscreen(directory: String)
    }

    public var output: Output
    /// The off-screen surface's size (a framebuffer has its own).
    public var size: FrameSize
    /// At most this many pictures per second are drawn (the agent's video sets the pace in a call).
    public var framesPerSecond: Int
    /// Off-screen only: at most this many PNG files per second are written (the disk is not a screen).
    public var snapshotsPerSecond: Double
    /// The languages the idle screen offers, the first being the default (`en`, `de`, `zh`).
    public var languages: [String]
    /// How long the call-ended screen stays (keys are ignored meanwhile) before the kiosk is idle again.
    public var endedScreenSeconds: Double = 8

    public init(output: Output = .none, size: FrameSize = FrameSize(width: 1280, height: 800), framesPerSecond: Int = 30,
                snapshotsPerSecond: Double = 2, languages: [String] = ["en", "de", "zh"]) {
        self.output = output
        self.size = size
        self.framesPerSecond = framesPerSecond
        self.snapshotsPerSecond = snapshotsPerSecond
        self.languages = languages
    }
}

/// Where the agent's voice is played (the `speaker` section) and how the microphone is cleaned of it.
public struct SpeakerSettings: Sendable, Equatable {
    /// An ALSA PCM (`default`, `plughw:CARD=KioskAudio,DEV=0`), or nil: the agent's audio is received
    /// and counted but not played (no sound card).
    public var device: String?
    /// Acoustic echo cancellation of the microphone against what the speaker plays (speexdsp).
    public var echoCancellation: Bool
    /// Noise suppression of the microphone (speexdsp's preprocessor).
    public var noiseSuppression: Bool

    public init(device: String? = nil, echoCancellation: Bool = true, noiseSuppression: Bool = true) {
        self.device = device
        self.echoCancellation = echoCancellation
        self.noiseSuppression = noiseSuppression
    }
}
