import Display
import SIP
import Synchronization

/// Keeps the screen in step with a call: connecting, waiting in the queue, the call with the agent's
/// video, chat and the camera badge, the end, then back to idle. (The kiosk's own state machine, with
/// the customer's choices, drives the screen when it runs; this follows the call engine alone, for
/// `kioskd call` and for a kiosk without input.)
public final class CallScreenFollower: Sendable {
    private let presenter: ScreenPresenter
    private let languages: [Language]
    private let state = Mutex(CallState())

    private struct CallState {
        var inCall = InCallScreen()
        var category: String?
        var answeredAt: ContinuousClock.Instant?
        /// Why the call ended, once the engine said (a media failure comes before the SIP end it causes).
        var endReason: CallEndReason?
    }

    public init(presenter: ScreenPresenter, languages: [String]) {
        self.presenter = presenter
        self.languages = languages.map { Language(code: $0) }
    }

    /// The customer asked for `category` in `language`: the screen speaks that language from now on.
    public func callPlaced(category: String, language: String) {
        state.withLock { $0 = CallState(category: category) }
        presenter.setLanguage(language)
        presenter.show(.connecting(category: category))
    }

    /// Follows one event of the engine; returns the screen now shown.
    @discardableResult
    public func handle(_ event: CallEngine.Event, now: ContinuousClock.Instant = .now) -> Screen {
        state.withLock { s in follow(event, now: now, &s) }
        return presenter.screen
    }

    private func follow(_ event: CallEngine.Event, now: ContinuousClock.Instant, _ s: inout CallState) {
        switch event {
        case let .phase(phase):
            switch phase {
            case .idle:
                if case .callEnded = presenter.screen {} else { presenter.show(.idle(languages: languages)) }
            case .connecting, .ringing:
                presenter.show(.connecting(category: s.category))
            case .queued:
                presenter.show(.waitingInQueue(position: nil, estimatedWait: nil))
            case .inCall:
                s.answeredAt = s.answeredAt ?? now
                presenter.show(.inCall(s.inCall))
            case .ended:
                presenter.show(.callEnded(duration: s.answeredAt.map { now - $0 }, reason: s.endReason ?? .callFailed))
            }
        case let .messageReceived(text, sender):
            s.inCall.chat.append(ChatMessage(sender: sender ?? s.inCall.agentName ?? "", text: text))
            if s.inCall.chat.count > 20 { s.inCall.chat.removeFirst(s.inCall.chat.count - 20) }
            showInCall(s.inCall)
        case let .cameraChanged(open):
            s.inCall.cameraOn = open
            s.inCall.consentRequested = false
            showInCall(s.inCall)
        case .cameraRequested:
            s.inCall.consentRequested = true
            showInCall(s.inCall)
        case let .contentShared(shared):
            s.inCall.content = shared ? .besideAgent : .none
            showInCall(s.inCall)
        case .mediaFailed:
            s.endReason = s.endReason ?? (s.answeredAt == nil ? .noUsableConnection : .connectionLost)
        case let .callEnded(reason):
            s.endReason = s.endReason ?? Self.endReason(reason, answered: s.answeredAt != nil)
        case .heldByAgent:
            break
        }
    }

    /// What the customer is told for the way SIP saw the call end.
    static func endReason(_ reason: SIPCallEndReason, answered: Bool) -> CallEndReason {
        switch reason {
        case .localHangUp: .customerHungUp
        case .remoteHangUp: .agentHungUp
        case .cancelled: .customerCancelled
        case .noAnswer: .noAnswer
        case let .rejected(code, _):
            switch code {
            case 486, 600: .busy
            case 480, 502, 503, 504: .unavailable
            case 408: .noAnswer
            case 488, 606: .noUsableConnection
            default: .callFailed
            }
        case .failed: answered ? .connectionLost : .callFailed
        }
    }

    /// After the end screen has been seen for a while: back to idle.
    public func backToIdle() {
        presenter.show(.idle(languages: languages))
    }

    private func showInCall(_ screen: InCallScreen) {
        if case .inCall = presenter.screen { presenter.show(.inCall(screen)) }
    }
}
