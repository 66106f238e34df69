import Foundation
import SIP
import SIPTransport
import SIPUserAgent
import Testing

/// The kiosk's user agent against Kamailio as registrar and proxy with digest auth.
@Suite(.serialized)
struct KamailioRegistrationTests {
    @Test(arguments: [SIPTransportKind.udp, .tcp])
    func registersThroughTheChallengeAndIsReachableThroughTheProxy(over transport: SIPTransportKind) async throws {
        let dir = try TestEnvironment.temporaryDirectory("kamailio-reg")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let kamailio = try KamailioPeer(in: dir)
        try kamailio.start()
        defer { kamailio.stop() }
        let logs = LogCollector()
        let (kiosk, runner) = try await SIPTestSupport.startRegistration(with: kamailio, password: "kioskpass", transport: transport, logs: logs)
        let state = await SIPTestSupport.waitFor(runner, seconds: 5) { if case .registered = $0 { true } else { false } }
        #expect(kamailio.log.contains("REQ REGISTER sip:127.0.0.1:\(kamailio.port)"), "\(kamailio.log.suffix(2000))")
        #expect(state == .registered(expires: 60), "state \(String(describing: state)); log \(logs.all)")
        // 401 first, then 200: Kamailio challenged one REGISTER and accepted the next.
        #expect(kamailio.log.components(separatedBy: "AUTH challenge REGISTER").count - 1 == 1, "\(kamailio.log.suffix(2000))")
        #expect(kamailio.log.components(separatedBy: "REQ REGISTER").count - 1 == 2, "\(kamailio.log.suffix(2000))")

        // The binding is real: the agent's MESSAGE to sip:kiosk@127.0.0.1 is routed to the kiosk.
        let agent = try await SIPTestSupport.userAgent(logger: LogCollector())
        let inbox = SIPTestSupport.answerMessages(at: kiosk)
        let status = try await SIPTestSupport.sendMessage("Guten Tag, 你好", from: agent, user: "agent", password: "agentpass",
                                                          to: "sip:kiosk@127.0.0.1", proxy: try SIPTestSupport.peer(kamailio.port), seed: 9)
        #expect(status == 200)
        #expect(inbox.received == ["Guten Tag, 你好"])

        await runner.stop()
        #expect(kamailio.log.contains("REQ REGISTER"))
        #expect(logs.all.contains { $0.contains("unregistered sip:kiosk@127.0.0.1") }, "\(logs.all)")
        await agent.stop()
        await kiosk.stop()
    }

    @Test func aWrongPasswordIsOneClearErrorAndNoRetryStorm() async throws {
        let dir = try TestEnvironment.temporaryDirectory("kamailio-badpw")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let kamailio = try KamailioPeer(in: dir)
        try kamailio.start()
        defer { kamailio.stop() }
        let logs = LogCollector()
        let (kiosk, runner) = try await SIPTestSupport.startRegistration(with: kamailio, password: "wrong", logs: logs)
        let state = await SIPTestSupport.waitFor(runner, seconds: 5) { if case .failed = $0 { true } else { false } }
        #expect(state == .failed(.authenticationFailed(
            "the registrar refused the credentials of kiosk (realm 127.0.0.1): wrong username or password")))
        // Three seconds later still only the two REGISTERs of the first attempt: no storm.
        try await Task.sleep(for: .seconds(3))
        let registers = kamailio.log.components(separatedBy: "REQ REGISTER").count - 1
        #expect(registers == 2, "Kamailio saw \(registers) REGISTERs")
        let errors = logs.lines(level: .error)
        #expect(errors == ["error sip: not registered: the registrar refused the credentials of kiosk (realm 127.0.0.1): wrong username or password"],
                "\(logs.all)")
        await runner.stop()
        await kiosk.stop()
    }

    @Test func reRegistersAfterKamailioRestarts() async throws {
        let dir = try TestEnvironment.temporaryDirectory("kamailio-restart")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let kamailio = try KamailioPeer(in: dir)
        try kamailio.start()
        defer { kamailio.stop() }
        let logs = LogCollector()
        // A short lifetime (Kamailio's minimum here) so the refresh comes within the test.
        let (kiosk, runner) = try await SIPTestSupport.startRegistration(with: kamailio, password: "kioskpass", expires: 10, logs: logs)
        #expect(await SIPTestSupport.waitFor(runner, seconds: 5) { if case .registered = $0 { true } else { false } } != nil)
        let agent = try await SIPTestSupport.userAgent(logger: LogCollector())
        let inbox = SIPTestSupport.answerMessages(at: kiosk)
        let proxy = try SIPTestSupport.peer(kamailio.port)
        func send(_ text: String) async throws -> Int {
            try await SIPTestSupport.sendMessage(text, from: agent, user: "agent", password: "agentpass", to: "sip:kiosk@127.0.0.1",
                                                 proxy: proxy, seed: UInt64.random(in: 1...UInt64.max))
        }
        #expect(try await send("before") == 200)

        // Right after a refresh, the registrar crashes and comes back (SIGKILL: nothing is saved).
        var states = runner.states.makeAsyncIterator()
        while let state = await states.next(), state != .registering {}
        while let state = await states.next() { if case .registered = state { break } }
        try kamailio.restart(hard: true)
        let restartedAt = ContinuousClock.now
        // Kamailio keeps locations in memory: it has forgotten the kiosk until the kiosk registers again.
        #expect(try await send("lost") == 404, "right after the restart Kamailio should not know the kiosk")
        var reached = false
        while ContinuousClock.now - restartedAt < .seconds(15) && !reached {
            reached = try await send("again") == 200
            if !reached { try await Task.sleep(for: .milliseconds(250)) }
        }
        let after = ContinuousClock.now - restartedAt
        print("reachable again \(after) after Kamailio restarted")
        #expect(reached, "the kiosk was not reachable within 15 s of the restart; log \(logs.all)")
        // The refresh comes 8 s after the last registration (80 % of 10 s): so must the kiosk, at the latest.
        #expect(after < .seconds(10))
        #expect(inbox.received.first == "before" && inbox.received.last == "again" && !inbox.received.contains("lost"))
        #expect(kamailio.log.components(separatedBy: "REQ REGISTER").count - 1 >= 3)
        await runner.stop()
        await agent.stop()
        await kiosk.stop()
    }

    /// An outage longer than a refresh interval would cover: the keep-alive notices the registrar is gone
    /// and, the moment it answers again, the kiosk registers (no waiting for a refresh or a backed-off retry).
    @Test func keepAliveRegistersAgainAsSoonAsTheRegistrarIsBack() async throws {
        let dir = try TestEnvironment.temporaryDirectory("kamailio-keepalive")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let kamailio = try KamailioPeer(in: dir)
        try kamailio.start()
        defer { kamailio.stop() }
        let logs = LogCollector()
        // A lifetime of 10 minutes: a refresh cannot be what brings the kiosk back within this test.
        let (kiosk, runner) = try await SIPTestSupport.startRegistration(
            with: kamailio, password: "kioskpass", expires: 600,
            keepAlive: .init(interval: .milliseconds(500), timeout: .milliseconds(400), missesBeforeLoss: 2), logs: logs)
        #expect(await SIPTestSupport.waitFor(runner, seconds: 5) { if case .registered = $0 { true } else { false } } != nil)
        let agent = try await SIPTestSupport.userAgent(logger: LogCollector())
        let inbox = SIPTestSupport.answerMessages(at: kiosk)
        let proxy = try SIPTestSupport.peer(kamailio.port)
        func send(_ text: String) async throws -> Int {
            try await SIPTestSupport.sendMessage(text, from: agent, user: "agent", password: "agentpass", to: "sip:kiosk@127.0.0.1",
                                                 proxy: proxy, seed: UInt64.random(in: 1...UInt64.max))
        }
        #expect(try await send("before") == 200)
        try await Task.sleep(for: .seconds(1.2))
        #expect(await runner.reachability == .reachable)

        // The registrar is down for a while (SIGKILL: it forgets every location)...
        kamailio.stop(hard: true)
        let lost = await SIPTestSupport.waitFor(runner, seconds: 5) { if case .failed = $0 { true } else { false } }
        #expect(lost == .failed(.unreachable("keep-alives unanswered")), "state \(String(describing: lost))")
        #expect(await runner.reachability == .lost)
        try await Task.sleep(for: .seconds(6))  // long enough for the retries to back off past 4 s
        // ...and comes back.
        try kamailio.start()
        let backAt = ContinuousClock.now
        var reached = false
        while ContinuousClock.now - backAt < .seconds(10) && !reached {
            reached = try await send("again") == 200
            if !reached { try await Task.sleep(for: .milliseconds(100)) }
        }
        let after = ContinuousClock.now - backAt
        print("reachable again \(after) after Kamailio came back")
        #expect(reached, "log \(logs.all)")
        #expect(after < .seconds(2), "the kiosk took \(after) to register again")
        #expect(inbox.received.first == "before" && inbox.received.last == "again")
        let lines = logs.all.joined(separator: "\n")
        #expect(lines.contains("stopped answering keep-alives") && lines.contains("answers keep-alives again"), "\(lines)")
        // Kamailio saw the probes as OPTIONS.
        #expect(kamailio.log.contains("REQ OPTIONS"))
        await runner.stop()
        await agent.stop()
        await kiosk.stop()
    }
}
