import Display
import Foundation
import Testing

/// The contact center answers the kiosk's call badly or not at all — a 200 OK without SDP, an answer
/// with only codecs the kiosk lacks, 486 Busy Here, 503 (with a second entry point configured), no
/// answer within the ring limit. sipp plays the contact center against the real daemon (`kioskd run`,
/// presses on standard input). Each time the customer must see why on the call-ended screen, the log
/// must say it once and clearly, a dialog the answer made must be ACKed and hung up, and the kiosk must
/// go back to idle and place the next call on the next press.
@Suite(.serialized)
struct AgentAnswerTests {
    /// An answer the kiosk can use: Opus and VP8 over SRTP, as the kiosk offers them.
    static let usableSDP = """
    v=0
    o=agent 1 1 IN IP4 [local_ip]
    s=-
    c=IN IP4 [local_ip]
    t=0 0
    m=audio [media_port] RTP/SAVPF 111
    a=rtpmap:111 opus/48000/2
    a=rtcp-mux
    a=sendrecv
    a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(ContentShareTests.key)
    m=video [media_port+2] RTP/SAVPF 96
    a=rtpmap:96 VP8/90000
    a=rtcp-mux
    a=sendonly
    a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(ContentShareTests.key)

    """

    /// A well-formed answer whose only codecs the kiosk does not have: G.711 µ-law and H.264.
    static let foreignCodecsSDP = """
    v=0
    o=agent 1 1 IN IP4 [local_ip]
    s=-
    c=IN IP4 [local_ip]
    t=0 0
    m=audio [media_port] RTP/SAVPF 0
    a=rtpmap:0 PCMU/8000
    a=rtcp-mux
    a=sendrecv
    a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(ContentShareTests.key)
    m=video [media_port+2] RTP/SAVPF 97
    a=rtpmap:97 H264/90000
    a=fmtp:97 profile-level-id=42e01f;packetization-mode=1
    a=rtcp-mux
    a=sendonly
    a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(ContentShareTests.key)

    """

    /// 200 OK with `body` (nil: none); the kiosk must ACK, then hang up itself (BYE).
    static func answeredThenHungUpByTheKiosk(body: String?) -> String {
        SippAgent.scenario("answer the kiosk cannot use", """
          <recv request="INVITE" crlf="true"/>
        \(SippAgent.response("200 OK", body: body))
          <recv request="ACK"/>
        \(SippAgent.byeAnswered)
        """)
    }

    /// A final refusal; the kiosk ACKs it (the INVITE transaction's own ACK).
    static func refused(_ status: String) -> String {
        SippAgent.scenario("refuse with \(status)", """
          <recv request="INVITE" crlf="true"/>
        \(SippAgent.response(status))
          <recv request="ACK"/>
        """)
    }

    /// Rings and never answers: the kiosk must CANCEL once its ring limit is over.
    static let ringsForever = SippAgent.scenario("ring, never answer", """
      <recv request="INVITE" crlf="true">
        <action>
          <ereg regexp="([0-9]+) INVITE" search_in="hdr" header="CSeq:" assign_to="cseq_line,cseq_number"/>
        </action>
      </recv>
    \(SippAgent.response("180 Ringing"))
      <recv request="CANCEL"/>
      <send><![CDATA[
    SIP/2.0 200 OK
    [last_Via:]
    [last_From:]
    [last_To:];tag=agent[call_number]
    [last_Call-ID:]
    [last_CSeq:]
    Content-Length: 0

    ]]></send>
      <send><![CDATA[
    SIP/2.0 487 Request Terminated
    [last_Via:]
    [last_From:]
    [last_To:];tag=agent[call_number]
    [last_Call-ID:]
    CSeq: [$cseq_number] INVITE
    Content-Length: 0

    ]]></send>
      <recv request="ACK"/>
      <Reference variables="cseq_line"/>
    """)

    static let greeting = "Hello, I am Anna. How can I help?"

    /// Answers, and the agent greets the customer by chat (a MESSAGE in the dialog with a display name);
    /// then waits for the kiosk's BYE.
    static let answersAndChats = SippAgent.scenario("answer and chat", """
      <recv request="INVITE" crlf="true">
        <action>
          <ereg regexp=".*" search_in="hdr" header="From:" assign_to="kiosk"/>
          <ereg regexp="&lt;([^&gt;]*)&gt;" search_in="hdr" header="Contact:" assign_to="contact_header,contact"/>
        </action>
      </recv>
    \(SippAgent.response("200 OK", body: usableSDP))
      <recv request="ACK"/>
      <pause milliseconds="300"/>
      <send retrans="500"><![CDATA[
    MESSAGE [$contact] SIP/2.0
    Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
    From: "Anna Smith" <sip:agent@[local_ip]>;tag=agent[call_number]
    To: [$kiosk]
    Call-ID: [call_id]
    CSeq: 1 MESSAGE
    Max-Forwards: 70
    Content-Type: text/plain
    Content-Length: [len]

    \(greeting)
    ]]></send>
      <recv response="200"/>
    \(SippAgent.byeAnswered)
      <Reference variables="contact_header"/>
    """)

    /// A running kiosk whose contact center is `target` (through `endpoints`, if any).
    final class Kiosk {
        let dir: String
        let screenDir: String
        let daemon: TestProcess

        init(_ name: String, target: String, endpoints: [String] = [], sipExtra: String = "") throws {
            dir = try TestEnvironment.temporaryDirectory(name)
            screenDir = dir + "/screen"
            let kioskPort = try TestEnvironment.freePort()
            let endpointList = endpoints.map { "\"\($0)\"" }.joined(separator: ", ")
            // No health checks: sipp plays one scenario and must not be sent OPTIONS in between.
            let config = """
            { "kiosk": { "id": "KSK-ANSWER", "name": "Riverside Town Hall" },
              "log": { "level": "info" },
              "camera": { "device": "synthetic", "size": "320x240", "fps": 10 },
              "microphone": { "device": "tone:440" },
              "display": { "device": "offscreen:\(screenDir)", "languages": ["en"] },
              "sip": { "bindAddress": "127.0.0.1", "port": \(kioskPort), "user": "kiosk", "domain": "127.0.0.1"\(sipExtra) },
              "contactCenter": { "defaultTarget": "\(target)", "endpoints": [\(endpointList)], "healthCheckSeconds": 0 } }
            """
            try config.write(toFile: "\(dir)/kioskd.json", atomically: true, encoding: .utf8)
            daemon = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", "\(dir)/kioskd.json", "--keys-from-stdin"],
                                     in: dir, name: "kioskd", keepStdinOpen: true)
        }

        var log: String { daemon.stderr }
        var screens: [String] { KioskFlowRunTests.screens(log) }

        func press() { daemon.writeStdin("\n") }

        /// Waits until the screens seen so far end with `count` idle screens in all.
        func waitForIdle(count: Int, seconds: Double) -> Bool {
            let until = Date().addingTimeInterval(seconds)
            while Date() < until {
                if screens.filter({ $0 == "idle" }).count >= count && screens.last == "idle" { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }

        func waitForScreen(_ name: String, count: Int = 1, seconds: Double) -> Bool {
            let until = Date().addingTimeInterval(seconds)
            while Date() < until {
                if screens.filter({ $0 == name }).count >= count { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }

        /// Log lines at error level (swift-log's default handler: `… error kioskd: …`).
        var errorLines: [Substring] { log.split(separator: "\n").filter { $0.contains(" error kioskd") && $0.contains("] call: ") } }
        /// Log lines at error or warning level: what a technician looks at.
        var problemLines: [Substring] {
            // About the calls: other subsystems may warn on their own (no control socket in a test, say).
            log.split(separator: "\n").filter { ($0.contains(" error kioskd") || $0.contains(" warning kioskd")) && $0.contains("] call: ") }
        }

        /// Whether one of the pictures the kiosk wrote is the call-ended screen for `reason`, as the
        /// Display library draws it (a customer's eyes, without OCR: the same text, same place).
        func showedCallEnded(_ reason: CallEndReason, duration: Duration? = nil) throws -> Bool {
            try showed(.callEnded(duration: duration, reason: reason))
        }

        /// Whether one of the pictures the kiosk wrote is `screen` (with no video: sipp sends none).
        func showed(_ screen: Screen) throws -> Bool {
            let expected = try Surface(width: 1280, height: 800)
            ScreenRenderer().render(ScreenModel(screen: screen, language: .english, kioskName: "Riverside Town Hall"), into: expected)
            let pictures = try FileManager.default.contentsOfDirectory(atPath: screenDir).filter { $0.hasSuffix(".png") }.sorted()
            return try pictures.contains { file in
                let difference = PictureDifference(actual: try Surface.readPNG(from: "\(screenDir)/\(file)"), reference: expected)
                return difference.isWithin(meanAbsoluteDifference: 0.5, strongDifferenceFraction: 0.0005)
            }
        }

        /// SIGTERM: the daemon must stop cleanly (it was running all along).
        func stopCleanly() -> Int32? {
            daemon.signal(SIGTERM)
            return daemon.wait(seconds: 20)
        }

        func remove() {
            daemon.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// Two presses, two calls that each fail the same way: the screens, the log and sipp's side.
    /// `problem`: the one line (error if `isError`, else warning) each call must log, and nothing else
    /// at those levels.
    func expectTwoFailedCalls(_ name: String, scenario: String, screen: String, reason: CallEndReason,
                              problem: String, isError: Bool, sipExtra: String = "") throws {
        let agentDir = try TestEnvironment.temporaryDirectory(name + "-agent")
        defer { try? FileManager.default.removeItem(atPath: agentDir) }
        let agent = try SippAgent(scenario: scenario, name: "agent", in: agentDir, calls: 2)
        defer { agent.stop() }
        let run = try Kiosk(name, target: agent.uri, sipExtra: sipExtra)
        defer { run.remove() }
        try #require(run.waitForScreen("idle", seconds: 15), "\(run.log)")
        for call in 1...2 {
            run.press()
            #expect(run.waitForScreen(screen, count: call, seconds: 20), "call \(call): \(run.screens)\n\(run.log)\n\(agent.report)")
            #expect(run.waitForIdle(count: call + 1, seconds: 20), "call \(call): \(run.screens)")
        }
        print("\(name): screens \(run.screens)\n" + run.log.split(separator: "\n").filter {
            $0.contains("call:") || $0.contains("kiosk:") || $0.contains(" error ") || $0.contains(" warning ")
        }.joined(separator: "\n"))
        // sipp saw every message its scenario expects, in order (ACK before BYE), for both calls.
        #expect(agent.process.wait(seconds: 15) == 0, "\(agent.report)\n\(run.log)")
        let expected = ["idle", "connecting", screen, "idle", "connecting", screen, "idle"]
        #expect(run.screens == expected, "\(run.screens)")
        #expect(run.problemLines.count == 2 && run.problemLines.allSatisfy { $0.contains(problem) },
                "expected one line per call: \(problem)\n\(run.problemLines.joined(separator: "\n"))")
        #expect(run.errorLines.count == (isError ? 2 : 0), "\(run.errorLines.joined(separator: "\n"))")
        #expect(try run.showedCallEnded(reason), "no picture of the call-ended screen for \(reason) in \(run.screenDir)")
        // The customer was told the particular reason, not a general failure.
        #expect(try !run.showedCallEnded(.callFailed))
        #expect(run.stopCleanly() == 0, "\(run.log.suffix(2000))")
    }

    @Test func anAnswerWithoutSDPIsAckedHungUpAndExplained() throws {
        try expectTwoFailedCalls("answer-no-sdp", scenario: Self.answeredThenHungUpByTheKiosk(body: nil),
                                 screen: "call ended (no usable connection)", reason: .noUsableConnection,
                                 problem: "call: the agent's answer cannot be used: the 200 OK carries no SDP answer; hanging up",
                                 isError: true)
    }

    @Test func anAnswerWithOnlyCodecsTheKioskLacksIsAckedHungUpAndExplained() throws {
        try expectTwoFailedCalls("answer-foreign-codecs", scenario: Self.answeredThenHungUpByTheKiosk(body: Self.foreignCodecsSDP),
                                 screen: "call ended (no usable connection)", reason: .noUsableConnection,
                                 problem: "call: the agent's answer cannot be used: no codec in common on m-line 1; "
                                     + "the agent answered audio PCMU, video H264, the kiosk offered audio opus, video VP8; hanging up",
                                 isError: true)
    }

    @Test func busyHereTellsTheCustomerEveryAgentIsBusy() throws {
        try expectTwoFailedCalls("answer-busy", scenario: Self.refused("486 Busy Here"), screen: "call ended (busy)",
                                 reason: .busy, problem: "call: ended: the call was refused: 486 Busy Here", isError: false)
    }

    @Test func noAnswerWithinTheRingLimitIsCancelledAndExplained() throws {
        try expectTwoFailedCalls("answer-none", scenario: Self.ringsForever, screen: "call ended (no answer)",
                                 reason: .noAnswer, problem: "call: ended: nobody answered", isError: false, sipExtra: #", "ringTimeoutSeconds": 3"#)
    }

    /// 503 from the first entry point: the call goes through the second, which answers; the customer
    /// talks and hangs up there. The next call goes to the second entry point first.
    @Test func serviceUnavailableFailsOverToTheNextEndpoint() throws {
        let agentDir = try TestEnvironment.temporaryDirectory("answer-503-agents")
        defer { try? FileManager.default.removeItem(atPath: agentDir) }
        let first = try SippAgent(scenario: Self.refused("503 Service Unavailable"), name: "first", in: agentDir, calls: 1)
        defer { first.stop() }
        let second = try SippAgent(scenario: Self.answersAndChats, name: "second", in: agentDir, calls: 2)
        defer { second.stop() }
        let kiosk = try Kiosk("answer-503", target: "sip:agents@127.0.0.1",
                              endpoints: ["sip:127.0.0.1:\(first.port)", "sip:127.0.0.1:\(second.port)"])
        defer { kiosk.remove() }
        try #require(kiosk.waitForScreen("idle", seconds: 15), "\(kiosk.log)")
        for call in 1...2 {
            kiosk.press()
            try #require(kiosk.waitForScreen("in call", count: call, seconds: 20),
                         "call \(call): \(kiosk.screens)\n\(kiosk.log)\n\(first.report)\n\(second.report)")
            Thread.sleep(forTimeInterval: 1.5)
            kiosk.press()  // the customer hangs up
            #expect(kiosk.waitForScreen("call ended (the customer hung up)", count: call, seconds: 10), "\(kiosk.screens)")
            #expect(kiosk.waitForIdle(count: call + 1, seconds: 20), "call \(call): \(kiosk.screens)")
        }
        #expect(first.process.wait(seconds: 10) == 0, "\(first.report)")
        #expect(second.process.wait(seconds: 10) == 0, "\(second.report)")
        #expect(kiosk.log.contains("503 Service Unavailable via sip:127.0.0.1:\(first.port); failing over to sip:127.0.0.1:\(second.port)"),
                "\(kiosk.log)")
        // The second call went to the entry point that answered, not to the one that refused.
        #expect(kiosk.log.components(separatedBy: "failing over").count - 1 == 1, "\(kiosk.log)")
        #expect(kiosk.log.contains("kiosk: call 1 answered, ended by customer") && kiosk.log.contains("kiosk: call 2 answered, ended by customer"))
        #expect(kiosk.errorLines.isEmpty, "\(kiosk.errorLines.joined(separator: "\n"))")
        // The agent's chat line on screen under the agent's name (the MESSAGE's From display name).
        #expect(kiosk.log.contains("call: message from Anna Smith: \(Self.greeting)"), "\(kiosk.log)")
        #expect(try kiosk.showed(.inCall(InCallScreen(chat: [ChatMessage(sender: "Anna Smith", text: Self.greeting)]))),
                "no picture of the chat line with its sender in \(kiosk.screenDir)")
        #expect(try !kiosk.showed(.inCall(InCallScreen(chat: [ChatMessage(sender: "", text: Self.greeting)]))))
        #expect(kiosk.stopCleanly() == 0, "\(kiosk.log.suffix(2000))")
    }

    /// Every entry point refuses with 503: the customer is told the service is not available.
    @Test func serviceUnavailableEverywhereIsExplained() throws {
        let agentDir = try TestEnvironment.temporaryDirectory("answer-503-all")
        defer { try? FileManager.default.removeItem(atPath: agentDir) }
        let first = try SippAgent(scenario: Self.refused("503 Service Unavailable"), name: "first", in: agentDir, calls: 2)
        defer { first.stop() }
        let second = try SippAgent(scenario: Self.refused("503 Service Unavailable"), name: "second", in: agentDir, calls: 2)
        defer { second.stop() }
        let kiosk = try Kiosk("answer-503-all", target: "sip:agents@127.0.0.1",
                              endpoints: ["sip:127.0.0.1:\(first.port)", "sip:127.0.0.1:\(second.port)"])
        defer { kiosk.remove() }
        try #require(kiosk.waitForScreen("idle", seconds: 15), "\(kiosk.log)")
        for call in 1...2 {
            kiosk.press()
            #expect(kiosk.waitForScreen("call ended (unavailable)", count: call, seconds: 20),
                    "call \(call): \(kiosk.screens)\n\(kiosk.log)\n\(first.report)\n\(second.report)")
            #expect(kiosk.waitForIdle(count: call + 1, seconds: 20), "call \(call): \(kiosk.screens)")
        }
        // Both entry points were asked both times, and each ACKed refusal ended its scenario.
        #expect(first.process.wait(seconds: 10) == 0, "\(first.report)")
        #expect(second.process.wait(seconds: 10) == 0, "\(second.report)")
        #expect(kiosk.screens == ["idle", "connecting", "call ended (unavailable)", "idle", "connecting", "call ended (unavailable)", "idle"],
                "\(kiosk.screens)")
        #expect(try kiosk.showedCallEnded(.unavailable))
        #expect(kiosk.log.components(separatedBy: "call: ended: the call was refused: 503 Service Unavailable").count - 1 == 2,
                "\(kiosk.log)")
        #expect(kiosk.stopCleanly() == 0, "\(kiosk.log.suffix(2000))")
    }
}
