import Display
import Logging
import Media
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Puts the customer's screen on the display: the screen the kiosk is in (set from any thread) and the
/// agent's latest picture (handed over by the video receive thread), drawn on a thread of its own at
/// most `framesPerSecond` times a second, and only when something changed. An off-screen display writes
/// a PNG for every change of screen, and for video at most `snapshotsPerSecond` (a disk is not a screen).
public final class ScreenPresenter: @unchecked Sendable {
    // @unchecked: `display`, `renderer` and `surface` are used only by the render thread once it started
    // (and by init before); everything shared is in `state`.
    private let display: any Display
    private let renderer = ScreenRenderer()
    private let testPatternScaler = VideoScaler()
    private var surface: Surface?
    private let settings: ScreenSettings
    private let logger: Logger
    private let state: Mutex<State>
    private let stopping = Atomic<Bool>(false)
    private var thread: BlockingThread?

    private struct State {
        var model: ScreenModel
        var modelChanged = true
        var agent: I420Image?
        var content: I420Image?
        var pictureChanged = false
        var presented = 0
        var failures = 0
        var lastError: String?
        /// The last drawing failed (a framebuffer gone, a full disk for the off-screen frames).
        var failing = false
        /// A technician's test picture (`kioskctl test display`), shown instead of the screens while set.
        var testPattern: I420Image?
    }

    public enum OpenError: Error, CustomStringConvertible {
        case noDisplay
        case display(String)
        public var description: String {
            switch self {
            case .noDisplay: return "display: none configured"
            case let .display(why): return "display: \(why)"
            }
        }
    }

    /// Opens the configured display (a framebuffer device, or the off-screen directory, created if
    /// missing). Throws when it cannot be used: the caller logs it and runs without a screen.
    public init(settings: ScreenSettings, kioskName: String, logger: Logger) throws(OpenError) {
        self.settings = settings
        self.logger = logger
        do {
            switch settings.output {
            case .none:
                throw OpenError.noDisplay
            case let .framebuffer(path):
                display = try FramebufferDisplay(path: path, logger: logger)
            case let .offscreen(directory):
                try Self.makeDirectory(directory)
                display = try OffscreenDisplay(size: ScreenSize(width: settings.size.width, height: settings.size.height),
                                               destination: .numberedFrames(directory: directory))
            }
        } catch let error as OpenError {
            throw error
        } catch {
            throw .display("\(error)")
        }
        let language = Language(code: settings.languages.first ?? "en")
        state = Mutex(State(model: ScreenModel(screen: .idle(languages: settings.languages.map { Language(code: $0) }),
                                               language: language, kioskName: kioskName)))
    }

    /// Shows `screen` (in the current language) from the next drawing on.
    public func show(_ screen: Screen) {
        let before = state.withLock { s -> Screen? in
            guard s.model.screen != screen else { return nil }
            let old = s.model.screen
            s.model.screen = screen
            s.modelChanged = true
            if case .inCall = screen {} else {
                s.agent = nil
                s.content = nil
            }
            return old
        }
        // One line per screen the customer sees (not per chat line or badge change).
        if let before, Self.name(before) != Self.name(screen) { logger.info("screen: \(Self.name(screen))") }
    }

    /// The language the screens speak from now on.
    public func setLanguage(_ code: String) {
        state.withLock { s in
            let language = Language(code: code)
            guard s.model.language != language else { return }
            s.model.language = language
            s.modelChanged = true
        }
    }

    /// The kiosk's name on the screens (a changed configuration).
    public func setKioskName(_ name: String) {
        state.withLock { s in
            guard s.model.kioskName != name else { return }
            s.model.kioskName = name
            s.modelChanged = true
        }
    }

    public var screen: Screen { state.withLock { $0.model.screen } }

    /// The screen's name for the log (`in call`, not its contents).
    static func name(_ screen: Screen) -> String {
        switch screen {
        case .idle: "idle"
        case .choosingCategory: "choosing a category"
        case .choosingLanguage: "choosing a language"
        case .connecting: "connecting"
        case .waitingInQueue: "waiting in the queue"
        case .inCall: "in call"
        case let .callEnded(_, reason): "call ended (\(describe(reason)))"
        case let .outOfService(reason): "out of service (\(reason))"
        }
    }

    /// The reason in the log's words.
    static func describe(_ reason: CallEndReason) -> String {
        switch reason {
        case .customerHungUp: "the customer hung up"
        case .customerCancelled: "the customer cancelled"
        case .agentHungUp: "the agent hung up"
        case .noAnswer: "no answer"
        case .busy: "busy"
        case .unavailable: "unavailable"
        case .noUsableConnection: "no usable connection"
        case .callFailed: "the call failed"
        case .connectionLost: "connection lost"
        case .timeLimitReached: "time limit reached"
        case .shutdown: "shutdown"
        }
    }

    /// The agent's latest picture (the video receive thread's sink). Never blocks for long: the frame
    /// is kept, and drawn when the render thread comes round.
    public func agentPicture(_ frame: VideoFrame) {
        guard let image = try? I420Image(width: frame.width, height: frame.height, bytes: frame.bytes) else { return }
        state.withLock { s in
            s.agent = image
            s.pictureChanged = true
        }
    }

    /// The latest picture of the agent's shared content (the content receive thread's sink).
    public func contentPicture(_ frame: VideoFrame) {
        guard let image = try? I420Image(width: frame.width, height: frame.height, bytes: frame.bytes) else { return }
        state.withLock { s in
            s.content = image
            s.pictureChanged = true
        }
    }

    /// Shows `image` full-screen instead of the screens (nil: back to the screens), from the next drawing.
    public func showTestPattern(_ image: I420Image?) {
        state.withLock { s in
            s.testPattern = image
            s.modelChanged = true
        }
        logger.info(image == nil ? "screen: test pattern ended" : "screen: test pattern")
    }

    /// Pictures presented so far.
    public var presented: Int { state.withLock { $0.presented } }
    /// Whether the last drawing failed to reach the display (`kioskd_device_up{device="display"}`).
    public var failing: Bool { state.withLock { $0.failing } }

    public func start() {
        guard thread == nil else { return }
        logger.info("display: \(describe(settings.output)) \(display.size)")
        logger.info("screen: \(Self.name(screen))")
        thread = BlockingThread(name: "screen") { [self] in run() }
    }

    public func stop() {
        stopping.store(true, ordering: .relaxed)
        thread?.join()
        thread = nil
    }

    private func run() {
        let frameNanos = UInt64(1_000_000_000 / max(1, settings.framesPerSecond))
        let isOffscreen: Bool = { if case .offscreen = settings.output { return true } else { return false } }()
        let videoNanos = isOffscreen ? UInt64(1e9 / settings.snapshotsPerSecond) : frameNanos
        var lastPresent: UInt64 = 0
        while !stopping.load(ordering: .relaxed) {
            let now = MonotonicClock.nowNanos()
            let job: (ScreenModel, CallFrames)? = state.withLock { s in
                let videoDue = s.pictureChanged && now - lastPresent >= videoNanos
                guard s.modelChanged || videoDue else { return nil }
                s.modelChanged = false
                s.pictureChanged = false
                return (s.model, CallFrames(agent: s.agent, content: s.content))
            }
            if let (model, frames) = job {
                draw(model, frames: frames)
                lastPresent = MonotonicClock.nowNanos()
            }
            MonotonicClock.sleep(until: MonotonicClock.nowNanos() + min(frameNanos, 20_000_000))
        }
    }

    private func draw(_ model: ScreenModel, frames: CallFrames) {
        do {
            let target: Surface
            if let surface { target = surface } else {
                target = try display.makeSurface()
                surface = target
            }
            if let pattern = state.withLock({ $0.testPattern }) {
                testPatternScaler.draw(pattern, into: target, fitting: Rect(x: 0, y: 0, width: Double(target.width), height: Double(target.height)),
                                       fit: .crop)
            } else {
                renderer.render(model, frames: frames, into: target)
            }
            try display.present(target)
            state.withLock {
                $0.presented += 1
                $0.failing = false
            }
        } catch {
            let text = "\(error)"
            let first = state.withLock { s in
                s.failures += 1
                s.failing = true
                defer { s.lastError = text }
                return s.lastError != text
            }
            if first { logger.error("display: \(text)") }
        }
    }

    private func describe(_ output: ScreenSettings.Output) -> String {
        switch output {
        case .none: return "none"
        case let .framebuffer(path): return path
        case let .offscreen(directory): return "off-screen PNG in \(directory)"
        }
    }

    private static func makeDirectory(_ path: String) throws(OpenError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw .display("\(path) is not a directory") }
            return
        }
        guard mkdir(path, 0o755) == 0 else { throw .display("cannot create \(path): \(String(cString: strerror(errno)))") }
    }
}
