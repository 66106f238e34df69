import Foundation
import Testing

/// Calls through Kamailio: the kiosk registers, its INVITE is challenged (407) and relayed to baresip
/// registered as the agent; and failover, with a dead entry point listed before the live one.
@Suite(.serialized)
struct KamailioCallTests {
    struct Setup {
        let dir: String
        let kamailio: KamailioPeer
        let agent: BaresipAgent
        let control: BaresipControl
        let config: String
    }

    static func setUp(_ name: String, endpoints: [String]? = nil, healthCheckSeconds: Int = 0, transport: String = "udp") throws -> Setup {
        let dir = try TestEnvironment.temporaryDirectory(name)
        if transport == "tls" { try TLSTransportTests.makeCertificates(in: dir) }
        let kamailio = try KamailioPeer(in: dir, tls: transport == "tls" ? ("\(dir)/server.pem", "\(dir)/server.key") : nil)
        try kamailio.start()
        let proxy = "127.0.0.1:\(kamailio.port)"
        let agent = try BaresipAgent(in: dir + "/agent", registrar: proxy, password: "agentpass")
        try agent.start()
        let control = try BaresipControl(port: agent.controlPort)
        // The agent is reachable once Kamailio has its binding.
        let until = Date().addingTimeInterval(10)
        while Date() < until && !agent.log.contains("200 OK") { Thread.sleep(forTimeInterval: 0.1) }
        let kioskPort = try TestEnvironment.freePort()
        let suffix = transport == "udp" ? "" : ";transport=\(transport)"
        // Over TLS the kiosk reaches the proxy by the name its certificate carries, and checks it against the test CA.
        let entry = transport == "tls" ? "localhost:\(kamailio.tlsPort!)" : proxy
        let list = (endpoints ?? []) + ["sip:\(entry)\(suffix)"]
        let caFile = transport == "tls" ? ", \"caFile\": \"\(dir)/ca.pem\"" : ""
        let config = """
        {
          "kiosk": { "id": "KSK-0412", "name": "Rathaus" },
          "camera": { "device": "synthetic", "size": "320x240", "fps": 15 },
          "microphone": { "device": "tone:440" },
          "video": { "bitrateKbps": 300, "cpuUsed": -8 },
          "sip": { "bindAddress": "127.0.0.1", "port": \(kioskPort), "user": "kiosk", "domain": "\(proxy)",
                   "password": "kioskpass", "registrar": "sip:\(entry)\(suffix)", "registerExpires": 60,
                   "transport": "\(transport)"\(caFile) },
          "contactCenter": { "defaultTarget": "sip:agent@127.0.0.1", "endpoints": [\(list.map { "\"\($0)\"" }.joined(separator: ", "))],
                             "failoverSeconds": 2, "healthCheckSeconds": \(healthCheckSeconds) },
          "context": { "site": "Bern Bahnhof" }
        }
        """
        try config.write(toFile: "\(dir)/kioskd.json", atomically: true, encoding: .utf8)
        return Setup(dir: dir, kamailio: kamailio, agent: agent, control: control, config: "\(dir)/kioskd.json")
    }

    /// Over UDP, and over TCP and TLS from the kiosk to the proxy (Kamailio relays to the agent over UDP).
    @Test(arguments: ["udp", "tcp", "tls"])
    func aCallThroughKamailioWithDigestAuth(over transport: String) throws {
        let setup = try Self.setUp("kamailio-call-\(transport)", transport: transport)
        defer { setup.agent.stop(); setup.kamailio.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let call = try TestProcess(try TestEnvironment.kioskd(), ["call", "--config", setup.config, "--category", "pensions",
                                                                   "--hang-up-after", "4", "--message", "über Kamailio"],
                                   in: setup.dir, name: "kioskd")
        defer { call.stop() }
        var events: [[String: Any]] = []
        try #require(BaresipCallTests.waitForEvent(setup.control, "CALL_ESTABLISHED", seconds: 15, seen: &events) != nil,
                     "kioskd: \(call.stderr)\nkamailio: \(setup.kamailio.log.suffix(3000))")
        #expect(call.wait(seconds: 20) == 0, "\(call.stderr)")
        events += setup.control.read(for: 1)
        let log = call.stderr, proxy = setup.kamailio.log
        #expect(log.contains("sip: registered sip:kiosk@127.0.0.1"), "\(log)")
        #expect(proxy.contains("AUTH challenge REGISTER") && proxy.contains("AUTH challenge INVITE"), "\(proxy.suffix(3000))")
        #expect(proxy.contains("REQ INVITE sip:agent@127.0.0.1"))
        // Every request of the kiosk's reached the proxy over the configured transport: REGISTER,
        // INVITE, ACK, MESSAGE and BYE.
        let kioskRequests = proxy.split(separator: "\n").filter { $0.contains("REQ ") && $0.contains("from sip:kiosk@") }
        for method in ["REGISTER", "INVITE", "ACK", "MESSAGE", "BYE"] {
            let seen = kioskRequests.filter { $0.contains("REQ \(method) ") }
            #expect(!seen.isEmpty && seen.allSatisfy { $0.contains("over \(transport))") }, "\(method): \(seen)")
        }
        #expect(events.contains { ($0["type"] as? String) == "CALL_MENC" && (($0["param"] as? String)?.contains("AES_CM_128_HMAC_SHA1_80") ?? false) })
        #expect(setup.agent.log.contains("über Kamailio"), "the in-dialog MESSAGE did not reach the agent")
        // The agent saw the context headers as relayed by the proxy.
        #expect(setup.agent.log.contains("X-Kiosk-Category: pensions") && setup.agent.log.contains("X-Kiosk-Site: Bern Bahnhof"))
        #expect(log.contains("call: over: the kiosk hung up"))
        let received = log.firstMatch(of: /received audio (\d+) packets/).map { Int($0.1)! } ?? 0
        #expect(received > 50, "kiosk received \(received) audio packets")
    }

    @Test func aDeadEntryPointFailsOverToTheNextWithinTheConfiguredTime() throws {
        let deadPort = try TestEnvironment.freePort()  // nothing listens there
        let setup = try Self.setUp("kamailio-failover", endpoints: ["sip:127.0.0.1:\(deadPort)"])
        defer { setup.agent.stop(); setup.kamailio.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let call = try TestProcess(try TestEnvironment.kioskd(), ["call", "--config", setup.config, "--hang-up-after", "2"],
                                   in: setup.dir, name: "kioskd")
        defer { call.stop() }
        #expect(call.wait(seconds: 30) == 0, "\(call.stderr)")
        let log = call.stderr
        #expect(log.contains("failing over to sip:127.0.0.1:\(setup.kamailio.port)"), "\(log)")
        let answeredAfter = try #require(log.firstMatch(of: /answered after ([\d.]+) seconds/), "\(log)")
        print("answered \(answeredAfter.1) s after placing the call, through the second entry point")
        // failoverSeconds is 2: the second entry point answers well within 2 s more.
        #expect(Double(answeredAfter.1)! < 4, "\(log)")
    }

    @Test func aFailedHealthCheckPutsTheDeadEntryPointLast() throws {
        let deadPort = try TestEnvironment.freePort()
        let setup = try Self.setUp("kamailio-health", endpoints: ["sip:127.0.0.1:\(deadPort)"], healthCheckSeconds: 30)
        defer { setup.agent.stop(); setup.kamailio.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let call = try TestProcess(try TestEnvironment.kioskd(), ["call", "--config", setup.config, "--hang-up-after", "2"],
                                   in: setup.dir, name: "kioskd")
        defer { call.stop() }
        #expect(call.wait(seconds: 30) == 0, "\(call.stderr)")
        let log = call.stderr
        #expect(log.contains("contact center: sip:127.0.0.1:\(deadPort) does not answer OPTIONS"), "\(log)")
        // The call went straight to the live entry point: no failover, answered at once.
        #expect(log.contains("via sip:127.0.0.1:\(setup.kamailio.port)") && !log.contains("failing over"), "\(log)")
        let answeredAfter = try #require(log.firstMatch(of: /answered after ([\d.]+) seconds/), "\(log)")
        #expect(Double(answeredAfter.1)! < 1, "\(log)")
    }
}
