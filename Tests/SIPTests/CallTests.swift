import SIP
import Testing

/// The kiosk calls `support@cc.example.org` through its outbound proxy (Kamailio at 127.0.0.1:5060),
/// which Record-Routes, as does a second proxy (10.1.1.1) in front of the agent's phone.
enum CallFixture {
    static let offer = Array("v=0\r\no=kiosk 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 49170 RTP/SAVPF 111\r\n".utf8)
    static let answer = Array("v=0\r\no=agent 7 7 IN IP4 10.0.0.7\r\ns=-\r\nc=IN IP4 10.0.0.7\r\nt=0 0\r\nm=audio 30000 RTP/SAVPF 111\r\n".utf8)

    static func configuration(credentials: DigestCredentials? = DigestCredentials(username: "kiosk-0412", password: "secret"),
                              ringTimeout: Duration? = nil) -> SIPCall.Configuration {
        SIPCall.Configuration(
            requestURI: try! SIPURI(parsing: "sip:support@cc.example.org"),
            fromAddress: try! SIPURI(parsing: "sip:kiosk-0412@cc.example.org"), fromDisplayName: "Kiosk 0412",
            contact: try! SIPURI(parsing: "sip:kiosk-0412@192.0.2.10:5080"), viaSentBy: "192.0.2.10:5080",
            outboundProxy: try! SIPURI(parsing: "sip:127.0.0.1:5060"), credentials: credentials,
            extraHeaders: [("X-Kiosk-Id", "0412"), ("X-Kiosk-Site", "Hauptbahnhof, Halle 2"),
                           ("User-to-User", "6b696f736b3d30343132;encoding=hex")],
            offer: offer, userAgent: "kioskd/1.0", ringTimeout: ringTimeout)
    }
}

/// The agent's side as the kiosk sees it: responses and requests that came through both proxies.
struct Agent {
    var tag = "agent-tag-1"
    var contact = "sip:agent-7@10.0.0.7:5062"
    /// As the response carries it: the proxy nearest the agent first.
    var recordRoute = ["<sip:10.1.1.1;lr>", "<sip:127.0.0.1:5060;lr;ftag=x1>"]
    var sequence: UInt32 = 100

    func reply(_ code: Int, to request: SIPRequest, reason: String? = nil, body: [UInt8] = []) -> SIPResponse {
        var response = SIPResponse(replyingTo: request, statusCode: code, reasonPhrase: reason, toTag: code == 100 ? nil : tag)
        if (101..<300).contains(code) && request.method == .invite {
            for route in recordRoute { response.headers.add("Record-Route", route) }
            response.headers.add("Contact", "<\(contact)>")
        }
        if !body.isEmpty {
            response.headers.add("Content-Type", "application/sdp")
            response.body = body
        }
        return response
    }

    /// A request in the dialog from the agent (its CSeq space starts at 100).
    mutating func request(_ method: SIPMethod, to call: SIPCall, body: [UInt8] = [], contentType: String? = nil,
                          sequence: UInt32? = nil, contact: String? = nil) -> SIPRequest {
        let number = sequence ?? { self.sequence += 1; return self.sequence }()
        var headers = SIPHeaders()
        headers.add("Via", "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKp1\(number)")
        headers.add("Via", "SIP/2.0/UDP 10.0.0.7:5062;branch=z9hG4bKag\(number);rport=5062")
        headers.add("Max-Forwards", "68")
        headers.add("From", "<sip:support@cc.example.org>;tag=\(tag)")
        headers.add("To", "\"Kiosk 0412\" <sip:kiosk-0412@cc.example.org>;tag=\(call.localTag)")
        headers.add("Call-ID", call.callID)
        headers.add("CSeq", "\(number) \(method.rawValue)")
        if method == .invite { headers.add("Contact", "<\(contact ?? self.contact)>") }
        if let contentType { headers.add("Content-Type", contentType) }
        return SIPRequest(method: method, requestURI: try! SIPURI(parsing: "sip:kiosk-0412@192.0.2.10:5080"), headers: headers, body: body)
    }

    func challenge(_ request: SIPRequest, nonce: String, stale: Bool = false) -> SIPResponse {
        var response = SIPResponse(replyingTo: request, statusCode: 407, toTag: "proxy-tag")
        response.headers.add("Proxy-Authenticate", "Digest realm=\"cc.example.org\", nonce=\"\(nonce)\", qop=\"auth\"\(stale ? ", stale=true" : "")")
        return response
    }
}

extension Array where Element == SIPCall.Action {
    var sent: [SIPRequest] { compactMap { if case let .send(r) = $0 { r } else { nil } } }
    var acks: [SIPRequest] { compactMap { if case let .sendAck(r) = $0 { r } else { nil } } }
    var responses: [SIPResponse] { compactMap { if case let .respond(r, _) = $0 { r } else { nil } } }
    var ended: SIPCallEndReason? { lazy.compactMap { if case let .ended(reason) = $0 { reason } else { nil } }.first }
    var answeredCount: Int { filter { if case .answered = $0 { true } else { false } }.count }
}

/// Runs the call's own timers on a virtual clock, feeding them back as events.
struct CallClock {
    var now: Duration = .zero
    var armed: [SIPCall.CallTimer: Duration] = [:]

    mutating func apply(_ actions: [SIPCall.Action]) {
        for action in actions {
            switch action {
            case let .startTimer(timer, after): armed[timer] = now + after
            case let .cancelTimer(timer): armed[timer] = nil
            default: break
            }
        }
    }

    /// Fires every timer due up to `limit`, in order; returns what the call did, with the times.
    mutating func run(_ call: inout SIPCall, until limit: Duration) -> [(Duration, SIPCall.Action)] {
        var log: [(Duration, SIPCall.Action)] = []
        while let (timer, due) = armed.min(by: { $0.value < $1.value }), due <= limit {
            armed[timer] = nil
            now = due
            let actions = call.handle(.timer(timer))
            apply(actions)
            log += actions.map { (due, $0) }
        }
        now = limit
        return log
    }
}

struct CallTests {
    /// A call up to the point it is answered; returns the INVITE, the 2xx and its ACK.
    func answeredCall(_ call: inout SIPCall, agent: Agent) throws -> (invite: SIPRequest, ok: SIPResponse, ack: SIPRequest) {
        let invite = try #require(call.handle(.start).sent.first)
        _ = call.handle(.response(agent.reply(100, to: invite)))
        _ = call.handle(.response(agent.reply(180, to: invite)))
        let ok = agent.reply(200, to: invite, body: CallFixture.answer)
        let ack = try #require(call.handle(.response(ok)).acks.first)
        #expect(call.state == .confirmed)
        return (invite, ok, ack)
    }

    @Test func theInviteCarriesTheKiosksIdentityRouteAndContext() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 1))
        let actions = call.handle(.start)
        #expect(actions.count == 1 && call.state == .calling)
        let invite = try #require(actions.sent.first)
        #expect(invite.requestLine == "INVITE sip:support@cc.example.org SIP/2.0")
        let via = try #require(invite.topVia)
        #expect(via.sentBy == "192.0.2.10:5080" && via.transport == "UDP" && via.hasRFC3261Branch && via.rport == .requested)
        #expect(invite.maxForwards == 70)
        #expect(invite.headers.fieldValues("Route") == ["<sip:127.0.0.1:5060;lr>"])
        #expect(invite.headers["From"] == "\"Kiosk 0412\" <sip:kiosk-0412@cc.example.org>;tag=\(call.localTag)")
        #expect(invite.headers["To"] == "<sip:support@cc.example.org>")
        #expect(invite.callID == call.callID && invite.callID?.hasSuffix("@kioskd") == true)
        #expect(invite.headers["CSeq"] == "1 INVITE")
        #expect(invite.headers["Contact"] == "<sip:kiosk-0412@192.0.2.10:5080>")
        #expect(invite.headers["Allow"] == "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO")
        #expect(invite.headers["User-Agent"] == "kioskd/1.0")
        #expect(invite.headers["Content-Type"] == "application/sdp" && invite.body == CallFixture.offer)
        // The context, as given and in order.
        #expect(invite.headers["X-Kiosk-Id"] == "0412")
        #expect(invite.headers["X-Kiosk-Site"] == "Hauptbahnhof, Halle 2")
        #expect(invite.headers["User-to-User"] == "6b696f736b3d30343132;encoding=hex")
        let names = invite.headers.map(\.name)
        #expect(names.firstIndex(of: "X-Kiosk-Id")! < names.firstIndex(of: "User-to-User")!)
        // The wire form parses back to the same request.
        let parsed = try SIPMessageParser.parse(SIPMessage.request(invite).serialized())
        #expect(parsed.request?.headers["X-Kiosk-Site"] == "Hauptbahnhof, Halle 2" && parsed.request?.body == CallFixture.offer)
        #expect(SIPDialog.nextHop(of: invite) == (try SIPURI(parsing: "sip:127.0.0.1:5060;lr")))
    }

    @Test func happyPathTryingRingingAnsweredAndTheAckFollowsTheRouteSet() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 2))
        let agent = Agent()
        let invite = try #require(call.handle(.start).sent.first)
        #expect(call.handle(.response(agent.reply(100, to: invite))).isEmpty)
        #expect(call.state == .proceeding && call.dialog == nil)
        let ringing = agent.reply(180, to: invite)
        #expect(call.handle(.response(ringing)) == [.ringing(ringing, earlySDP: nil)])
        #expect(call.dialog?.state == .early && call.dialog?.id.remoteTag == "agent-tag-1")

        let ok = agent.reply(200, to: invite, body: CallFixture.answer)
        let actions = call.handle(.response(ok))
        #expect(actions.count == 2 && actions.last == .answered(remoteSDP: CallFixture.answer))
        let ack = try #require(actions.acks.first)
        #expect(call.state == .confirmed)
        #expect(call.dialogID == SIPDialogID(callID: call.callID, localTag: call.localTag, remoteTag: "agent-tag-1"))
        // §13.2.2.4: CSeq number of the INVITE, method ACK; a new branch (it is not in the transaction).
        #expect(ack.headers["CSeq"] == "1 ACK")
        #expect(ack.topVia?.branch != invite.topVia?.branch && ack.topVia?.hasRFC3261Branch == true && ack.topVia?.rport == .requested)
        // §12.2.1.1 with loose routes: Request-URI = remote target, Route = Record-Route reversed.
        #expect(ack.requestLine == "ACK sip:agent-7@10.0.0.7:5062 SIP/2.0")
        #expect(ack.headers.fieldValues("Route") == ["<sip:127.0.0.1:5060;lr;ftag=x1>", "<sip:10.1.1.1;lr>"])
        #expect(SIPDialog.nextHop(of: ack).hostPort == "127.0.0.1:5060")
        #expect(ack.headers["From"] == "\"Kiosk 0412\" <sip:kiosk-0412@cc.example.org>;tag=\(call.localTag)")
        #expect(ack.headers["To"] == "<sip:support@cc.example.org>;tag=agent-tag-1")
        #expect(ack.callID == call.callID && ack.maxForwards == 70 && ack.body.isEmpty)
        #expect(call.dialog?.remoteSequence == nil && call.dialog?.localSequence == 1)
    }

    @Test func earlyMediaAndQueueProgressAreSurfaced() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 3))
        let agent = Agent()
        let invite = try #require(call.handle(.start).sent.first)
        let queued = agent.reply(182, to: invite, reason: "Queued, position 3")
        #expect(call.handle(.response(queued)) == [.progress(queued)])
        let early = agent.reply(183, to: invite, body: CallFixture.answer)
        #expect(call.handle(.response(early)) == [.ringing(early, earlySDP: CallFixture.answer)])
    }

    @Test func aProxyChallengeIsAnsweredOnceAndTheAckCarriesTheCredentials() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 4))
        let agent = Agent()
        let first = try #require(call.handle(.start).sent.first)
        #expect(first.headers["Proxy-Authorization"] == nil)
        let actions = call.handle(.response(agent.challenge(first, nonce: "n1")))
        #expect(actions.count == 1 && call.state == .calling)
        let second = try #require(actions.sent.first)
        let authorization = try #require(second.headers["Proxy-Authorization"])
        #expect(authorization.hasPrefix("Digest username=\"kiosk-0412\", realm=\"cc.example.org\", nonce=\"n1\", uri=\"sip:support@cc.example.org\""))
        #expect(authorization.contains("qop=auth, nc=00000001"))
        #expect(second.headers["CSeq"] == "2 INVITE" && second.topVia?.branch != first.topVia?.branch)
        #expect(second.callID == first.callID && second.from?.tag == call.localTag)
        #expect(second.headers["To"] == "<sip:support@cc.example.org>", "the 407's To tag is not carried over")
        #expect(second.body == CallFixture.offer && second.headers["X-Kiosk-Id"] == "0412")
        let ok = agent.reply(200, to: second, body: CallFixture.answer)
        let answered = call.handle(.response(ok))
        let ack = try #require(answered.acks.first)
        #expect(ack.headers["CSeq"] == "2 ACK" && ack.headers["Proxy-Authorization"] == authorization)
        #expect(answered.last == .answered(remoteSDP: CallFixture.answer))
    }

    @Test func aWrongPasswordEndsTheCallWithoutAThirdInvite() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 5))
        let agent = Agent()
        let first = try #require(call.handle(.start).sent.first)
        let second = try #require(call.handle(.response(agent.challenge(first, nonce: "n1"))).sent.first)
        let actions = call.handle(.response(agent.challenge(second, nonce: "n2")))
        #expect(actions.sent.isEmpty)
        #expect(actions.ended == .failed("the proxy refused the credentials of kiosk-0412 (realm cc.example.org): wrong username or password"))
        #expect(call.isEnded)
    }

    @Test func aChallengeWithoutCredentialsConfiguredEndsTheCall() throws {
        var call = SIPCall(configuration: CallFixture.configuration(credentials: nil), tokens: SIPTokenSource(seed: 6))
        let first = try #require(call.handle(.start).sent.first)
        #expect(call.handle(.response(Agent().challenge(first, nonce: "n1"))).ended
                == .failed("the proxy asks for credentials (407) and none are configured"))
    }

    @Test func busyEndsTheCallAsRejectedAndTheTransactionDoesTheAck() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 7))
        let agent = Agent()
        let invite = try #require(call.handle(.start).sent.first)
        _ = call.handle(.response(agent.reply(180, to: invite)))
        let actions = call.handle(.response(agent.reply(486, to: invite)))
        #expect(actions == [.ended(.rejected(486, "Busy Here"))])
        #expect(call.state == .ended(.rejected(486, "Busy Here")))
        // Late responses change nothing.
        #expect(call.handle(.response(agent.reply(486, to: invite))).isEmpty)
        #expect(call.handle(.hangUp).isEmpty)
    }

    @Test func aTimeoutEndsTheCallAsFailed() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 8))
        let invite = try #require(call.handle(.start).sent.first)
        #expect(call.handle(.transactionFailed(invite, .timedOut)) == [.ended(.failed("no answer from sip:support@cc.example.org (timeout)"))])
        var other = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 9))
        let second = try #require(other.handle(.start).sent.first)
        #expect(other.handle(.transactionFailed(second, .transportFailed("connection refused"))).ended
                == .failed("could not reach sip:support@cc.example.org: connection refused"))
    }

    @Test func cancelBeforeAnyProvisionalWaitsForOneThenSendsCancel() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 10))
        let agent = Agent()
        let invite = try #require(call.handle(.start).sent.first)
        #expect(call.handle(.cancel).isEmpty, "§9.1: no CANCEL before a provisional")
        #expect(call.state == .cancelling)
        let actions = call.handle(.response(agent.reply(100, to: invite)))
        let cancel = try #require(actions.sent.first)
        #expect(actions.contains(.startTimer(.cancelGuard, .seconds(32))))
        #expect(cancel.requestLine == "CANCEL sip:support@cc.example.org SIP/2.0")
        #expect(cancel.topVia?.branch == invite.topVia?.branch && cancel.headers["CSeq"] == "1 CANCEL")
        #expect(cancel.headers["To"] == invite.headers["To"] && cancel.headers["From"] == invite.headers["From"])
        #expect(cancel.headers.fieldValues("Route") == ["<sip:127.0.0.1:5060;lr>"])
        // The CANCEL's own 200 says nothing; the INVITE's 487 ends the call.
        #expect(call.handle(.response(agent.reply(200, to: cancel))).isEmpty)
        #expect(call.handle(.response(agent.reply(180, to: invite))).isEmpty, "no second CANCEL, no ringing")
        #expect(call.handle(.response(agent.reply(487, to: invite))) == [.cancelTimer(.cancelGuard), .ended(.cancelled)])
    }

    @Test func cancelAfterRingingSendsCancelAtOnce() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 11))
        let agent = Agent()
        let invite = try #require(call.handle(.start).sent.first)
        _ = call.handle(.response(agent.reply(180, to: invite)))
        let cancel = try #require(call.handle(.hangUp).sent.first, "hanging up before the answer cancels")
        #expect(cancel.method == .cancel && cancel.topVia?.branch == invite.topVia?.branch)
        #expect(call.handle(.response(agent.reply(487, to: invite))).ended == .cancelled)
    }

    @Test func aCancelThatNeverGetsAFinalResponseEndsAfter64T1() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 12))
        let agent = Agent()
        let invite = try #require(call.handle(.start).sent.first)
        _ = call.handle(.response(agent.reply(180, to: invite)))
        var clock = CallClock()
        clock.apply(call.handle(.cancel))
        let log = clock.run(&call, until: .seconds(60))
        #expect(log.map(\.0) == [.seconds(32)] && log.map(\.1) == [.ended(.cancelled)])
    }

    @Test func a2xxThatCrossesTheCancelIsAckedThenHungUp() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 13))
        let agent = Agent()
        let invite = try #require(call.handle(.start).sent.first)
        _ = call.handle(.response(agent.reply(180, to: invite)))
        let cancel = try #require(call.handle(.cancel).sent.first)
        let actions = call.handle(.response(agent.reply(200, to: invite, body: CallFixture.answer)))
        #expect(actions.answeredCount == 0)
        let ack = try #require(actions.acks.first)
        let bye = try #require(actions.sent.first)
        #expect(ack.headers["CSeq"] == "1 ACK" && ack.requestURI.description == "sip:agent-7@10.0.0.7:5062")
        #expect(bye.requestLine == "BYE sip:agent-7@10.0.0.7:5062 SIP/2.0" && bye.headers["CSeq"] == "2 BYE")
        #expect(bye.headers.fieldValues("Route") == ["<sip:127.0.0.1:5060;lr;ftag=x1>", "<sip:10.1.1.1;lr>"])
        #expect(call.state == .terminating)
        // The CANCEL's 481 (the INVITE was answered) is nothing; the BYE's 200 ends it as cancelled.
        #expect(call.handle(.response(agent.reply(481, to: cancel))).isEmpty)
        #expect(call.handle(.response(agent.reply(200, to: bye))) == [.ended(.cancelled)])
    }

    @Test func weHangUpWithAByeInTheDialog() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 14))
        let agent = Agent()
        let (invite, _, _) = try answeredCall(&call, agent: agent)
        let actions = call.handle(.hangUp)
        let bye = try #require(actions.sent.first)
        #expect(actions.count == 1 && call.state == .terminating)
        #expect(bye.requestLine == "BYE sip:agent-7@10.0.0.7:5062 SIP/2.0")
        // Our tag in From, theirs in To (the UAC's view); CSeq after the INVITE's; the route set.
        #expect(bye.headers["From"] == "\"Kiosk 0412\" <sip:kiosk-0412@cc.example.org>;tag=\(call.localTag)")
        #expect(bye.headers["To"] == "<sip:support@cc.example.org>;tag=agent-tag-1")
        #expect(bye.headers["CSeq"] == "2 BYE" && bye.callID == invite.callID)
        #expect(bye.headers.fieldValues("Route") == ["<sip:127.0.0.1:5060;lr;ftag=x1>", "<sip:10.1.1.1;lr>"])
        #expect(bye.topVia?.branch != invite.topVia?.branch && bye.headers["Contact"] == nil)
        #expect(call.handle(.hangUp).isEmpty, "one BYE")
        // An agent's request meanwhile is too late; its own BYE crossing ours ends the call as ours.
        var late = agent
        #expect(call.handle(.request(late.request(.message, to: call, body: [0x41], contentType: "text/plain"))).responses.map(\.statusCode) == [481])
        #expect(call.handle(.response(agent.reply(200, to: bye))) == [.ended(.localHangUp)])
    }

    @Test func aByeThatTimesOutStillEndsTheCall() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 15))
        _ = try answeredCall(&call, agent: Agent())
        let bye = try #require(call.handle(.hangUp).sent.first)
        #expect(call.handle(.transactionFailed(bye, .timedOut)) == [.ended(.localHangUp)])
    }

    @Test func theAgentHangsUp() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 16))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let bye = agent.request(.bye, to: call)
        #expect(call.matches(bye))
        let actions = call.handle(.request(bye))
        #expect(actions.count == 2 && actions.ended == .remoteHangUp)
        guard case let .respond(ok, to: answered) = actions[0] else { Issue.record("no response"); return }
        #expect(answered == bye && ok.statusCode == 200)
        #expect(ok.headers["To"] == bye.headers["To"] && ok.headers["CSeq"] == "101 BYE")
        #expect(ok.headers.fieldValues("Via") == bye.headers.fieldValues("Via"))
    }

    @Test func retransmitted2xxAreAckedAgainAndAnsweredOnce() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 17))
        let agent = Agent()
        let (_, ok, ack) = try answeredCall(&call, agent: agent)
        for _ in 0..<3 { #expect(call.handle(.response(ok)) == [.sendAck(ack)]) }
    }

    @Test func a2xxFromASecondForkIsAckedAndHungUp() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 18))
        let agent = Agent()
        let (invite, _, _) = try answeredCall(&call, agent: agent)
        var fork = Agent()
        fork.tag = "fork-2"
        fork.contact = "sip:agent-9@10.0.0.9"
        let actions = call.handle(.response(fork.reply(200, to: invite, body: CallFixture.answer)))
        #expect(actions.count == 2 && actions.answeredCount == 0 && call.dialogID?.remoteTag == "agent-tag-1")
        let ack = try #require(actions.acks.first)
        let bye = try #require(actions.sent.first)
        #expect(ack.to?.tag == "fork-2" && ack.requestURI.description == "sip:agent-9@10.0.0.9")
        #expect(bye.to?.tag == "fork-2" && bye.method == .bye)
        // That BYE's answer is not our call's.
        #expect(call.handle(.response(fork.reply(200, to: bye))).isEmpty && call.state == .confirmed)
    }

    @Test func theAgentsReinviteIsAnsweredAndThe2xxRetransmittedUntilTheAck() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 19))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let newOffer = Array("v=0\r\nm=video 30002 RTP/SAVPF 96\r\n".utf8)
        let reinvite = agent.request(.invite, to: call, body: newOffer, contentType: "application/sdp", contact: "sip:agent-7@10.0.0.8:5062")
        #expect(call.handle(.request(reinvite)) == [.remoteOffer(sdp: newOffer)])
        let answerSDP = Array("v=0\r\nm=video 49172 RTP/SAVPF 96\r\na=recvonly\r\n".utf8)
        var clock = CallClock()
        let actions = call.handle(.answerOffer(sdp: answerSDP))
        clock.apply(actions)
        #expect(actions.dropFirst() == [.startTimer(.answerRetransmit, .milliseconds(500)), .startTimer(.answerTimeout, .seconds(32))])
        guard case let .respond(ok, to: answered) = actions[0] else { Issue.record("no 2xx"); return }
        #expect(answered == reinvite && ok.statusCode == 200 && ok.body == answerSDP)
        #expect(ok.headers["Contact"] == "<sip:kiosk-0412@192.0.2.10:5080>" && ok.headers["Content-Type"] == "application/sdp")
        #expect(ok.headers["CSeq"] == "101 INVITE" && ok.to?.tag == call.localTag)
        // Retransmitted at T1, 2T1, 4T1, then every T2 (4 s) until the ACK comes at 10 s.
        let log = clock.run(&call, until: .seconds(10))
        #expect(log.filter { $0.1 == .respond(ok, to: reinvite) }.map(\.0)
                == [.milliseconds(500), .milliseconds(1500), .milliseconds(3500), .milliseconds(7500)])
        var ack = agent.request(.ack, to: call, sequence: 101)
        ack.headers.set("Via", "SIP/2.0/UDP 10.0.0.7:5062;branch=z9hG4bKack101")
        let acked = call.handle(.request(ack))
        #expect(acked == [.cancelTimer(.answerRetransmit), .cancelTimer(.answerTimeout)])
        clock.apply(acked)
        #expect(clock.run(&call, until: .seconds(60)).isEmpty)
        // The re-INVITE's Contact is the new remote target.
        #expect(call.handle(.hangUp).sent.first?.requestURI.description == "sip:agent-7@10.0.0.8:5062")
    }

    @Test func anAnswerNeverAcknowledgedEndsTheCallWithABye() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 20))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let reinvite = agent.request(.invite, to: call, body: CallFixture.answer, contentType: "application/sdp")
        _ = call.handle(.request(reinvite))
        var clock = CallClock()
        clock.apply(call.handle(.answerOffer(sdp: CallFixture.offer)))
        let log = clock.run(&call, until: .seconds(40))
        // 0.5, 1.5, 3.5, 7.5, then every 4 s: 11.5 ... 31.5; at 32 s the BYE.
        #expect(log.filter { if case .respond = $0.1 { true } else { false } }.count == 10)
        let bye = try #require(log.compactMap { if case let .send(r) = $0.1 { r } else { nil } }.first)
        #expect(bye.method == .bye && call.state == .terminating)
        #expect(call.handle(.response(agent.reply(200, to: bye)))
                == [.ended(.failed("the agent's side never acknowledged our answer to its re-INVITE"))])
    }

    @Test func theAgentsReinviteWhileOursIsPendingGets491() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 21))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let ours = try #require(call.handle(.reinvite(offer: CallFixture.offer)).sent.first)
        let theirs = agent.request(.invite, to: call, body: CallFixture.answer, contentType: "application/sdp")
        let actions = call.handle(.request(theirs))
        #expect(actions.responses.map(\.statusCode) == [491] && actions.count == 1)
        #expect(ours.method == .invite)
    }

    @Test func aSecondReinviteBeforeTheFirstIsAnsweredGets500WithRetryAfter() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 22))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        _ = call.handle(.request(agent.request(.invite, to: call, body: CallFixture.answer, contentType: "application/sdp")))
        let second = call.handle(.request(agent.request(.invite, to: call, body: CallFixture.answer, contentType: "application/sdp")))
        #expect(second.responses.first?.statusCode == 500 && second.responses.first?.headers["Retry-After"] != nil)
        // An offerless re-INVITE is not supported.
        var other = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 23))
        var otherAgent = Agent()
        _ = try answeredCall(&other, agent: otherAgent)
        #expect(other.handle(.request(otherAgent.request(.invite, to: other))).responses.map(\.statusCode) == [488])
    }

    @Test func theEngineRejectsTheAgentsOfferAndTheCallStays() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 24))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let reinvite = agent.request(.invite, to: call, body: CallFixture.answer, contentType: "application/sdp")
        _ = call.handle(.request(reinvite))
        #expect(call.handle(.rejectOffer()) == [.respond(SIPResponse(replyingTo: reinvite, statusCode: 488, toTag: call.localTag), to: reinvite)])
        #expect(call.state == .confirmed)
    }

    @Test func theAgentCancelsItsReinvite() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 25))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let reinvite = agent.request(.invite, to: call, body: CallFixture.answer, contentType: "application/sdp")
        _ = call.handle(.request(reinvite))
        var cancel = reinvite
        cancel.method = .cancel
        cancel.body = []
        cancel.headers.set("CSeq", "101 CANCEL")
        cancel.headers.remove("Content-Type")
        let actions = call.handle(.request(cancel))
        #expect(actions.responses.map(\.statusCode) == [200, 487] && actions.last == .remoteOfferWithdrawn)
        #expect(call.handle(.answerOffer(sdp: CallFixture.offer)).isEmpty, "too late to answer")
    }

    @Test func ourReinviteGetsItsAnswerAndIsAcked() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 26))
        let agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let video = Array("v=0\r\nm=video 49172 RTP/SAVPF 96\r\na=sendrecv\r\n".utf8)
        let reinvite = try #require(call.handle(.reinvite(offer: video)).sent.first)
        #expect(reinvite.requestLine == "INVITE sip:agent-7@10.0.0.7:5062 SIP/2.0")
        #expect(reinvite.headers["CSeq"] == "2 INVITE" && reinvite.to?.tag == "agent-tag-1" && reinvite.from?.tag == call.localTag)
        #expect(reinvite.headers["Contact"] == "<sip:kiosk-0412@192.0.2.10:5080>" && reinvite.body == video)
        #expect(reinvite.headers["Content-Type"] == "application/sdp" && reinvite.headers["X-Kiosk-Id"] == nil)
        #expect(reinvite.headers.fieldValues("Route") == ["<sip:127.0.0.1:5060;lr;ftag=x1>", "<sip:10.1.1.1;lr>"])
        #expect(call.handle(.response(agent.reply(100, to: reinvite))).isEmpty)
        let ok = agent.reply(200, to: reinvite, body: CallFixture.answer)
        let actions = call.handle(.response(ok))
        let ack = try #require(actions.acks.first)
        #expect(ack.headers["CSeq"] == "2 ACK" && ack.requestURI.description == "sip:agent-7@10.0.0.7:5062")
        #expect(actions.last == .remoteAnswer(sdp: CallFixture.answer))
        #expect(call.handle(.response(ok)) == [.sendAck(ack)], "a retransmitted 2xx is ACKed again")
    }

    @Test func ourReinviteRetriesAfter491AndSurfacesOtherFailures() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 27))
        let agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let first = try #require(call.handle(.reinvite(offer: CallFixture.offer)).sent.first)
        let glare = call.handle(.response(agent.reply(491, to: first)))
        guard case let .startTimer(.reinviteRetry, wait)? = glare.first, glare.count == 1 else {
            Issue.record("no retry timer: \(glare)")
            return
        }
        #expect(wait >= .milliseconds(2100) && wait <= .seconds(4))
        #expect(call.handle(.reinvite(offer: CallFixture.offer)).isEmpty, "waits for the back-off")
        let second = try #require(call.handle(.timer(.reinviteRetry)).sent.first)
        #expect(second.headers["CSeq"] == "3 INVITE" && second.body == CallFixture.offer)
        #expect(call.handle(.response(agent.reply(488, to: second))) == [.reinviteFailed(statusCode: 488, reason: "Not Acceptable Here")])
        #expect(call.state == .confirmed)
        // 481: the agent's side forgot the call.
        let third = try #require(call.handle(.reinvite(offer: CallFixture.offer)).sent.first)
        #expect(call.handle(.response(agent.reply(481, to: third))).ended
                == .failed("the agent's side no longer knows the call (481 to re-INVITE)"))
    }

    @Test func messagesBothWays() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 28))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let message = try #require(call.handle(.sendMessage("Grüezi, ich brauche Hilfe", id: 7)).sent.first)
        #expect(message.requestLine == "MESSAGE sip:agent-7@10.0.0.7:5062 SIP/2.0")
        #expect(message.headers["Content-Type"] == "text/plain;charset=UTF-8")
        #expect(message.body == Array("Grüezi, ich brauche Hilfe".utf8) && message.headers["CSeq"] == "2 MESSAGE")
        #expect(message.to?.tag == "agent-tag-1" && message.headers.fieldValues("Route").count == 2)
        #expect(call.handle(.response(agent.reply(202, to: message))) == [.messageDelivered(id: 7, ok: true)])
        let failing = try #require(call.handle(.sendMessage("?", id: 8)).sent.first)
        #expect(call.handle(.transactionFailed(failing, .timedOut)) == [.messageDelivered(id: 8, ok: false)])
        #expect(call.state == .confirmed)

        let incoming = agent.request(.message, to: call, body: Array("https://cc.example.org/doc/42".utf8), contentType: "text/plain")
        let actions = call.handle(.request(incoming))
        #expect(actions.responses.map(\.statusCode) == [200])
        #expect(actions.last == .messageReceived(body: Array("https://cc.example.org/doc/42".utf8), contentType: "text/plain",
                                                  from: try SIPNameAddress(parsing: "<sip:support@cc.example.org>;tag=\(agent.tag)")))

        let info = try #require(call.handle(.sendInfo(Array("Signal=5\r\n".utf8), contentType: "application/dtmf-relay", id: 1)).sent.first)
        #expect(info.method == .info && info.headers["Content-Type"] == "application/dtmf-relay" && info.headers["CSeq"] == "4 INFO")
        let pli = agent.request(.info, to: call, body: [0x3C], contentType: "application/media_control+xml")
        #expect(call.handle(.request(pli)).last == .infoReceived(body: [0x3C], contentType: "application/media_control+xml"))
    }

    @Test func aMessageChallengedByTheProxyIsSentAgainWithCredentials() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 29))
        let agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let message = try #require(call.handle(.sendMessage("hallo", id: 3)).sent.first)
        var challenge = agent.challenge(message, nonce: "m1")
        challenge.headers.set("To", message.headers["To"]!)
        let again = try #require(call.handle(.response(challenge)).sent.first)
        #expect(again.headers["CSeq"] == "3 MESSAGE" && again.headers["Proxy-Authorization"]?.contains("nonce=\"m1\"") == true)
        #expect(again.headers["Proxy-Authorization"]?.contains("uri=\"sip:agent-7@10.0.0.7:5062\"") == true)
        #expect(call.handle(.response(agent.reply(200, to: again))) == [.messageDelivered(id: 3, ok: true)])
    }

    @Test func anInDialogRequestWithAnOldCSeqGets500() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 30))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let newer = agent.request(.message, to: call, body: [0x61], contentType: "text/plain", sequence: 105)
        #expect(call.handle(.request(newer)).responses.map(\.statusCode) == [200])
        #expect(call.dialog?.remoteSequence == 105)
        let older = agent.request(.info, to: call, body: [0x62], contentType: "text/plain", sequence: 104)
        let actions = call.handle(.request(older))
        #expect(actions.count == 1 && actions.responses.map(\.statusCode) == [500])
        #expect(call.dialog?.remoteSequence == 105 && call.state == .confirmed)
    }

    @Test func optionsUnknownMethodsAndStrangersInTheDialog() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 31))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let options = call.handle(.request(agent.request(.options, to: call))).responses.first
        #expect(options?.statusCode == 200 && options?.headers["Allow"] == "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO")
        #expect(options?.headers["Accept"] == "application/sdp, text/plain")
        let update = call.handle(.request(agent.request(.update, to: call))).responses.first
        #expect(update?.statusCode == 405 && update?.headers["Allow"] != nil)
        var stranger = Agent()
        stranger.tag = "someone-else"
        let foreign = stranger.request(.bye, to: call)
        #expect(!call.matches(foreign))
        #expect(call.handle(.request(foreign)).responses.map(\.statusCode) == [481] && call.state == .confirmed)
    }

    @Test func nobodyAnsweringWithinTheRingTimeoutCancelsTheCall() throws {
        var call = SIPCall(configuration: CallFixture.configuration(ringTimeout: .seconds(90)), tokens: SIPTokenSource(seed: 32))
        let agent = Agent()
        var clock = CallClock()
        let start = call.handle(.start)
        clock.apply(start)
        let invite = try #require(start.sent.first)
        #expect(start.contains(.startTimer(.ringTimeout, .seconds(90))))
        _ = call.handle(.response(agent.reply(182, to: invite, reason: "Queued")))
        let log = clock.run(&call, until: .seconds(91))
        let cancel = try #require(log.compactMap { if case let .send(r) = $0.1 { r } else { nil } }.first)
        #expect(cancel.method == .cancel && log.first?.0 == .seconds(90))
        #expect(call.handle(.response(agent.reply(487, to: invite))).ended == .noAnswer)
    }

    @Test func theAgentHangingUpDuringItsReinviteGets487ForTheReinvite() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 33))
        var agent = Agent()
        _ = try answeredCall(&call, agent: agent)
        let reinvite = agent.request(.invite, to: call, body: CallFixture.answer, contentType: "application/sdp")
        _ = call.handle(.request(reinvite))
        let actions = call.handle(.request(agent.request(.bye, to: call)))
        #expect(actions.responses.map(\.statusCode) == [200, 487] && actions.ended == .remoteHangUp)
    }

    @Test func aByeInTheEarlyDialogEndsTheCallAndALate2xxIsAckedAndHungUp() throws {
        var call = SIPCall(configuration: CallFixture.configuration(), tokens: SIPTokenSource(seed: 34))
        var agent = Agent()
        let invite = try #require(call.handle(.start).sent.first)
        _ = call.handle(.response(agent.reply(183, to: invite, body: CallFixture.answer)))
        let bye = agent.request(.bye, to: call)
        #expect(call.matches(bye))
        let actions = call.handle(.request(bye))
        #expect(actions.responses.map(\.statusCode) == [200] && actions.sent.map(\.method) == [.cancel])
        #expect(actions.ended == .remoteHangUp)
        let late = call.handle(.response(agent.reply(200, to: invite, body: CallFixture.answer)))
        #expect(late.acks.count == 1 && late.sent.map(\.method) == [.bye] && late.answeredCount == 0)
        #expect(call.state == .ended(.remoteHangUp))
    }
}
