/// The kiosk's call to the contact center, as the calling user agent (UAC): INVITE with the kiosk's
/// context and SDP offer, digest challenges, ringing and queueing, CANCEL, the dialog (RFC 3261
/// §12–15), re-INVITEs both ways, BYE both ways, MESSAGE (RFC 3428) and INFO in the dialog, and
/// RFC 6026's handling of 2xx retransmissions.
///
/// A value, like `SIPRegistration`: it takes events and returns actions. The owner (the user agent
/// adapter) runs a client transaction for each `.send`, hands back its responses (`.response`, every
/// provisional and final one, and every 2xx the INVITE transaction delivers in Accepted) and its
/// failures (`.transactionFailed`), runs a server transaction for each incoming request it routes
/// here (`matches(_:)` / `dialogID`) and sends `.respond` through it, sends `.sendAck` with no
/// transaction (to `SIPDialog.nextHop(of:)`), and runs the `CallTimer`s. Tokens (tags, branches,
/// Call-ID, cnonces, the 491 back-off) come from the injected `SIPTokenSource`; durations from
/// `SIPTimerValues`; no clock is read.
///
/// Left out on purpose: session timers (RFC 4028: the contact center's proxies and agents refresh or
/// not; we neither ask nor refresh), reliable provisionals (RFC 3262 100rel), UPDATE (RFC 3311;
/// answered 405 like any method not in Allow), following 3xx redirects (a 3xx ends the call as
/// rejected), offerless re-INVITEs (offer in the ACK: answered 488), and our re-INVITE being
/// cancelled. Forked 2xx responses from a second callee are ACKed and hung up at once (§13.2.2.4).
public struct SIPCall: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// The Request-URI of the INVITE: the skill group or agent, `sip:support-de@cc.example.org`.
        public var requestURI: SIPURI
        /// The To of the INVITE; `<requestURI>` when nil.
        public var to: SIPNameAddress?
        /// The kiosk's address of record and display name, for From.
        public var fromAddress: SIPURI
        public var fromDisplayName: String?
        /// Where the agent's side reaches the kiosk within the call (Contact).
        public var contact: SIPURI
        /// The Via sent-by (`host:port`) and transport (`UDP`, `TCP`, `TLS`).
        public var viaSentBy: String
        public var viaTransport: String
        /// The outbound proxy: the initial INVITE carries `Route: <proxy;lr>` and the owner sends it
        /// there.
        public var outboundProxy: SIPURI?
        /// Whether requests inside the dialog also go through the outbound proxy (a `Route: <proxy;lr>`
        /// when no proxy Record-Routed; one that did is on the path already).
        /// A kiosk behind NAT cannot reach an agent's Contact directly, so this is on by default.
        public var routeInDialogRequestsThroughProxy: Bool
        public var credentials: DigestCredentials?
        /// The kiosk's context on the INVITE (`X-Kiosk-*`, `User-to-User`), in order.
        public var extraHeaders: [SIPHeaderField]
        /// The SDP offer of the INVITE (application/sdp).
        public var offer: [UInt8]
        public var userAgent: String
        public var allow: [SIPMethod]
        /// Option tags for Supported; the header is left out when empty.
        public var supported: [String]
        /// What an OPTIONS in the dialog is told we accept.
        public var accept: [String]
        /// Give up when nobody answers within this time (CANCEL, then `.ended(.noAnswer)`). Nil: wait
        /// as long as the contact center keeps the call queued.
        public var ringTimeout: Duration?
        public var timers: SIPTimerValues

        public init(requestURI: SIPURI, to: SIPNameAddress? = nil, fromAddress: SIPURI, fromDisplayName: String? = nil,
                    contact: SIPURI, viaSentBy: String, viaTransport: String = "UDP", outboundProxy: SIPURI? = nil,
                    routeInDialogRequestsThroughProxy: Bool = true, credentials: DigestCredentials? = nil,
                    extraHeaders: [(name: String, value: String)] = [], offer: [UInt8], userAgent: String = "kioskd",
                    allow: [SIPMethod] = [.invite, .ack, .cancel, .bye, .options, .message, .info],
                    supported: [String] = [], accept: [String] = ["application/sdp", "text/plain"],
                    ringTimeout: Duration? = nil, timers: SIPTimerValues = SIPTimerValues()) {
            self.requestURI = requestURI
            self.to = to
            self.fromAddress = fromAddress
            self.fromDisplayName = fromDisplayName
            self.contact = contact
            self.viaSentBy = viaSentBy
            self.viaTransport = viaTransport
            self.outboundProxy = outboundProxy
            self.routeInDialogRequestsThroughProxy = routeInDialogRequestsThroughProxy
            self.credentials = credentials
            self.extraHeaders = extraHeaders.map { SIPHeaderField(name: $0.name, value: $0.value) }
            self.offer = offer
            self.userAgent = userAgent
            self.allow = allow
            self.supported = supported
            self.accept = accept
            self.ringTimeout = ringTimeout
            self.timers = timers
        }
    }

    public enum State: Sendable, Hashable {
        case idle
        /// The INVITE is out; nothing has come back yet.
        case calling
        /// A provisional response came (trying, ringing, queued, early media).
        case proceeding
        /// The user gave up: CANCEL sent, or waiting for the first provisional to send it (§9.1).
        case cancelling
        /// Answered and ACKed: the call is up.
        case confirmed
        /// Our BYE is out; the call ends when its transaction does.
        case terminating
        case ended(SIPCallEndReason)
    }

    /// The timers the call runs itself (the transactions run theirs).
    public enum CallTimer: Sendable, Hashable {
        /// Retransmit our 2xx to the agent's re-INVITE (T1, doubling, capped at T2) until the ACK
        /// comes (§13.3.1.4).
        case answerRetransmit
        /// 64×T1 without that ACK: the session ends with a BYE.
        case answerTimeout
        /// Send our re-INVITE again after a 491 (2.1–4 s, §14.1: we own the Call-ID).
        case reinviteRetry
        /// 64×T1 after the CANCEL without a final response to the INVITE (§9.1): it is over.
        case cancelGuard
        /// `Configuration.ringTimeout`.
        case ringTimeout
    }

    /// Why a client transaction ended without a final response.
    public enum TransactionFailure: Sendable, Hashable, CustomStringConvertible {
        /// Timer B or F: acted on as a 408.
        case timedOut
        /// The transport could not send: acted on as a 503.
        case transportFailed(String)

        public var description: String {
            switch self {
            case .timedOut: "timeout"
            case let .transportFailed(why): why
            }
        }
    }

    public enum Event: Sendable, Hashable {
        case start
        /// A response from the client transaction of a request this call sent (matched by its CSeq).
        case response(SIPResponse)
        /// The client transaction of this request (a `.send` of ours) timed out or could not send.
        case transactionFailed(SIPRequest, TransactionFailure)
        /// A request in the dialog (BYE, re-INVITE, MESSAGE, INFO, OPTIONS, CANCEL of a re-INVITE), or
        /// the ACK for our 2xx to a re-INVITE.
        case request(SIPRequest)
        /// Give up before the answer (after it, the same as `.hangUp`).
        case cancel
        /// End the call: BYE when it is up, CANCEL before.
        case hangUp
        /// Chat to the agent (RFC 3428); `id` comes back in `.messageDelivered`.
        case sendMessage(String, contentType: String = "text/plain;charset=UTF-8", id: Int = 0)
        case sendInfo([UInt8], contentType: String, id: Int = 0)
        /// A new offer in the call (the kiosk turns its camera on or off).
        case reinvite(offer: [UInt8])
        /// The engine's answer to the agent's offer surfaced as `.remoteOffer`.
        case answerOffer(sdp: [UInt8])
        /// The engine cannot take the agent's offer: 488 (or the given code); the old session stays.
        case rejectOffer(statusCode: Int = 488)
        case timer(CallTimer)
    }

    public enum Action: Sendable, Hashable {
        /// Send this request in a new client transaction; its responses come back as `.response`.
        case send(SIPRequest)
        /// Send this ACK for a 2xx with no transaction, to `SIPDialog.nextHop(of:)`.
        case sendAck(SIPRequest)
        /// Send this response through the server transaction of that request.
        case respond(SIPResponse, to: SIPRequest)
        case startTimer(CallTimer, Duration)
        case cancelTimer(CallTimer)
        /// 180 or 183; the early SDP (ringback or queue music) when the response carried one.
        case ringing(SIPResponse, earlySDP: [UInt8]?)
        /// Another provisional (182 Queued, 181, 199): contact centers put the queue position in the
        /// reason phrase or body.
        case progress(SIPResponse)
        /// The agent answered; the SDP answer.
        case answered(remoteSDP: [UInt8])
        /// The agent sent a new offer (re-INVITE): answer with `.answerOffer` or `.rejectOffer`.
        case remoteOffer(sdp: [UInt8])
        /// The agent cancelled that re-INVITE before the engine answered; drop the answer.
        case remoteOfferWithdrawn
        /// The answer to our re-INVITE.
        case remoteAnswer(sdp: [UInt8])
        /// Our re-INVITE failed (or its 2xx had no answer); the call and the old session stay.
        case reinviteFailed(statusCode: Int?, reason: String)
        /// Chat in the dialog; `from` is the MESSAGE's From (the agent's name, if it gives one).
        case messageReceived(body: [UInt8], contentType: String?, from: SIPNameAddress?)
        case infoReceived(body: [UInt8], contentType: String?)
        /// The outcome of `.sendMessage` / `.sendInfo` with that id.
        case messageDelivered(id: Int, ok: Bool)
        case infoDelivered(id: Int, ok: Bool)
        case ended(SIPCallEndReason)
    }

    /// A request of ours whose transaction has not ended.
    struct Pending: Sendable, Hashable {
        enum Kind: Sendable, Hashable {
            case initialInvite, reinvite(offer: [UInt8]), bye, message(id: Int), info(id: Int)
        }

        var request: SIPRequest
        var kind: Kind
        /// "Authorization realm" / "Proxy-Authorization realm" pairs the request answered.
        var answered: Set<String> = []
    }

    /// The agent's re-INVITE while we answer it.
    struct RemoteInvite: Sendable, Hashable {
        var request: SIPRequest
        /// Nil while the engine decides; then our 2xx, retransmitted until the ACK.
        var answer: SIPResponse?
        var retransmitInterval: Duration
    }

    /// A 2xx's ACK is kept per INVITE CSeq and To tag, so retransmitted 2xx get the same ACK.
    struct AckKey: Sendable, Hashable {
        var sequence: UInt32
        var remoteTag: String
    }

    public let configuration: Configuration
    public internal(set) var state: State = .idle
    public let callID: String
    public let localTag: String
    /// The early or confirmed dialog, once a response with a To tag came.
    public internal(set) var dialog: SIPDialog?
    var tokens: SIPTokenSource
    /// Our CSeq space, for the INVITE chain and every request in the dialog.
    var localSequence: UInt32 = 0
    /// The initial INVITE as last sent (after a challenge, the one with credentials).
    var invite: SIPRequest?
    var pending: [UInt32: Pending] = [:]
    var acks: [AckKey: SIPRequest] = [:]
    var provisionalReceived = false
    var cancelSent = false
    /// Why the call will end once the CANCEL or BYE in flight completes.
    var endingReason: SIPCallEndReason?
    var nonceCounts: [String: UInt32] = [:]
    var remoteInvite: RemoteInvite?
    /// The CSeq of our re-INVITE in flight.
    var localReinvite: UInt32?
    /// An offer waiting for the current offer/answer exchange (or the 491 back-off) to end.
    var queuedOffer: [UInt8]?
    /// Timers running, in the order they were started.
    var armed: [CallTimer] = []

    public init(configuration: Configuration, tokens: SIPTokenSource) {
        self.configuration = configuration
        self.tokens = tokens
        callID = self.tokens.token() + "@kioskd"
        localTag = self.tokens.token()
    }

    /// The dialog's id once there is one: what the owner routes in-dialog requests by.
    public var dialogID: SIPDialogID? { dialog?.id }

    /// Whether an incoming request is this call's: inside its dialog (Call-ID, our tag in To, the
    /// agent's in From).
    public func matches(_ request: SIPRequest) -> Bool { dialog?.matches(request) ?? false }

    public var isEnded: Bool {
        if case .ended = state { return true }
        return false
    }

    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .start:
            return start()
        case .response(let response):
            return handleResponse(response)
        case let .transactionFailed(request, failure):
            return handleFailure(of: request, failure)
        case .request(let request):
            return handleRequest(request)
        case .cancel:
            return state == .confirmed ? sendBye(ending: .localHangUp) : cancel(ending: .cancelled)
        case .hangUp:
            return state == .confirmed ? sendBye(ending: .localHangUp) : cancel(ending: .cancelled)
        case let .sendMessage(text, contentType, id):
            return sendInDialog(.message(id: id), body: Array(text.utf8), contentType: contentType)
        case let .sendInfo(body, contentType, id):
            return sendInDialog(.info(id: id), body: body, contentType: contentType)
        case .reinvite(let offer):
            return reinvite(offer)
        case .answerOffer(let sdp):
            return answerRemoteOffer(sdp)
        case .rejectOffer(let statusCode):
            return rejectRemoteOffer(statusCode)
        case .timer(let timer):
            armed.removeAll { $0 == timer }
            return handleTimer(timer)
        }
    }

    // MARK: - Timers and the end

    mutating func startTimer(_ timer: CallTimer, _ duration: Duration) -> Action {
        armed.removeAll { $0 == timer }
        armed.append(timer)
        return .startTimer(timer, duration)
    }

    mutating func cancelTimer(_ timer: CallTimer) -> [Action] {
        guard armed.contains(timer) else { return [] }
        armed.removeAll { $0 == timer }
        return [.cancelTimer(timer)]
    }

    mutating func cancelAllTimers() -> [Action] {
        let actions = armed.map { Action.cancelTimer($0) }
        armed = []
        return actions
    }

    mutating func handleTimer(_ timer: CallTimer) -> [Action] {
        switch timer {
        case .ringTimeout:
            guard state == .calling || state == .proceeding else { return [] }
            return cancel(ending: .noAnswer)
        case .cancelGuard:
            guard state == .cancelling else { return [] }
            return end(endingReason ?? .cancelled)
        case .answerRetransmit:
            return retransmitAnswer()
        case .answerTimeout:
            return answerUnacknowledged()
        case .reinviteRetry:
            return sendQueuedOffer()
        }
    }

    /// The call is over: timers stop, an unanswered re-INVITE of the agent gets 487 (§15.1.2).
    mutating func end(_ reason: SIPCallEndReason) -> [Action] {
        guard !isEnded else { return [] }
        state = .ended(reason)
        var actions = cancelAllTimers()
        if let remote = remoteInvite, remote.answer == nil {
            actions.append(.respond(SIPResponse(replyingTo: remote.request, statusCode: 487, toTag: localTag), to: remote.request))
        }
        remoteInvite = nil
        queuedOffer = nil
        actions.append(.ended(reason))
        return actions
    }
}

/// How and why a call ended, for the screen, the log and the interaction record.
public enum SIPCallEndReason: Sendable, Hashable, CustomStringConvertible {
    /// The kiosk hung up (BYE).
    case localHangUp
    /// The agent hung up (their BYE).
    case remoteHangUp
    /// The kiosk gave up before the answer (CANCEL, or hung up before the INVITE went out).
    case cancelled
    /// `ringTimeout` passed without an answer.
    case noAnswer
    /// The contact center refused the call: 486 busy, 603 decline, 480, 404, 3xx...
    case rejected(Int, String)
    /// Timeout, unreachable, wrong credentials, a protocol failure; in words.
    case failed(String)

    public var description: String {
        switch self {
        case .localHangUp: "the kiosk hung up"
        case .remoteHangUp: "the agent hung up"
        case .cancelled: "the call was cancelled"
        case .noAnswer: "nobody answered"
        case let .rejected(code, reason): "the call was refused: \(code) \(reason)"
        case let .failed(why): why
        }
    }
}
