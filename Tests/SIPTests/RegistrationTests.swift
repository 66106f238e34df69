import SIP
import Testing

struct RegistrationTests {
    static let configuration = SIPRegistration.Configuration(
        registrar: try! SIPURI(parsing: "sip:127.0.0.1:5060"), addressOfRecord: try! SIPURI(parsing: "sip:kiosk@127.0.0.1"),
        contact: try! SIPURI(parsing: "sip:kiosk@127.0.0.1:5080"), viaSentBy: "127.0.0.1:5080",
        credentials: DigestCredentials(username: "kiosk", password: "kioskpass"), expires: 60)

    func sent(_ actions: [SIPRegistration.Action]) -> [SIPRequest] {
        actions.compactMap { if case let .send(r) = $0 { return r } else { return nil } }
    }

    func challenge(_ request: SIPRequest, nonce: String = "n1", stale: Bool = false) -> SIPResponse {
        var r = SIPResponse(replyingTo: request, statusCode: 401, toTag: "r1")
        r.headers.add("WWW-Authenticate", "Digest realm=\"127.0.0.1\", nonce=\"\(nonce)\", qop=\"auth\"\(stale ? ", stale=true" : "")")
        return r
    }

    func ok(_ request: SIPRequest, expires: UInt32) -> SIPResponse {
        var r = SIPResponse(replyingTo: request, statusCode: 200, toTag: "r1")
        r.headers.add("Contact", "<sip:kiosk@127.0.0.1:5080>;expires=\(expires)")
        return r
    }

    @Test func registersThroughAChallengeAndRefreshesBeforeExpiry() throws {
        var reg = SIPRegistration(configuration: Self.configuration, tokens: SIPTokenSource(seed: 1))
        let first = try #require(sent(reg.handle(.start)).first)
        #expect(first.method == .register && first.headers["Expires"] == "60" && first.headers["Authorization"] == nil)
        #expect(first.topVia?.hasRFC3261Branch == true && first.topVia?.rport != nil)
        let second = try #require(sent(reg.handle(.response(challenge(first)))).first)
        let authorization = try #require(second.headers["Authorization"])
        #expect(authorization.contains("username=\"kiosk\"") && authorization.contains("nonce=\"n1\"")
                && authorization.contains("uri=\"sip:127.0.0.1:5060\"") && authorization.contains("nc=00000001"))
        // Same Call-ID and From tag, next CSeq, new branch (a new transaction).
        #expect(second.callID == first.callID && second.from?.tag == first.from?.tag)
        #expect(second.cseq?.sequenceNumber == 2 && second.topVia?.branch != first.topVia?.branch)
        let actions = reg.handle(.response(ok(second, expires: 60)))
        #expect(reg.state == .registered(expires: 60))
        #expect(actions.contains(.startTimer(.refresh, .seconds(48))))
        // The refresh reuses the challenge: the registrar need not challenge again.
        let refresh = try #require(sent(reg.handle(.timer(.refresh))).first)
        #expect(refresh.cseq?.sequenceNumber == 3 && refresh.headers["Authorization"]?.contains("nc=00000002") == true)
    }

    @Test func aWrongPasswordIsReportedOnceAndRetriedOnlyMuchLater() throws {
        var reg = SIPRegistration(configuration: Self.configuration, tokens: SIPTokenSource(seed: 2))
        let first = try #require(sent(reg.handle(.start)).first)
        let second = try #require(sent(reg.handle(.response(challenge(first)))).first)
        let actions = reg.handle(.response(challenge(second, nonce: "n2")))
        #expect(sent(actions).isEmpty, "no third REGISTER straight away")
        guard case let .failed(.authenticationFailed(why)) = reg.state else {
            Issue.record("state \(reg.state)")
            return
        }
        #expect(why == "the registrar refused the credentials of kiosk (realm 127.0.0.1): wrong username or password")
        #expect(actions.contains(.startTimer(.retry, .seconds(600))))
        // Network changes do not bring the same wrong password back sooner.
        #expect(reg.handle(.networkRestored).isEmpty)
    }

    @Test func aStaleNonceIsAnsweredAgain() throws {
        var reg = SIPRegistration(configuration: Self.configuration, tokens: SIPTokenSource(seed: 3))
        let first = try #require(sent(reg.handle(.start)).first)
        let second = try #require(sent(reg.handle(.response(challenge(first)))).first)
        let third = try #require(sent(reg.handle(.response(challenge(second, nonce: "n3", stale: true)))).first)
        #expect(third.headers["Authorization"]?.contains("nonce=\"n3\"") == true)
    }

    @Test func failuresBackOffDoublingWithJitterUpToTheMaximum() throws {
        var reg = SIPRegistration(configuration: Self.configuration, tokens: SIPTokenSource(seed: 4))
        var delays: [Double] = []
        _ = reg.handle(.start)
        for _ in 0..<10 {
            let actions = reg.handle(.transactionFailed("timeout"))
            for case let .startTimer(.retry, d) in actions { delays.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
            _ = reg.handle(.timer(.retry))
        }
        let nominal: [Double] = [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
        #expect(delays.count == 10)
        for (d, n) in zip(delays, nominal) { #expect(d >= n * 0.8 && d <= n * 1.2, "\(d) for \(n)") }
    }

    @Test func intervalTooBriefTakesTheRegistrarsMinimum() throws {
        var reg = SIPRegistration(configuration: Self.configuration, tokens: SIPTokenSource(seed: 5))
        let first = try #require(sent(reg.handle(.start)).first)
        var tooBrief = SIPResponse(replyingTo: first, statusCode: 423, toTag: "r1")
        tooBrief.headers.add("Min-Expires", "120")
        #expect(sent(reg.handle(.response(tooBrief))).first?.headers["Expires"] == "120")
    }

    @Test func aLostNetworkReRegistersWhenItComesBackAndStopUnregisters() throws {
        var reg = SIPRegistration(configuration: Self.configuration, tokens: SIPTokenSource(seed: 6))
        let first = try #require(sent(reg.handle(.start)).first)
        _ = reg.handle(.response(ok(first, expires: 60)))
        #expect(reg.handle(.networkLost).contains(.startTimer(.retry, .seconds(2))))
        let again = try #require(sent(reg.handle(.networkRestored)).first)
        _ = reg.handle(.response(ok(again, expires: 60)))
        let bye = try #require(sent(reg.handle(.stop)).first)
        #expect(bye.headers["Expires"] == "0" && reg.state == .unregistering)
        #expect(reg.handle(.response(ok(bye, expires: 0))) == [.stateChanged(.stopped)])
        #expect(reg.handle(.start).isEmpty)
    }

    @Test func theRegistrarAnsweringAgainSendsANewRegisterAndTheOldOnesOutcomeIsIgnored() throws {
        var reg = SIPRegistration(configuration: Self.configuration, tokens: SIPTokenSource(seed: 4))
        let first = try #require(sent(reg.handle(.start)).first)
        _ = reg.handle(.response(ok(first, expires: 60)))
        _ = reg.handle(.networkLost)
        let retry = try #require(sent(reg.handle(.timer(.retry))).first)
        #expect(reg.state == .registering)
        // The keep-alive hears the registrar again while that REGISTER waits for a retransmission.
        let fresh = try #require(sent(reg.handle(.networkRestored)).first)
        #expect(fresh.cseq!.sequenceNumber == retry.cseq!.sequenceNumber + 1)
        #expect(reg.handle(.transactionFailed("timeout", sequence: retry.cseq!.sequenceNumber)).isEmpty)
        #expect(reg.handle(.response(ok(retry, expires: 60))).isEmpty && reg.state == .registering)
        _ = reg.handle(.response(ok(fresh, expires: 60)))
        #expect(reg.state == .registered(expires: 60))
    }
}
