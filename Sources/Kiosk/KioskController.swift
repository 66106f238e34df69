#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Display
import KioskFlow
import Logging
import Media
import SIP

/// The kiosk as a customer meets it: the flow (KioskFlow's state machine) driven by the buttons, the
/// call engine's news and its own timers, and its actions carried out — calls placed and hung up, the
/// camera agreed to or withdrawn, screens shown. One actor, so the flow sees one event at a time.
public actor KioskController {
    private var flow: KioskFlow
    private let engine: CallEngine
    private let presenter: ScreenPresenter?
    private let logger: Logger
    private var categoryNames: [String: String]
    /// A configuration change waiting for the kiosk to be idle (no customer choosing or calling).
    private var pendingConfig: KioskConfig?
    private var timers: [KioskFlow.Timer: Task<Void, Never>] = [:]
    /// The flow's number for the call the engine is on (nil: none).
    private var engineCall: KioskFlow.CallID?
    private var answered = false
    private var followTask: Task<Void, Never>?
    /// Interaction records, written at the press, the answer and the end (nil: none kept).
    private let recorder: CallRecorder?
    /// The record of each call the flow placed: its id (the request id the INVITE carries) and the press.
    private var records: [KioskFlow.CallID: (id: String, pressedAt: Date)] = [:]
    /// Ends being written (they wait for the engine's media summary); shutdown waits for them.
    private var finishing: [String: Task<Void, Never>] = [:]

    public init(config: KioskConfig, engine: CallEngine, presenter: ScreenPresenter?, recorder: CallRecorder? = nil, logger: Logger) {
        let (configuration, names) = Self.flowConfiguration(config)
        categoryNames = names
        flow = KioskFlow(configuration: configuration)
        self.recorder = recorder
        self.engine = engine
        self.presenter = presenter
        self.logger = logger
    }

    static func flowConfiguration(_ config: KioskConfig) -> (KioskFlow.Configuration, categoryNames: [String: String]) {
        let languages = config.screen.languages.map { KioskFlow.Choice(id: $0, name: Language(code: $0).nativeName) }
        let categories = config.contactCenter.targets.keys.sorted().map { KioskFlow.Choice(id: $0, name: $0) }
        let configuration = KioskFlow.Configuration(
            languages: languages, categories: categories, waitsForRegistration: config.sip.registrar != nil,
            endedScreenTime: .milliseconds(Int(config.screen.endedScreenSeconds * 1000)))
        return (configuration, Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0.name) }))
    }

    /// Takes a changed configuration: the engine for the calls that follow (after the current one), the
    /// flow, the screen's kiosk name and the records once no customer is using the kiosk.
    public func reconfigure(_ config: KioskConfig) async {
        await engine.reconfigure(config)
        pendingConfig = config
        takePendingConfiguration()
    }

    private func takePendingConfiguration() {
        guard let pending = pendingConfig else { return }
        let (configuration, names) = Self.flowConfiguration(pending)
        guard let actions = flow.reconfigure(configuration) else { return }
        pendingConfig = nil
        categoryNames = names
        recorder?.reconfigure(pending)
        presenter?.setKioskName(pending.identity.name)
        logger.info("kiosk: configuration changed: \(configuration.languages.count) languages, \(configuration.categories.count) categories")
        for action in actions { perform(action) }
    }

    /// Starts the flow and follows the engine's events.
    public func start() {
        handle(.start)
        let engine = self.engine
        followTask = Task { [weak self] in
            for await event in engine.events { await self?.engineEvent(event) }
        }
    }

    /// A button of the kiosk changed.
    public func key(_ key: KioskFlow.Key, _ change: KioskFlow.KeyChange) { handle(.key(key, change)) }

    /// The registration came up or went down.
    public func registration(up: Bool) { handle(up ? .available(.notRegistered) : .unavailable(.notRegistered)) }

    /// The daemon stops: a call in progress is hung up.
    public func shutdown() async {
        handle(.shutdown)
        followTask?.cancel()
        timers.values.forEach { $0.cancel() }
        timers = [:]
        for task in finishing.values { await task.value }
        finishing = [:]
    }

    /// What the flow is showing, for the status page and tests.
    public var state: String { "\(flow.state)" }

    /// The flow's state in a few words (`idle`, `in call`), for `kioskctl status`.
    public var stateName: String {
        switch flow.state {
        case .idle: "idle"
        case .choosingLanguage: "choosing a language"
        case .choosingCategory: "choosing a category"
        case .connecting: "connecting"
        case .ringing: "ringing"
        case .queued: "queued"
        case .inCall: "in call"
        case .ended: "call ended"
        case let .outOfService(reason): "out of service (\(reason))"
        case .stopped: "stopped"
        }
    }

    /// Whether a customer is using the kiosk (choosing, calling, in a call): device tests wait for it.
    public var customerPresent: Bool {
        switch flow.state {
        case .idle, .outOfService, .stopped: false
        default: true
        }
    }

    private func handle(_ event: KioskFlow.Event) {
        for action in flow.handle(event, at: .now) { perform(action) }
        if pendingConfig != nil { takePendingConfiguration() }
    }

    private func perform(_ action: KioskFlow.Action) {
        switch action {
        case let .show(screen):
            presenter?.show(Self.displayScreen(screen, categoryNames: categoryNames))
        case let .setLanguage(code):
            presenter?.setLanguage(code)
        case let .placeCall(request):
            engineCall = request.id
            answered = false
            // The record's row is committed before the INVITE goes out, so every call the contact
            // center sees has a record here, whatever happens to the daemon next.
            let record = (id: UUID().uuidString.lowercased(), pressedAt: Date())
            records[request.id] = record
            recorder?.pressed(id: record.id, category: request.category?.id, language: request.language.id, at: record.pressedAt)
            let call = CallEngine.Request(category: request.category?.id ?? "default", language: request.language.id,
                                          requestID: record.id)
            Task { await self.place(call, id: request.id) }
        case let .cancelCall(id), let .hangUp(id):
            guard engineCall == id else { return }
            engineCall = nil
            Task { await engine.hangUp() }
        case .agreeToCamera:
            logger.info("kiosk: the customer agreed to the camera")
            Task { await engine.agreeToCamera() }
        case .declineCamera:
            logger.info("kiosk: the customer declined the camera")
        case .withdrawCamera:
            Task { await engine.withdrawCamera() }
        case let .startTimer(timer, after):
            timers[timer]?.cancel()
            timers[timer] = Task { [weak self] in
                do { try await Task.sleep(for: after) } catch { return }
                await self?.fire(timer)
            }
        case let .cancelTimer(timer):
            timers.removeValue(forKey: timer)?.cancel()
        case let .record(record):
            logger.info("kiosk: \(record.id) \(record.outcome), ended by \(record.endedBy)\(record.cameraShared ? ", camera shared" : "")")
            if let recorder, let entry = records.removeValue(forKey: record.id) {
                let engine = self.engine
                finishing[entry.id] = Task {
                    recorder.finished(id: entry.id, record, pressedAt: entry.pressedAt, media: await engine.mediaQuality())
                    await self.written(entry.id)
                }
            }
        }
    }

    private func written(_ recordID: String) { finishing[recordID] = nil }

    private func fire(_ timer: KioskFlow.Timer) {
        guard timers.removeValue(forKey: timer) != nil else { return }
        handle(.timer(timer))
    }

    private func place(_ request: CallEngine.Request, id: KioskFlow.CallID) async {
        do {
            _ = try await engine.placeCall(request)
        } catch {
            logger.error("kiosk: cannot place the call: \(error)")
            guard engineCall == id else { return }
            engineCall = nil
            handle(.call(id, .failed(.unreachable("\(error)"))))
        }
    }

    /// The engine's news, for the call the flow placed.
    private func engineEvent(_ event: CallEngine.Event) {
        guard let id = engineCall else {
            return
        }
        switch event {
        case .phase(.ringing): handle(.call(id, .ringing))
        case .phase(.queued): handle(.call(id, .queued(position: nil, estimatedWait: nil)))
        case .phase(.inCall):
            answered = true
            if let record = records[id] { recorder?.answered(id: record.id, at: Date()) }
            handle(.call(id, .answered(agentName: nil)))
        case .phase: break
        case let .messageReceived(text, sender):
            // A message that starts with a link is a link or document for the customer's phone: shown as
            // a QR code, with the rest of the message as its caption.
            if let link = Self.link(in: text) {
                handle(.call(id, .link(url: link.url, caption: link.caption)))
            } else {
                handle(.call(id, .chat(text, from: sender)))
            }
        case .cameraRequested:
            logger.info("kiosk: the agent asks for the camera; \(CameraCaptureCount.total) camera frames captured since start")
            handle(.call(id, .agentAsksForCamera))
        case let .cameraChanged(open): handle(.cameraCapturing(open))
        case let .heldByAgent(held): handle(.call(id, .held(held)))
        case let .contentShared(shared): handle(.call(id, .contentShared(shared)))
        case let .mediaFailed(why):
            // The engine hangs up itself; the flow ends the call for the customer now.
            engineCall = nil
            handle(.call(id, answered ? .mediaTimedOut : .failed(.noUsableMedia(why))))
        case let .callEnded(reason):
            engineCall = nil
            switch reason {
            case .remoteHangUp: handle(.call(id, .agentHungUp))
            case .localHangUp, .cancelled: break  // the flow asked for it and has moved on
            case .noAnswer: handle(.call(id, .failed(.noAnswer)))
            case let .rejected(code, why): handle(.call(id, .failed(KioskFlow.CallFailure(statusCode: code, reason: why))))
            case let .failed(why):
                handle(.call(id, answered ? .mediaTimedOut : .failed(.unreachable(why))))
            }
        }
    }

    /// `https://… caption` → the URL and the caption (the URL again when there is none).
    public static func link(in text: String) -> (url: String, caption: String)? {
        let trimmed = text.drop { $0 == " " }
        guard trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://") else { return nil }
        let url = String(trimmed.prefix { $0 != " " && $0 != "\n" })
        let caption = trimmed.dropFirst(url.count).trimmingPrefix(while: { $0 == " " || $0 == "\n" })
        return (url, caption.isEmpty ? url : String(caption))
    }

    /// What the customer is told for the flow's cause.
    static func endReason(_ cause: KioskFlow.CallEndCause) -> CallEndReason {
        switch cause {
        case .customerHungUp: .customerHungUp
        case .customerCancelled: .customerCancelled
        case .agentHungUp: .agentHungUp
        case .noAnswer: .noAnswer
        case .busy: .busy
        case .unavailable: .unavailable
        case .noUsableMedia: .noUsableConnection
        case .callFailed: .callFailed
        case .connectionLost: .connectionLost
        case .maximumDurationReached: .timeLimitReached
        case .shutdown: .shutdown
        }
    }

    /// The flow's screen as the Display target draws it.
    static func displayScreen(_ screen: KioskFlow.Screen, categoryNames: [String: String]) -> Screen {
        switch screen {
        case let .idle(languages):
            return .idle(languages: languages.map { Language(code: $0.id) })
        case let .choosingLanguage(languages, highlighted):
            return .choosingLanguage(languages: languages.map { Language(code: $0.id) }, highlighted: highlighted)
        case let .choosingCategory(categories, highlighted):
            return .choosingCategory(categories: categories.map(\.name), highlighted: highlighted)
        case let .connecting(category, _):
            return .connecting(category: category?.name)
        case let .waitingInQueue(position, wait):
            return .waitingInQueue(position: position, estimatedWait: wait)
        case let .inCall(call):
            return .inCall(InCallScreen(
                agentName: call.agentName, content: call.contentShown ? .besideAgent : .none,
                chat: call.chat.map { ChatMessage(sender: $0.sender ?? call.agentName ?? "", text: $0.text) },
                sharedLink: call.sharedLink.map { SharedLink(url: $0.url, caption: $0.caption) },
                cameraOn: call.cameraLive, selfViewShown: false, consentRequested: call.consentRequested))
        case let .callEnded(ended):
            return .callEnded(duration: ended.duration, reason: endReason(ended.cause))
        case let .outOfService(reason):
            return .outOfService(reason: reason)
        }
    }
}
