import Logging
import Media
import Records
import SDP
import SIP
import SIPTransport
import SIPUserAgent
import SRTP
import Synchronization

/// The kiosk's calls to the contact center: it builds the offer (one-way video unless the customer
/// agreed to the camera), tags the INVITE with the kiosk's context, routes it by category to the first
/// entry point that answers, starts and adapts the media as the offer/answer says, carries chat both
/// ways, and answers whatever else reaches the kiosk's SIP address. One call at a time.
public actor CallEngine {
    public enum Phase: Sendable, Equatable, CustomStringConvertible {
        case idle
        case connecting(endpoint: String)
        case ringing
        /// The contact center said the call waits (182 Queued, or its reason text).
        case queued(String)
        case inCall
        case ended(String)

        public var description: String {
            switch self {
            case .idle: return "idle"
            case let .connecting(endpoint): return "connecting via \(endpoint)"
            case .ringing: return "ringing"
            case let .queued(why): return "queued (\(why))"
            case .inCall: return "in call"
            case let .ended(why): return "ended (\(why))"
            }
        }
    }

    public enum Event: Sendable, Equatable {
        case phase(Phase)
        /// Chat from the agent; `sender` is the MESSAGE's From display name, else its user part.
        case messageReceived(String, sender: String?)
        /// The agent asks for the customer's video (a re-INVITE offering to receive it).
        case cameraRequested
        case cameraChanged(open: Bool)
        /// The agent put the call on hold (its offer stops sending audio) or took it off hold.
        case heldByAgent(Bool)
        /// The agent started or stopped sharing content (a second video stream, `a=content:slides`).
        case contentShared(Bool)
        /// Why the call ended, as SIP saw it (just before `.phase(.ended)`).
        case callEnded(SIPCallEndReason)
        /// The media failed and the engine hangs up: an answer that cannot be used (no SDP, no codec
        /// in common, no SRTP), or, in the call, nothing from the agent for the media time-out.
        case mediaFailed(String)
    }

    /// What the customer asked for at the kiosk.
    public struct Request: Sendable, Equatable {
        public var category: String
        public var language: String
        public var customerID: String?
        /// The customer agreed on screen to show the camera before the call.
        public var cameraAgreed: Bool
        /// A SIP URI that overrides the category's target (a technician's test call, `kioskctl call`).
        public var target: String?
        /// The request id the INVITE carries (the interaction record's id); nil: a new one.
        public var requestID: String?

        public init(category: String, language: String, customerID: String? = nil, cameraAgreed: Bool = false, target: String? = nil,
                    requestID: String? = nil) {
            self.category = category
            self.language = language
            self.customerID = customerID
            self.cameraAgreed = cameraAgreed
            self.target = target
            self.requestID = requestID
        }
    }

    public enum CallError: Error, CustomStringConvertible {
        case busy
        case noTarget(String)
        case media(String)
        case offer(String)

        public var description: String {
            switch self {
            case .busy: return "a call is already in progress"
            case let .noTarget(category): return "no contact-center target for category '\(category)' and no default"
            case let .media(why): return "cannot set up media: \(why)"
            case let .offer(why): return "cannot build the SDP offer: \(why)"
            }
        }
    }

    private var config: KioskConfig
    /// A configuration change that came during a call: taken when the call has ended.
    private var pendingConfig: KioskConfig?
    private let userAgent: SIPUserAgent
    private let logger: Logger
    private var router: ContactCenterRouter
    private var tokens: SIPTokenSource
    private var phase: Phase = .idle
    private var call: ActiveCall?
    /// The media summary of the call that ended last, for its interaction record.
    private var lastQuality: InteractionRecord.MediaQuality?
    private var messageIDs = 0
    private let continuation: AsyncStream<Event>.Continuation
    public nonisolated let events: AsyncStream<Event>
    private var incomingTask: Task<Void, Never>?

    /// One call: its runner on the current entry point, the media, what was offered and agreed.
    private struct ActiveCall {
        var request: Request
        var context: KioskContext
        var runner: SIPCallRunner
        /// The entry point this attempt goes through (nil: straight to the target).
        var endpoint: String?
        var media: CallMedia
        var sound: CallSound
        var offer: SessionDescription
        var keys: MediaKeys
        var negotiated: NegotiatedSession?
        var cameraAllowed: Bool
        var answered = false
        var heldByAgent = false
        var placedAt: ContinuousClock.Instant
        var answeredAt: ContinuousClock.Instant?
    }

    /// Where the agent's pictures and its shared content's go (the screen), for every call.
    private let pictureSink: CallMedia.PictureSink?
    private let contentSink: CallMedia.PictureSink?

    public init(config: KioskConfig, userAgent: SIPUserAgent, pictureSink: CallMedia.PictureSink? = nil,
                contentSink: CallMedia.PictureSink? = nil, logger: Logger) {
        self.pictureSink = pictureSink
        self.contentSink = contentSink
        self.config = config
        self.userAgent = userAgent
        self.logger = logger
        // No default target: a category that is not configured is refused (CallError.noTarget) rather
        // than sent to some other skill group.
        router = Self.router(config.contactCenter)
        var seed = SystemRandomNumberGenerator()
        tokens = SIPTokenSource(seed: seed.next())
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(256))
    }

    static func router(_ settings: ContactCenterSettings) -> ContactCenterRouter {
        ContactCenterRouter(targets: settings.targets, defaultTarget: settings.defaultTarget ?? "", endpoints: settings.endpoints)
    }

    public var currentPhase: Phase { phase }

    /// Takes a changed configuration (the kiosk's context, media, routing) for the calls that follow:
    /// at once when no call is up, else when it has ended, never in the middle of one. Sockets and the
    /// registration keep what they started with (ConfigurationChange leaves them to a restart).
    public func reconfigure(_ new: KioskConfig) {
        if call == nil { take(new) } else { pendingConfig = new }
    }

    private func take(_ new: KioskConfig) {
        pendingConfig = nil
        // The entry points' health is kept unless the entry points themselves changed.
        if new.contactCenter != config.contactCenter { router = Self.router(new.contactCenter) }
        config = new
        logger.info("call: configuration changed; the next call uses it")
    }

    /// Calls placed, answered and ended, for /metrics.
    public nonisolated let tally = CallTally()

    /// The answered call's media so far and how long it has been in progress; nil outside a call.
    public func mediaStatistics() -> (statistics: CallMedia.Statistics, since: Duration)? {
        guard let call, call.answered, let answeredAt = call.answeredAt else { return nil }
        return (call.media.statistics, ContinuousClock.now - answeredAt)
    }

    /// Starts answering requests that reach the kiosk (in a call's dialog or not).
    public func start() {
        guard incomingTask == nil else { return }
        let ua = userAgent
        incomingTask = Task { [weak self] in
            for await incoming in ua.incomingRequests {
                await self?.route(incoming.request)
            }
        }
    }

    public func stop() async {
        await hangUp()
        incomingTask?.cancel()
        healthTask?.cancel()
    }

    // MARK: - Health checks of the entry points

    private var healthTask: Task<Void, Never>?

    /// Asks every entry point `OPTIONS` now and then; one that does not answer within `timeout` (or
    /// cannot be reached) is tried last until it answers again. Any response counts as alive: a 407 or
    /// 405 still proves the entry point is up and routing.
    public func startHealthChecks(every interval: Duration, timeout: Duration = .seconds(2)) {
        guard healthTask == nil, !router.endpoints.isEmpty, interval > .zero else { return }
        healthTask = Task { [weak self] in
            while !Task.isCancelled {
                await self?.checkEndpoints(timeout: timeout)
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One round of health checks (also run before the first call).
    public func checkEndpoints(timeout: Duration = .seconds(2)) async {
        let hostPort = await userAgent.advertisedHostPort
        for endpoint in router.endpoints {
            guard let uri = try? SIPURI(parsing: endpoint), let peer = try? SIPCallRunner.peer(for: uri) else {
                router.record(endpoint, .failing("not a reachable SIP URI"))
                continue
            }
            let options = optionsRequest(to: uri, endpoint: endpoint, peer: peer, hostPort: hostPort)
            let answered = await Self.firstOf(timeout: timeout) { [userAgent] in
                if case .response = await userAgent.send(options, to: peer) { return true }
                return false
            } ?? false
            let before = router.health[endpoint]
            router.record(endpoint, answered ? .healthy : .failing("no answer to OPTIONS"))
            if before != router.health[endpoint] {
                if answered { logger.info("contact center: \(endpoint) answers") } else { logger.warning("contact center: \(endpoint) does not answer OPTIONS") }
            }
        }
    }

    private func optionsRequest(to uri: SIPURI, endpoint: String, peer: SIPPeer, hostPort: String) -> SIPRequest {
        var headers = SIPHeaders()
        headers.add("Via", "SIP/2.0/\(peer.kind.rawValue) \(hostPort);branch=\(tokens.branch());rport")
        headers.add("Max-Forwards", "70")
        headers.add("From", "<sip:\(config.sip.user)@\(config.sip.domain)>;tag=\(tokens.token())")
        headers.add("To", "<\(endpoint)>")
        headers.add("Call-ID", tokens.token() + "@kioskd")
        headers.add("CSeq", "1 OPTIONS")
        headers.add("Accept", "application/sdp")
        return SIPRequest(method: .options, requestURI: uri, headers: headers)
    }

    /// What one OPTIONS probe of an entry point found (a technician's `kioskctl test network`).
    public struct Probe: Sendable, Equatable {
        public var endpoint: String
        /// The final status code, nil when nothing answered.
        public var status: Int?
        public var reason: String
        public var roundTrip: Duration?
        /// The transport the probe went over (udp, tcp, tls); a TLS answer means the certificate passed.
        public var transport: String?
    }

    /// Sends one OPTIONS to `endpoint` and times the answer. Any final answer (even 404/405) shows the
    /// entry point is up; over TLS it also shows the certificate was accepted (the transport checks it).
    public func probe(_ endpoint: String, timeout: Duration = .seconds(3)) async -> Probe {
        guard let uri = try? SIPURI(parsing: endpoint), let peer = try? SIPCallRunner.peer(for: uri) else {
            return Probe(endpoint: endpoint, status: nil, reason: "not a reachable SIP URI", roundTrip: nil, transport: nil)
        }
        let options = optionsRequest(to: uri, endpoint: endpoint, peer: peer, hostPort: await userAgent.advertisedHostPort)
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await Self.firstOf(timeout: timeout) { [userAgent] () -> (Int?, String) in
            switch await userAgent.send(options, to: peer) {
            case let .response(response): return (response.statusCode, response.reasonPhrase)
            case .timedOut: return (nil, "no answer (SIP timer expired)")
            case let .transportFailed(why): return (nil, why)
            }
        } ?? (nil, "no answer within \(timeout)")
        let elapsed = clock.now - started
        return Probe(endpoint: endpoint, status: outcome.0, reason: outcome.1, roundTrip: outcome.0 == nil ? nil : elapsed,
                     transport: peer.kind.rawValue.lowercased())
    }

    // MARK: - Placing a call

    /// Places a call for the customer's request; returns once the INVITE is on its way.
    public func placeCall(_ request: Request) async throws -> KioskContext {
        guard call == nil else { throw CallError.busy }
        let target = request.target ?? router.target(for: request.category)
        guard !target.isEmpty, let targetURI = try? SIPURI(parsing: target) else { throw CallError.noTarget(request.category) }
        let placedAt = ContinuousClock.now
        let context = KioskContext(kioskID: config.identity.id, site: config.site.site, address: config.site.address,
                                   floor: config.site.floor, latitude: config.site.latitude, longitude: config.site.longitude,
                                   category: request.category, language: request.language, customerID: request.customerID,
                                   requestID: request.requestID ?? Self.requestID(&tokens))
        let host = await mediaHost()
        let media: CallMedia
        let sound = CallSound(settings: config.speaker, microphone: config.media.microphone, logger: logger)
        do {
            // A socket for shared content only when something shows it (a screen).
            // Bound where SIP is bound, offered at the advertised address: behind NAT the two differ.
            media = try CallMedia(localHost: config.sip.bindAddress, portRange: config.sip.rtpPorts, logger: logger, pictureSink: pictureSink,
                                  contentSink: contentSink, audioSink: sound.audioSink, echoCanceller: sound.echoCanceller)
        } catch {
            sound.stop(logger: logger)
            throw CallError.media("\(error)")
        }
        let keys = MediaKeys(audio: SRTPSuite.randomKeyAndSalt(), video: SRTPSuite.randomKeyAndSalt(), content: SRTPSuite.randomKeyAndSalt())
        let offer: SessionDescription
        do {
            offer = try KioskOfferBuilder(localAddress: host, sessionID: tokens.next() >> 1, sessionVersion: 1,
                                          ports: MediaPorts(audio: UInt16(media.audioPort), video: UInt16(media.videoPort)),
                                          keys: keys, profile: .savpf,
                                          videoDirection: request.cameraAgreed ? .sendrecv : .recvonly).build()
        } catch {
            await media.stop()
            sound.stop(logger: logger)
            throw CallError.offer("\(error)")
        }
        let endpoints = router.candidates
        let endpoint = endpoints.first
        let runner: SIPCallRunner
        do {
            runner = try await makeRunner(target: targetURI, endpoint: endpoint, context: context, offer: offer)
        } catch {
            await media.stop()
            sound.stop(logger: logger)
            throw error
        }
        call = ActiveCall(request: request, context: context, runner: runner, endpoint: endpoint, media: media, sound: sound,
                          offer: offer, keys: keys,
                          cameraAllowed: request.cameraAgreed, placedAt: placedAt)
        set(.connecting(endpoint: endpoint ?? target))
        logger.info("call: \(request.category)/\(request.language) → \(target)\(endpoint.map { " via \($0)" } ?? ""), request \(context.requestID)")
        tally.placed()
        await runner.start()
        follow(runner, endpoints: Array(endpoints.dropFirst()), target: targetURI)
        // While the INVITE is out: encoder, microphone and receive threads get ready, so the answer
        // only sets keys and destinations (the first audio packet goes out as it is handled). Not
        // awaited: placing the call is done; a prepare that comes after the answer or the end does nothing.
        let settings = config.media
        Task { await media.prepare(settings: settings) }
        return context
    }

    /// The SIP call for one attempt through `endpoint` (or straight to the target).
    private func makeRunner(target: SIPURI, endpoint: String?, context: KioskContext, offer: SessionDescription) async throws -> SIPCallRunner {
        let hostPort = await userAgent.advertisedHostPort
        let sip = config.sip
        let from = try SIPURI(parsing: "sip:\(sip.user)@\(sip.domain)")
        let contact = try SIPURI(parsing: "sip:\(sip.user)@\(hostPort)" + (sip.transport == .udp ? "" : ";transport=\(sip.transport.rawValue)"))
        var proxy = try endpoint.map { try SIPURI(parsing: $0) }
        if var p = proxy, !p.parameters.contains("lr") {
            p.parameters.set("lr", value: nil)
            proxy = p
        }
        let configuration = SIPCall.Configuration(
            requestURI: target, fromAddress: from, fromDisplayName: sip.displayName ?? config.identity.name, contact: contact,
            viaSentBy: hostPort, viaTransport: sip.transport.rawValue.uppercased(), outboundProxy: proxy,
            credentials: sip.password.map { DigestCredentials(username: sip.user, password: $0) },
            extraHeaders: config.site.tagging.headers(for: context), offer: Array(offer.serialized().utf8),
            userAgent: "kioskd/0.1 (\(config.identity.id))",
            ringTimeout: sip.ringTimeoutSeconds > 0 ? .seconds(sip.ringTimeoutSeconds) : nil)
        return SIPCallRunner(call: SIPCall(configuration: configuration, tokens: SIPTokenSource(seed: tokens.next())),
                             userAgent: userAgent, logger: logger)
    }

    /// Follows a call attempt's events; fails over to the next entry point when this one gives no
    /// response in time or refuses with a server error.
    private func follow(_ runner: SIPCallRunner, endpoints: [String], target: SIPURI) {
        let failover = Duration.milliseconds(Int(config.contactCenter.failoverSeconds * 1000))
        let canFailOver = !endpoints.isEmpty
        Task { [weak self] in
            var heardBack = false
            let watchdog = canFailOver ? Task { [weak self] in
                try? await Task.sleep(for: failover)
                guard !Task.isCancelled else { return }
                await self?.noResponse(runner, remaining: endpoints, target: target)
            } : nil
            for await event in runner.events {
                if !heardBack, event != .ended(.cancelled) { heardBack = true; watchdog?.cancel() }
                await self?.handle(event, from: runner, remaining: endpoints, target: target)
            }
            watchdog?.cancel()
        }
    }

    /// The entry point said nothing at all in time: give up on it (CANCEL) and go on at once with
    /// the next; the abandoned attempt's events are ignored from here on.
    private func noResponse(_ runner: SIPCallRunner, remaining: [String], target: SIPURI) async {
        guard let current = call, current.runner === runner, !current.answered else { return }
        await runner.handle(.cancel)
        await failOver(current, reason: "no response within \(config.contactCenter.failoverSeconds) s", remaining: remaining, target: target)
    }

    /// Starts the same call through the next entry point; false when there is none or it failed.
    @discardableResult
    private func failOver(_ current: ActiveCall, reason: String, remaining: [String], target: SIPURI) async -> Bool {
        guard let next = remaining.first else { return false }
        if let endpoint = current.endpoint { router.record(endpoint, .failing(reason)) }
        logger.warning("call: \(reason) via \(current.endpoint ?? "?"); failing over to \(next)")
        do {
            let nextRunner = try await makeRunner(target: target, endpoint: next, context: current.context, offer: current.offer)
            call?.runner = nextRunner
            call?.endpoint = next
            set(.connecting(endpoint: next))
            await nextRunner.start()
            follow(nextRunner, endpoints: Array(remaining.dropFirst()), target: target)
            return true
        } catch {
            logger.error("call: cannot fail over to \(next): \(error)")
            return false
        }
    }

    private func handle(_ event: SIPCallRunner.Event, from runner: SIPCallRunner, remaining: [String], target: SIPURI) async {
        guard let current = call, current.runner === runner else { return }
        switch event {
        case .ringing:
            set(.ringing)
        case let .progress(code, reason):
            if code == 182 { set(.queued(reason)) }
        case let .answered(sdp):
            await answered(sdp)
        case let .remoteOffer(sdp):
            await remoteOffer(sdp, runner: runner)
        case let .remoteAnswer(sdp):
            await remoteAnswer(sdp)
        case .remoteOfferWithdrawn, .reinviteFailed, .messageDelivered:
            break
        case let .messageReceived(text, _, sender):
            logger.info("call: message from \(sender ?? "the agent"): \(text)")
            continuation.yield(.messageReceived(text, sender: sender))
        case .infoReceived:
            break
        case let .ended(reason):
            let endpoint = current.endpoint
            if !current.answered, Self.worthFailingOver(reason),
               await failOver(current, reason: "\(reason)", remaining: remaining, target: target) {
                return
            }
            if current.answered, let endpoint { router.record(endpoint, .healthy) }
            if current.answered { logger.info("call: media \(Self.summary(current.media.statistics))") }
            lastQuality = Self.quality(current.media.statistics, since: current.answeredAt)
            await current.media.stop()
            current.sound.stop(logger: logger)
            call = nil
            if let pendingConfig { take(pendingConfig) }
            // A call that could not be made is worth the technician's eye (one line, with SIP's reason).
            switch reason {
            case .rejected, .noAnswer, .failed: logger.warning("call: ended: \(reason)")
            case .localHangUp, .remoteHangUp, .cancelled: logger.info("call: ended: \(reason)")
            }
            tally.ended(reason, answered: current.answered)
            continuation.yield(.callEnded(reason))
            set(.ended("\(reason)"))
            set(.idle)
        }
    }

    /// Timeouts, transport failures and server errors move on; a busy or declining agent does not.
    static func worthFailingOver(_ reason: SIPCallEndReason) -> Bool {
        switch reason {
        case .cancelled, .failed: return true
        case let .rejected(code, _): return code >= 500 || code == 408
        default: return false
        }
    }

    private func answered(_ sdp: [UInt8]) async {
        guard var current = call else { return }
        current.answered = true
        current.answeredAt = .now
        let elapsed = ContinuousClock.now - current.placedAt
        do {
            let answer: SessionDescription
            do {
                guard !sdp.isEmpty else { throw UnusableAnswer("the 200 OK carries no SDP answer") }
                answer = try SessionDescription(parsing: sdp)
            } catch let error as SDPParseError {
                throw UnusableAnswer("its SDP does not parse: \(error)")
            }
            let negotiated: NegotiatedSession
            do {
                negotiated = try OfferAnswer.negotiate(offer: current.offer, answer: answer,
                                                       policy: NegotiationPolicy(srtpRequired: !config.sip.allowPlainRTP))
            } catch {
                throw UnusableAnswer("\(error); the agent answered \(Self.codecs(answer)), the kiosk offered \(Self.codecs(current.offer))")
            }
            current.negotiated = negotiated
            current.answeredAt = ContinuousClock.now
            call = current
            tally.answered(after: elapsed)
            try await current.media.start(plan: Self.plan(negotiated), settings: config.media)
            set(.inCall)
            logger.info("call: answered after \(elapsed); audio \(Self.describe(negotiated.audio)), video \(Self.describe(negotiated.video))")
            reportCamera(current.media, expectOpen: negotiated.video?.direction.sends ?? false)
            watchMedia(current.media, runner: current.runner)
        } catch {
            // One line for the technician, saying what was wrong with the answer; the customer is told
            // on screen that no connection could be made.
            logger.error("call: the agent's answer cannot be used: \(error); hanging up")
            call = current
            continuation.yield(.mediaFailed("the agent's answer cannot be used: \(error)"))
            await current.runner.handle(.hangUp)
        }
    }

    /// Why an answer cannot be used, in words.
    struct UnusableAnswer: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The codecs per stream, for the log: "audio PCMU, video H264".
    static func codecs(_ sdp: SessionDescription) -> String {
        sdp.media.map { media in
            let names = media.payloadTypes.map { pt in media.rtpMap(for: pt)?.encodingName ?? "PT \(pt)" }
            return "\(media.mediaType) \(media.port == 0 ? "rejected" : names.joined(separator: "/"))"
        }.joined(separator: ", ")
    }

    /// The agent's re-INVITE: answered from what the customer agreed to.
    private func remoteOffer(_ sdp: [UInt8], runner: SIPCallRunner) async {
        guard let current = call else { return }
        do {
            let offer = try SessionDescription(parsing: sdp)
            if offer.media.contains(where: { $0.mediaType == "video" && $0.direction(in: offer).receives }) && !current.cameraAllowed {
                continuation.yield(.cameraRequested)
            }
            // Hold (RFC 3264 §8.4): the agent no longer takes our audio (sendonly or inactive, or port 0).
            let held = offer.media.first { $0.mediaType == "audio" }.map { $0.port == 0 || !$0.direction(in: offer).receives } ?? false
            if held != current.heldByAgent {
                call?.heldByAgent = held
                continuation.yield(.heldByAgent(held))
            }
            var origin = current.offer.origin
            origin.sessionVersion += 1
            let host = await mediaHost()
            let (answer, negotiated) = try OfferAnswer.answer(
                offer: offer, origin: origin, localAddress: host,
                ports: MediaPorts(audio: UInt16(current.media.audioPort), video: UInt16(current.media.videoPort),
                                  content: current.media.contentPort.map { UInt16($0) }),
                keys: current.keys, cameraAllowed: current.cameraAllowed,
                policy: NegotiationPolicy(srtpRequired: !config.sip.allowPlainRTP))
            let hadContent = current.negotiated?.content?.direction.receives ?? false
            call?.negotiated = negotiated
            call?.offer.origin = origin
            await runner.handle(.answerOffer(sdp: Array(answer.serialized().utf8)))
            let hasContent = negotiated.content?.direction.receives ?? false
            if hasContent != hadContent {
                logger.info("call: the agent \(hasContent ? "shares content" : "stopped sharing content")")
                continuation.yield(.contentShared(hasContent))
            }
            try await current.media.update(plan: Self.plan(negotiated))
            reportCamera(current.media, expectOpen: negotiated.video?.direction.sends ?? false)
        } catch {
            logger.warning("call: cannot accept the agent's new offer (\(error)); keeping the session")
            await runner.handle(.rejectOffer(statusCode: 488))
        }
    }

    private func remoteAnswer(_ sdp: [UInt8]) async {
        guard let current = call else { return }
        do {
            let negotiated = try OfferAnswer.negotiate(offer: current.offer, answer: try SessionDescription(parsing: sdp),
                                                       policy: NegotiationPolicy(srtpRequired: !config.sip.allowPlainRTP))
            call?.negotiated = negotiated
            try await current.media.update(plan: Self.plan(negotiated))
            reportCamera(current.media, expectOpen: negotiated.video?.direction.sends ?? false)
        } catch {
            logger.error("call: the agent's answer to our new offer cannot be used: \(error)")
        }
    }

    // MARK: - The customer's actions

    /// The customer agreed on screen to show the camera: offer video both ways (a re-INVITE).
    public func agreeToCamera() async { await setCamera(allowed: true) }

    /// The customer (or the agent's request ending) turns the camera off again.
    public func withdrawCamera() async { await setCamera(allowed: false) }

    private func setCamera(allowed: Bool) async {
        guard var current = call, current.cameraAllowed != allowed else { return }
        current.cameraAllowed = allowed
        current.offer.origin.sessionVersion += 1
        for i in current.offer.media.indices where current.offer.media[i].mediaType == "video" {
            current.offer.media[i].setDirection(allowed ? .sendrecv : .recvonly)
        }
        call = current
        guard current.answered else { return }
        await current.runner.handle(.reinvite(offer: Array(current.offer.serialized().utf8)))
    }

    public func sendMessage(_ text: String) async {
        guard let current = call else { return }
        messageIDs += 1
        await current.runner.handle(.sendMessage(text, id: messageIDs))
    }

    /// The media summary of the call in progress, or of the one that ended last (nil: none was answered).
    public func mediaQuality() -> InteractionRecord.MediaQuality? {
        guard let current = call else { return lastQuality }
        return Self.quality(current.media.statistics, since: current.answeredAt)
    }

    public func hangUp() async {
        guard let current = call else { return }
        await current.runner.handle(.hangUp)
    }

    /// The network went away mid-call: when nothing (RTP or RTCP, audio or video) has come from the
    /// agent for the media time-out, and the agent has not put the call on hold, the kiosk hangs up
    /// rather than show a frozen picture for ever.
    private func watchMedia(_ media: CallMedia, runner: SIPCallRunner) {
        let timeout = config.sip.mediaTimeoutSeconds
        guard timeout > 0 else { return }
        let startedAt = MonotonicClock.nowNanos()
        Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                guard let self, await self.isCurrent(runner) else { return }
                guard await !self.isHeld() else { continue }
                let s = media.statistics
                let last = [s.audio.lastArrivalNanos, s.video.lastArrivalNanos].compactMap { $0 }.max() ?? startedAt
                let silent = Double(MonotonicClock.nowNanos() - max(last, startedAt)) / 1e9
                if silent >= Double(timeout) {
                    await self.mediaTimedOut(runner, seconds: timeout)
                    return
                }
            }
        }
    }

    private func isCurrent(_ runner: SIPCallRunner) -> Bool { call?.runner === runner }

    private func isHeld() -> Bool { call?.heldByAgent ?? false }

    private func mediaTimedOut(_ runner: SIPCallRunner, seconds: Int) async {
        guard let current = call, current.runner === runner else { return }
        logger.warning("call: nothing from the agent for \(seconds) s (the network?); hanging up")
        continuation.yield(.mediaFailed("no media from the agent for \(seconds) s"))
        await runner.handle(.hangUp)
    }

    /// One line for the log: what was sent and received, and whether SRTP held.
    static func summary(_ s: CallMedia.Statistics) -> String {
        "sent audio \(s.send.audioPacketsSent) packets, video \(s.send.videoFramesSent) frames; "
            + "received audio \(s.audio.packets) packets (\(s.audio.lost) lost), video \(s.video.packets) packets (\(s.video.lost) lost), "
            + "\(s.audio.srtpFailures + s.video.srtpFailures) SRTP failures; decoded \(s.video.pictures?.framesDecoded ?? 0) pictures"
    }

    // MARK: - Requests outside a call

    private func route(_ request: SIPRequest) async {
        if let current = call, await current.runner.matches(request) {
            await current.runner.receive(request)
            return
        }
        switch request.method {
        case .options:
            var ok = SIPResponse(replyingTo: request, statusCode: 200, toTag: tokens.token())
            ok.headers.add("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO")
            ok.headers.add("Accept", "application/sdp, text/plain")
            await userAgent.respond(ok, to: request)
        case .message:
            // A MESSAGE outside a call (RFC 3428 pager mode): shown like chat.
            await userAgent.respond(SIPResponse(replyingTo: request, statusCode: 200, toTag: tokens.token()), to: request)
            let text = String(decoding: request.body, as: UTF8.self)
            let sender = request.headers["From"].flatMap { try? SIPNameAddress(parsing: $0) }?.senderName
            logger.info("sip: message outside a call from \(sender ?? "?"): \(text)")
            continuation.yield(.messageReceived(text, sender: sender))
        case .invite:
            // The kiosk places calls; it does not take them.
            await userAgent.respond(SIPResponse(replyingTo: request, statusCode: 486, reasonPhrase: "Kiosk Does Not Accept Calls",
                                                toTag: tokens.token()), to: request)
        case .ack:
            break
        default:
            await userAgent.respond(SIPResponse(replyingTo: request, statusCode: 481, toTag: tokens.token()), to: request)
        }
    }

    // MARK: - Helpers

    /// Tells the screen whether the camera is live, once the media agrees with the plan: the camera
    /// opens on its own thread, so the state is read back, not assumed (the indicator must be true).
    private func reportCamera(_ media: CallMedia, expectOpen: Bool) {
        let continuation = self.continuation
        Task {
            let deadline = ContinuousClock.now + .seconds(3)
            while media.isCameraOpen != expectOpen && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            continuation.yield(.cameraChanged(open: media.isCameraOpen))
        }
    }

    /// The result of `work`, or nil if it takes longer than `timeout`; the work goes on unawaited (a
    /// transaction cannot be cut short, it ends on its own timer).
    static func firstOf<T: Sendable>(timeout: Duration, _ work: @escaping @Sendable () async -> T) async -> T? {
        let once = ResumeOnce<T?>()
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            once.set(continuation)
            Task { once.resume(returning: await work()) }
            Task {
                try? await Task.sleep(for: timeout)
                once.resume(returning: nil)
            }
        }
    }

    private func set(_ new: Phase) {
        phase = new
        continuation.yield(.phase(new))
    }

    private func mediaHost() async -> String { await userAgent.advertisedHost }

    static func requestID(_ tokens: inout SIPTokenSource) -> String {
        let a = tokens.token(), b = tokens.token()
        return "\(a.prefix(8))-\(a.dropFirst(8).prefix(4))-\(a.suffix(4))-\(b.prefix(4))-\(b.suffix(12))"
    }

    static func describe(_ media: NegotiatedMedia?) -> String {
        guard let media else { return "none" }
        return "\(media.codec.encodingName) \(media.direction) to \(media.remoteAddress):\(media.remotePort)\(media.srtp != nil ? " SRTP" : "")"
    }

    /// The media plan for what was agreed: who sends what where, with which keys.
    static func plan(_ negotiated: NegotiatedSession) -> CallMedia.Plan {
        func stream(_ media: NegotiatedMedia?) -> CallMedia.StreamPlan? {
            guard let media else { return nil }
            return CallMedia.StreamPlan(remoteHost: media.remoteAddress, remotePort: Int(media.remotePort),
                                        remoteRTCPPort: Int(media.remoteRTCPPort), remoteRTCPHost: media.remoteRTCPAddress,
                                        rtcpMux: media.rtcpMux, sendPayloadType: media.sendPayloadType,
                                        receivePayloadType: media.receivePayloadType, sends: media.direction.sends,
                                        receives: media.direction.receives,
                                        suite: SRTPSuite(name: media.srtp?.suite.rawValue ?? "") ?? .aesCM128HMACSHA1_80,
                                        sendKey: media.srtp?.localKeyAndSalt, receiveKey: media.srtp?.remoteKeyAndSalt)
        }
        let host = negotiated.audio?.remoteAddress ?? negotiated.video?.remoteAddress ?? "127.0.0.1"
        return CallMedia.Plan(remoteHost: host, audio: stream(negotiated.audio), video: stream(negotiated.video),
                              content: stream(negotiated.content))
    }
}

/// A continuation resumed by whichever of several tasks finishes first.
final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, Never>?>(nil)

    func set(_ c: CheckedContinuation<T, Never>) { continuation.withLock { $0 = c } }

    func resume(returning value: T) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
