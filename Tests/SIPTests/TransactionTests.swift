import SIP
import Testing

/// Runs a transaction's timers on a virtual clock: the actions it returns arm and cancel timers, and
/// `advance` fires them in time order, feeding each firing back into the transaction.
struct VirtualTimers {
    var now: Duration = .zero
    var armed: [SIPTimer: Duration] = [:]
    var log: [(Duration, SIPTimer)] = []

    mutating func apply(_ actions: [SIPTransactionAction]) {
        for action in actions {
            switch action {
            case let .startTimer(timer, after): armed[timer] = now + after
            case let .cancelTimer(timer): armed[timer] = nil
            default: break
            }
        }
    }

    /// The next timer due at or before `limit`, removed and returned with the clock moved to it.
    mutating func next(until limit: Duration) -> SIPTimer? {
        guard let (timer, due) = armed.min(by: { $0.value < $1.value }), due <= limit else { return nil }
        armed[timer] = nil
        now = due
        log.append((due, timer))
        return timer
    }
}

func sends(_ actions: [SIPTransactionAction]) -> [SIPMessage] {
    actions.compactMap { if case let .send(m) = $0 { return m } else { return nil } }
}

func request(_ method: SIPMethod, branch: String = "z9hG4bK-1") -> SIPRequest {
    var headers = SIPHeaders()
    headers.add("Via", "SIP/2.0/UDP 127.0.0.1:5080;branch=\(branch);rport")
    headers.add("Max-Forwards", "70")
    headers.add("From", "<sip:kiosk@example.org>;tag=k1")
    headers.add("To", "<sip:agent@example.org>")
    headers.add("Call-ID", "call-1@127.0.0.1")
    headers.add("CSeq", "1 \(method.rawValue)")
    headers.add("Contact", "<sip:kiosk@127.0.0.1:5080>")
    return SIPRequest(method: method, requestURI: try! SIPURI(parsing: "sip:agent@example.org"), headers: headers)
}

func response(_ code: Int, to request: SIPRequest, toTag: String? = "a1") -> SIPResponse {
    SIPResponse(replyingTo: request, statusCode: code, toTag: code == 100 ? nil : toTag)
}

struct ClientTransactionTests {
    @Test func inviteRetransmitsOnTimerADoublingUntilTimerB() {
        let invite = request(.invite)
        var tx = SIPClientTransaction(request: invite, reliable: false)
        var timers = VirtualTimers()
        var sent = 0
        var result: [SIPTransactionAction] = []
        var actions = tx.start()
        while true {
            sent += sends(actions).count
            timers.apply(actions)
            result += actions
            guard let timer = timers.next(until: .seconds(100)) else { break }
            actions = tx.handle(.timer(timer))
        }
        // A fires at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; B at 32 s ends it: the INVITE went out 7 times.
        #expect(timers.log.map(\.1) == [.a, .a, .a, .a, .a, .a, .b])
        #expect(timers.log.map(\.0) == [.milliseconds(500), .milliseconds(1500), .milliseconds(3500), .milliseconds(7500),
                                        .milliseconds(15500), .milliseconds(31500), .seconds(32)])
        #expect(sent == 7)
        #expect(result.contains(.timedOut) && tx.state == .terminated)
    }

    @Test func aProvisionalStopsRetransmissionAndA2xxIsAcceptedThenEveryRetransmissionDelivered() {
        let invite = request(.invite)
        var tx = SIPClientTransaction(request: invite, reliable: false)
        _ = tx.start()
        let ringing = response(180, to: invite)
        #expect(tx.handle(.response(ringing)) == [.cancelTimer(.a), .cancelTimer(.b), .deliverResponse(ringing)])
        #expect(tx.handle(.timer(.b)).isEmpty)  // waiting in a queue is not a timeout
        #expect(tx.state == .proceeding)
        #expect(tx.handle(.timer(.a)).isEmpty)  // a late Timer A in Proceeding sends nothing
        let ok = response(200, to: invite)
        #expect(tx.handle(.response(ok)) == [.cancelTimer(.a), .cancelTimer(.b), .deliverResponse(ok), .startTimer(.m, .seconds(32))])
        #expect(tx.state == .accepted)
        // RFC 6026: a retransmitted 2xx goes to the user, who ACKs it again.
        #expect(tx.handle(.response(ok)) == [.deliverResponse(ok)])
        #expect(tx.handle(.timer(.m)) == [.terminated])
    }

    @Test func aFailureIsAckedByTheTransactionAndItsRetransmissionsAbsorbed() throws {
        let invite = request(.invite)
        var tx = SIPClientTransaction(request: invite, reliable: false)
        _ = tx.start()
        let busy = response(486, to: invite)
        let actions = tx.handle(.response(busy))
        let ack = try #require(sends(actions).first?.request)
        #expect(ack.method == .ack && ack.requestURI == invite.requestURI)
        #expect(ack.topVia?.branch == "z9hG4bK-1" && ack.cseq == SIPCSeq(sequenceNumber: 1, method: .ack))
        #expect(ack.to?.tag == "a1" && ack.callID == invite.callID)
        #expect(actions.contains(.deliverResponse(busy)) && actions.contains(.startTimer(.d, .seconds(32))))
        // The retransmitted 486 is ACKed again and not delivered twice.
        #expect(tx.handle(.response(busy)) == [.send(.request(ack))])
        #expect(tx.handle(.timer(.d)) == [.terminated])
    }

    @Test func overTCPNothingIsRetransmittedAndCompletedEndsAtOnce() {
        let invite = request(.invite)
        var tx = SIPClientTransaction(request: invite, reliable: true)
        #expect(tx.start() == [.send(.request(invite)), .startTimer(.b, .seconds(32))])
        #expect(tx.handle(.response(response(404, to: invite))).contains(.startTimer(.d, .zero)))
        var register = SIPClientTransaction(request: request(.register), reliable: true)
        #expect(register.start() == [.send(.request(request(.register))), .startTimer(.f, .seconds(32))])
        #expect(register.handle(.response(response(200, to: request(.register)))).contains(.startTimer(.k, .zero)))
    }

    @Test func nonInviteRetransmitsCappedAtT2AndTimesOutOnF() {
        var tx = SIPClientTransaction(request: request(.register), reliable: false)
        var timers = VirtualTimers()
        var actions = tx.start()
        var timedOut = false
        while true {
            timers.apply(actions)
            if actions.contains(.timedOut) { timedOut = true }
            guard let timer = timers.next(until: .seconds(100)) else { break }
            actions = tx.handle(.timer(timer))
        }
        let eTimes = timers.log.filter { $0.1 == .e }.map(\.0)
        // E: 0.5, 1.5, 3.5, 7.5, then every 4 s (T2) until F at 32 s.
        #expect(Array(eTimes.prefix(6)) == [.milliseconds(500), .milliseconds(1500), .milliseconds(3500), .milliseconds(7500),
                                            .milliseconds(11500), .milliseconds(15500)])
        #expect(timers.log.last?.1 == .f && timers.log.last?.0 == .seconds(32))
        #expect(timedOut && tx.state == .terminated)
    }

    @Test func nonInviteFinalResponseCompletesAndLingersForT4() {
        let register = request(.register)
        var tx = SIPClientTransaction(request: register, reliable: false)
        _ = tx.start()
        let trying = response(100, to: register)
        #expect(tx.handle(.response(trying)) == [.deliverResponse(trying)])
        #expect(tx.handle(.timer(.e)) == [.send(.request(register)), .startTimer(.e, .seconds(4))])
        let challenge = response(401, to: register)
        #expect(tx.handle(.response(challenge)) == [.cancelTimer(.e), .cancelTimer(.f), .deliverResponse(challenge), .startTimer(.k, .seconds(5))])
        #expect(tx.handle(.response(challenge)).isEmpty)  // absorbed
        #expect(tx.handle(.timer(.k)) == [.terminated])
    }

    @Test func aTransportErrorFailsTheTransaction() {
        var tx = SIPClientTransaction(request: request(.options), reliable: false)
        _ = tx.start()
        #expect(tx.handle(.transportError) == [.cancelTimer(.e), .cancelTimer(.f), .transportFailed, .terminated])
    }

    @Test func responsesMatchByBranchAndMethod() {
        let invite = request(.invite, branch: "z9hG4bK-x")
        let tx = SIPClientTransaction(request: invite, reliable: false)
        #expect(SIPTransactionKey(response: response(180, to: invite)) == tx.key)
        #expect(SIPTransactionKey(response: response(200, to: request(.cancel, branch: "z9hG4bK-x"))) != tx.key)
    }
}

struct ServerTransactionTests {
    @Test func inviteAnswersTryingAtOnceAndAbsorbsRetransmissions() throws {
        let invite = request(.invite)
        var tx = SIPServerTransaction(request: invite, reliable: false)
        let trying = try #require(sends(tx.start()).first?.response)
        #expect(trying.statusCode == 100 && trying.topVia?.branch == "z9hG4bK-1")
        #expect(tx.handle(.request(invite)) == [.send(.response(trying))])
        let ringing = response(180, to: invite)
        #expect(tx.handle(.respond(ringing)) == [.send(.response(ringing))])
        #expect(tx.handle(.request(invite)) == [.send(.response(ringing))])
    }

    @Test func aFailureIsRetransmittedUntilTheACKThenConfirmed() {
        let invite = request(.invite)
        var tx = SIPServerTransaction(request: invite, reliable: false)
        _ = tx.start()
        let decline = response(603, to: invite)
        var timers = VirtualTimers()
        var actions = tx.handle(.respond(decline))
        timers.apply(actions)
        var sent = sends(actions).count
        // G fires at 0.5, 1.5, 3.5 s; the ACK arrives at 5 s.
        while let timer = timers.next(until: .seconds(5)) {
            actions = tx.handle(.timer(timer))
            sent += sends(actions).count
            timers.apply(actions)
        }
        #expect(sent == 4)
        var ack = request(.ack)
        ack.headers.set("To", "<sip:agent@example.org>;tag=a1")
        #expect(tx.handle(.request(ack)) == [.cancelTimer(.g), .cancelTimer(.h), .startTimer(.i, .seconds(5))])
        #expect(tx.state == .confirmed)
        #expect(tx.handle(.timer(.i)) == [.terminated])
    }

    @Test func withoutAnACKTimerHEndsIt() {
        var tx = SIPServerTransaction(request: request(.invite), reliable: true)
        _ = tx.start()
        #expect(tx.handle(.respond(response(486, to: request(.invite)))).contains(.startTimer(.h, .seconds(32))))
        #expect(tx.handle(.timer(.h)) == [.cancelTimer(.g), .ackTimedOut, .terminated])
    }

    @Test func a2xxIsAcceptedAndTheUsersRetransmissionsPassThrough() {
        var tx = SIPServerTransaction(request: request(.invite), reliable: false)
        _ = tx.start()
        let ok = response(200, to: request(.invite))
        #expect(tx.handle(.respond(ok)) == [.send(.response(ok)), .startTimer(.l, .seconds(32))])
        #expect(tx.handle(.respond(ok)) == [.send(.response(ok))])
        #expect(tx.handle(.timer(.l)) == [.terminated])
    }

    @Test func nonInviteRepeatsItsFinalResponseUntilJ() {
        let message = request(.message)
        var tx = SIPServerTransaction(request: message, reliable: false)
        #expect(tx.start().isEmpty)
        #expect(tx.handle(.request(message)).isEmpty)  // nothing to repeat yet
        let ok = response(200, to: message)
        #expect(tx.handle(.respond(ok)) == [.send(.response(ok)), .startTimer(.j, .seconds(32))])
        #expect(tx.handle(.request(message)) == [.send(.response(ok))])
        #expect(tx.handle(.timer(.j)) == [.terminated])
    }

    @Test func anACKMatchesItsInvitesTransaction() {
        let invite = request(.invite)
        #expect(SIPTransactionKey(serverRequest: request(.ack)) == SIPServerTransaction(request: invite, reliable: false).key)
        #expect(SIPTransactionKey(serverRequest: request(.cancel)) != SIPServerTransaction(request: invite, reliable: false).key)
    }
}
