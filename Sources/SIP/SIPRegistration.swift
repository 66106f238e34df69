/// Keeps the kiosk registered with the contact center's registrar (RFC 3261 §10): REGISTER, digest
/// challenges answered once per nonce, refresh before expiry, retry with backoff after failures,
/// re-register when the network comes back, unregister (Expires: 0) on shutdown. A value: it takes
/// events and returns actions; the owner runs the client transactions and the timers.
///
/// Wrong credentials must not become a retry storm: a second challenge for credentials just sent
/// (not `stale`) or a 403 is reported as `authenticationFailed` and tried again only after
/// `authenticationRetry`.
public struct SIPRegistration: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// The Request-URI: the registrar's domain, `sip:cc.example.org` (may carry `;transport=tcp`).
        public var registrar: SIPURI
        /// The address of record, To and From: `sip:kiosk-0412@cc.example.org`.
        public var addressOfRecord: SIPURI
        /// Where the kiosk is reached, the Contact.
        public var contact: SIPURI
        /// The Via sent-by (`host:port`) and transport (`UDP`, `TCP`, `TLS`).
        public var viaSentBy: String
        public var viaTransport: String
        public var credentials: DigestCredentials?
        /// The registration lifetime asked for, in seconds.
        public var expires: UInt32
        /// The first retry delay after a failure; it doubles up to `maximumRetry`.
        public var minimumRetry: Duration
        public var maximumRetry: Duration
        /// How long to wait after the registrar refused the credentials.
        public var authenticationRetry: Duration
        public var userAgent: String

        public init(registrar: SIPURI, addressOfRecord: SIPURI, contact: SIPURI, viaSentBy: String, viaTransport: String = "UDP",
                    credentials: DigestCredentials? = nil, expires: UInt32 = 300, minimumRetry: Duration = .seconds(2),
                    maximumRetry: Duration = .seconds(300), authenticationRetry: Duration = .seconds(600),
                    userAgent: String = "kioskd") {
            self.registrar = registrar
            self.addressOfRecord = addressOfRecord
            self.contact = contact
            self.viaSentBy = viaSentBy
            self.viaTransport = viaTransport
            self.credentials = credentials
            self.expires = expires
            self.minimumRetry = minimumRetry
            self.maximumRetry = maximumRetry
            self.authenticationRetry = authenticationRetry
            self.userAgent = userAgent
        }
    }

    public enum State: Sendable, Hashable {
        case idle
        case registering
        /// Registered for `expires` seconds from when the 200 arrived.
        case registered(expires: UInt32)
        /// Not registered; the next attempt is scheduled.
        case failed(SIPRegistrationFailure)
        case unregistering
        case stopped
    }

    public enum Timer: Sendable, Hashable { case refresh, retry }

    public enum Action: Sendable, Hashable {
        /// Send this REGISTER in a new client transaction; its outcome comes back as an event.
        case send(SIPRequest)
        case startTimer(Timer, Duration)
        case cancelTimer(Timer)
        /// The state changed (for the log, the status page and the call engine).
        case stateChanged(State)
    }

    public enum Event: Sendable, Hashable {
        case start
        /// The final response of the last REGISTER's transaction.
        case response(SIPResponse)
        /// A REGISTER's transaction timed out or could not be sent; `sequence` is its CSeq (nil: the last).
        case transactionFailed(String, sequence: UInt32? = nil)
        case timer(Timer)
        /// Keep-alives stopped being answered, or the transport connection closed.
        case networkLost
        /// Keep-alives are answered again (after a loss, or the registrar restarted): register now.
        case networkRestored
        /// Shut down: remove the binding.
        case stop
    }

    public let configuration: Configuration
    public private(set) var state: State = .idle
    private var tokens: SIPTokenSource
    private let callID: String
    private let fromTag: String
    private var sequence: UInt32 = 0
    private var challenge: (header: String, value: DigestChallenge)?
    private var nonceCount: UInt32 = 0
    /// Whether the REGISTER in flight carried credentials for the current challenge.
    private var answeredChallenge = false
    private var failures = 0
    private var requestedExpires: UInt32

    public init(configuration: Configuration, tokens: SIPTokenSource) {
        self.configuration = configuration
        self.tokens = tokens
        callID = self.tokens.token() + "@kioskd"
        fromTag = self.tokens.token()
        requestedExpires = configuration.expires
    }

    public mutating func handle(_ event: Event) -> [Action] {
        switch (state, event) {
        case (.stopped, _), (.unregistering, .start):
            return []
        case (_, .start), (_, .timer(.refresh)), (_, .timer(.retry)):
            return register(expires: requestedExpires)
        case (.unregistering, .response), (.unregistering, .transactionFailed):
            state = .stopped
            return [.stateChanged(.stopped)]
        case (_, .stop):
            let wasRegistered: Bool
            if case .registered = state { wasRegistered = true } else { wasRegistered = state == .registering }
            guard wasRegistered else {
                state = .stopped
                return [.cancelTimer(.refresh), .cancelTimer(.retry), .stateChanged(.stopped)]
            }
            state = .unregistering
            return [.cancelTimer(.refresh), .cancelTimer(.retry), .stateChanged(.unregistering)] + [.send(makeRequest(expires: 0))]
        case (.registering, .response(let response)):
            // A REGISTER given up for a newer one may still be answered: only the newest counts.
            guard response.cseq?.sequenceNumber == sequence else { return [] }
            return handleFinal(response)
        case (.registering, .transactionFailed(let reason, let number)):
            guard number == nil || number == sequence else { return [] }
            return fail(.unreachable(reason), after: backoff())
        case (.registered, .networkLost):
            return fail(.unreachable("keep-alives unanswered"), after: configuration.minimumRetry)
        case (.failed(let failure), .networkRestored):
            if case .authenticationFailed = failure { return [] }  // new network, same wrong password
            return [.cancelTimer(.retry)] + register(expires: requestedExpires)
        case (.registering, .networkRestored):
            // The REGISTER in flight went out while the registrar was away; its retransmissions may be
            // seconds apart by now (Timer E). A new one goes now; the old one's outcome is ignored.
            return register(expires: requestedExpires)
        default:
            return []
        }
    }

    private mutating func register(expires: UInt32) -> [Action] {
        state = .registering
        return [.cancelTimer(.retry), .cancelTimer(.refresh), .stateChanged(.registering), .send(makeRequest(expires: expires))]
    }

    private mutating func handleFinal(_ response: SIPResponse) -> [Action] {
        switch response.statusCode {
        case 200..<300:
            failures = 0
            answeredChallenge = false
            let granted = grantedExpires(response)
            state = .registered(expires: granted)
            // Refresh well before expiry: at 80 %, but at least 5 s before, and not sooner than 1 s.
            let lead = max(UInt32(1), min(granted - granted / 5, granted > 5 ? granted - 5 : granted))
            return [.stateChanged(state), .startTimer(.refresh, .seconds(Int(lead)))]
        case 401, 407:
            let header = response.statusCode == 401 ? "WWW-Authenticate" : "Proxy-Authenticate"
            let offered = response.headers.fieldValues(header).compactMap { try? DigestChallenge(parsing: $0) }
            guard configuration.credentials != nil, let chosen = DigestChallenge.preferred(offered) else {
                return fail(.authenticationFailed("the registrar asks for credentials and none are configured"),
                            after: configuration.authenticationRetry)
            }
            if answeredChallenge && !chosen.stale {
                return fail(.authenticationFailed("the registrar refused the credentials of \(configuration.credentials!.username) (realm \(chosen.realm)): wrong username or password"),
                            after: configuration.authenticationRetry)
            }
            challenge = (response.statusCode == 401 ? "Authorization" : "Proxy-Authorization", chosen)
            nonceCount = 0
            answeredChallenge = true
            return [.send(makeRequest(expires: requestedExpires))]
        case 403:
            return fail(.authenticationFailed("the registrar forbids this kiosk (403 \(response.reasonPhrase))"),
                        after: configuration.authenticationRetry)
        case 423:
            // Interval Too Brief: ask again with the registrar's minimum.
            if let minimum = response.headers["Min-Expires"].flatMap({ UInt32($0.trimmingSpaces) }), minimum > requestedExpires {
                requestedExpires = minimum
                return [.send(makeRequest(expires: requestedExpires))]
            }
            return fail(.rejected(response.statusCode, response.reasonPhrase), after: backoff())
        default:
            return fail(.rejected(response.statusCode, response.reasonPhrase), after: backoff())
        }
    }

    private mutating func fail(_ failure: SIPRegistrationFailure, after delay: Duration) -> [Action] {
        state = .failed(failure)
        answeredChallenge = false
        return [.stateChanged(state), .startTimer(.retry, delay)]
    }

    /// Doubling from minimumRetry to maximumRetry, with ±20 % jitter so a fleet does not retry in step.
    private mutating func backoff() -> Duration {
        failures += 1
        var delay = configuration.minimumRetry
        for _ in 1..<min(failures, 20) where delay < configuration.maximumRetry { delay = delay * 2 }
        delay = min(delay, configuration.maximumRetry)
        return delay * tokens.number(in: 0.8...1.2)
    }

    private func grantedExpires(_ response: SIPResponse) -> UInt32 {
        let ours = response.contacts.first { $0.uri.user == configuration.contact.user && $0.uri.host == configuration.contact.host
            && ($0.uri.port ?? 5060) == (configuration.contact.port ?? 5060) }
        let granted = ours?.expires ?? response.expires ?? requestedExpires
        return max(1, granted)
    }

    /// An OPTIONS to the registrar for `SIPKeepAlive`: a request of its own (new Call-ID each time,
    /// so a registrar that restarted in between sees nothing stale), on the registration's transport.
    public mutating func keepAliveProbe() -> SIPRequest {
        var headers = SIPHeaders()
        headers.add("Via", "SIP/2.0/\(configuration.viaTransport) \(configuration.viaSentBy);branch=\(tokens.branch());rport")
        headers.add("Max-Forwards", "70")
        headers.add("From", "<\(configuration.addressOfRecord)>;tag=\(tokens.token())")
        headers.add("To", "<\(configuration.registrar)>")
        headers.add("Call-ID", tokens.token() + "@kioskd")
        headers.add("CSeq", "1 OPTIONS")
        headers.add("User-Agent", configuration.userAgent)
        headers.add("Content-Length", "0")
        return SIPRequest(method: .options, requestURI: configuration.registrar, headers: headers)
    }

    private mutating func makeRequest(expires: UInt32) -> SIPRequest {
        sequence += 1
        var headers = SIPHeaders()
        headers.add("Via", "SIP/2.0/\(configuration.viaTransport) \(configuration.viaSentBy);branch=\(tokens.branch());rport")
        headers.add("Max-Forwards", "70")
        headers.add("From", "<\(configuration.addressOfRecord)>;tag=\(fromTag)")
        headers.add("To", "<\(configuration.addressOfRecord)>")
        headers.add("Call-ID", callID)
        headers.add("CSeq", "\(sequence) REGISTER")
        headers.add("Contact", "<\(configuration.contact)>")
        headers.add("Expires", String(expires))
        headers.add("User-Agent", configuration.userAgent)
        if let (name, value) = challenge, let credentials = configuration.credentials {
            nonceCount += 1
            let uri = configuration.registrar.description
            headers.add(name, credentials.authorization(for: value, method: "REGISTER", uri: uri,
                                                        cnonce: tokens.token(), nonceCount: nonceCount))
        }
        headers.add("Content-Length", "0")
        return SIPRequest(method: .register, requestURI: configuration.registrar, headers: headers)
    }
}

/// Why the kiosk is not registered, in words for the technician's log and the status page.
public enum SIPRegistrationFailure: Sendable, Hashable, CustomStringConvertible {
    case authenticationFailed(String)
    case rejected(Int, String)
    case unreachable(String)

    public var description: String {
        switch self {
        case let .authenticationFailed(why): return why
        case let .rejected(code, reason): return "the registrar answered \(code) \(reason)"
        case let .unreachable(why): return "the registrar is unreachable: \(why)"
        }
    }
}
