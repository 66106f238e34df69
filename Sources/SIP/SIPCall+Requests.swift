/// Building the call's requests, and answering digest challenges for any of them.
extension SIPCall {
    /// A Via for a new client transaction: new branch, `;rport` (RFC 3581).
    mutating func newVia() -> String {
        "SIP/2.0/\(configuration.viaTransport) \(configuration.viaSentBy);branch=\(tokens.branch());rport"
    }

    var contactValue: String { "<\(configuration.contact)>" }
    var allowValue: String { configuration.allow.map(\.rawValue).joined(separator: ", ") }

    /// The outbound proxy as a preloaded Route for requests in the dialog, if configured so.
    var dialogProxy: SIPURI? {
        configuration.routeInDialogRequestsThroughProxy ? configuration.outboundProxy : nil
    }

    /// The initial INVITE (§8.1.1, §13.2.1).
    mutating func makeInvite(sequence: UInt32) -> SIPRequest {
        var headers = SIPHeaders()
        headers.add("Via", newVia())
        headers.add("Max-Forwards", "70")
        if var proxy = configuration.outboundProxy {
            proxy.isLooseRouter = true
            headers.add("Route", "<\(proxy)>")
        }
        let from = SIPNameAddress(displayName: configuration.fromDisplayName, uri: configuration.fromAddress,
                                  parameters: [SIPParameter(name: "tag", value: localTag)])
        headers.add("From", from.description)
        headers.add("To", (configuration.to ?? SIPNameAddress(uri: configuration.requestURI)).description)
        headers.add("Call-ID", callID)
        headers.add("CSeq", SIPCSeq(sequenceNumber: sequence, method: .invite).description)
        headers.add("Contact", contactValue)
        addCapabilities(to: &headers)
        headers.add("User-Agent", configuration.userAgent)
        for field in configuration.extraHeaders { headers.add(field) }
        headers.add("Content-Type", "application/sdp")
        return SIPRequest(method: .invite, requestURI: configuration.requestURI, headers: headers, body: configuration.offer)
    }

    func addCapabilities(to headers: inout SIPHeaders) {
        headers.add("Allow", allowValue)
        if !configuration.supported.isEmpty { headers.add("Supported", configuration.supported.joined(separator: ", ")) }
    }

    /// A new request in the dialog with the next CSeq (§12.2.1.1); nil without a dialog.
    mutating func makeInDialogRequest(_ method: SIPMethod, body: [UInt8] = [], contentType: String? = nil) -> SIPRequest? {
        guard let dialog else { return nil }
        localSequence += 1
        self.dialog?.localSequence = localSequence
        var request = dialog.makeRequest(method, sequence: localSequence, via: newVia(), preloadedRoute: dialogProxy)
        if method == .invite {
            request.headers.add("Contact", contactValue)
            addCapabilities(to: &request.headers)
        }
        request.headers.add("User-Agent", configuration.userAgent)
        if let contentType, !body.isEmpty {
            request.headers.add("Content-Type", contentType)
            request.body = body
        }
        return request
    }

    /// The ACK for a 2xx to `invite` (§13.2.2.4): built like a request in the dialog, but with the
    /// INVITE's CSeq number and its credentials; a new branch; no body.
    mutating func makeAck(for invite: SIPRequest, in dialog: SIPDialog) -> SIPRequest {
        let sequence = invite.cseq?.sequenceNumber ?? dialog.localSequence
        var ack = dialog.makeRequest(.ack, sequence: sequence, via: newVia(), preloadedRoute: dialogProxy)
        for name in ["Authorization", "Proxy-Authorization"] {
            for value in invite.headers.fieldValues(name) { ack.headers.add(name, value) }
        }
        return ack
    }

    /// The outcome of a 401/407: the request again with credentials (new CSeq, new branch), or why not.
    enum ChallengeOutcome {
        case retry(Pending)
        case refused(String)
    }

    /// Answers a challenge to `pending` once per realm (§22.2, §22.3): a second challenge for
    /// credentials just sent, not marked stale, means they are wrong.
    mutating func answerChallenge(_ response: SIPResponse, to pending: Pending) -> ChallengeOutcome {
        let isProxy = response.statusCode == 407
        let challengeHeader = isProxy ? "Proxy-Authenticate" : "WWW-Authenticate"
        let answerHeader = isProxy ? "Proxy-Authorization" : "Authorization"
        let who = isProxy ? "the proxy" : "the contact center"
        let offered = response.headers.fieldValues(challengeHeader).compactMap { try? DigestChallenge(parsing: $0) }
        guard let credentials = configuration.credentials else {
            return .refused("\(who) asks for credentials (\(response.statusCode)) and none are configured")
        }
        guard let challenge = DigestChallenge.preferred(offered) else {
            return .refused("\(who) sent \(response.statusCode) without a digest challenge we can answer")
        }
        let answered = answerHeader + " " + challenge.realm
        if pending.answered.contains(answered) && !challenge.stale {
            return .refused("\(who) refused the credentials of \(credentials.username) (realm \(challenge.realm)): wrong username or password")
        }
        var request = pending.request
        localSequence += 1
        if pending.kind != .initialInvite { dialog?.localSequence = localSequence }
        request.headers.set("Via", newVia())
        request.headers.set("CSeq", SIPCSeq(sequenceNumber: localSequence, method: request.method).description)
        let count = (nonceCounts[challenge.nonce] ?? 0) + 1
        nonceCounts[challenge.nonce] = count
        let value = credentials.authorization(for: challenge, method: request.method.rawValue, uri: request.requestURI.description,
                                              cnonce: tokens.token(), nonceCount: count)
        request.headers.set(answerHeader, value)
        var retry = pending
        retry.request = request
        retry.answered.insert(answered)
        return .retry(retry)
    }
}
