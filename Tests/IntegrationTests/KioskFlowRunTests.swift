import Foundation
import Testing

/// The kiosk as a customer meets it, through the real daemon (`kioskd run`): a press of the call button
/// places the call (baresip answers as the agent), the screens go connecting → in call with the agent's
/// picture → call ended → idle, and a press in the call hangs up. The buttons come from standard input
/// (`--keys-from-stdin`, a line per press), the screens from the off-screen display's log lines.
@Suite(.serialized)
struct KioskFlowRunTests {
    static func screens(_ log: String) -> [String] {
        log.split(separator: "\n").compactMap { line in line.range(of: "screen: ").map { String(line[$0.upperBound...]) } }
    }

    static func waitFor(_ process: TestProcess, _ text: String, seconds: Double) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            if process.stderr.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    @Test func aPressCallsTheAgentAndASecondPressHangsUp() throws {
        let screenDir = try TestEnvironment.temporaryDirectory("kiosk-run-screen")
        defer { try? FileManager.default.removeItem(atPath: screenDir) }
        let setup = try BaresipCallTests.setUp("kiosk-run", extraConfig: """
            , "display": { "device": "offscreen:\(screenDir)", "languages": ["de"] }
            """)
        defer { setup.agent.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let daemon = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", setup.config, "--keys-from-stdin"],
                                     in: setup.dir, name: "kioskd", keepStdinOpen: true)
        defer { daemon.stop() }
        try #require(Self.waitFor(daemon, "screen: idle", seconds: 15), "\(daemon.stderr)")
        // No call before the customer pressed.
        #expect(!setup.agent.log.contains("INVITE sip:"))

        daemon.writeStdin("\n")
        var events: [[String: Any]] = []
        try #require(BaresipCallTests.waitForEvent(setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil, "\(daemon.stderr)")
        #expect(Self.waitFor(daemon, "screen: in call", seconds: 5), "\(daemon.stderr)")
        Thread.sleep(forTimeInterval: 3)
        daemon.writeStdin("\n")  // a short press in the call hangs up
        #expect(BaresipCallTests.waitForEvent(setup.control, "CALL_CLOSED", seconds: 10, seen: &events) != nil, "\(daemon.stderr)")
        #expect(Self.waitFor(daemon, "screen: call ended", seconds: 5))
        // The end screen stays a while, then the kiosk waits for the next customer.
        let endedAt = Date()
        try #require(Self.waitFor(daemon, "kiosk: call 1", seconds: 5), "\(daemon.stderr)")
        var backToIdle = false
        while !backToIdle && Date().timeIntervalSince(endedAt) < 15 {
            backToIdle = Self.screens(daemon.stderr).filter { $0 == "idle" }.count >= 2
            if !backToIdle { Thread.sleep(forTimeInterval: 0.1) }
        }
        print("screens: \(Self.screens(daemon.stderr)); back to idle \(Date().timeIntervalSince(endedAt)) s after the end")
        #expect(backToIdle, "\(daemon.stderr)")
        #expect(Self.screens(daemon.stderr).prefix(4) == ["idle", "connecting", "in call", "call ended (the customer hung up)"], "\(Self.screens(daemon.stderr))")
        #expect(daemon.stderr.contains("answered, ended by customer"), "\(daemon.stderr)")
        // The agent's picture was on the screen during the call: PNGs were written for it.
        let pictures = try FileManager.default.contentsOfDirectory(atPath: screenDir).filter { $0.hasSuffix(".png") }
        #expect(pictures.count >= 6)
        // The INVITE carried the kiosk's context and the German the screen spoke.
        #expect(setup.agent.log.contains("X-Kiosk-Id: KSK-0412") && setup.agent.log.contains("X-Kiosk-Language: de"))
        daemon.signal(SIGTERM)
        #expect(daemon.wait(seconds: 15) == 0, "\(daemon.stderr.suffix(2000))")
    }

    /// The network goes away mid-call (the agent's side stops answering anything): after the media
    /// time-out the kiosk ends the call, tells the customer, and waits for the next one.
    @Test func aCallWhoseMediaStopsEndsAndTheKioskGoesBackToIdle() throws {
        let screenDir = try TestEnvironment.temporaryDirectory("kiosk-run-loss")
        defer { try? FileManager.default.removeItem(atPath: screenDir) }
        let setup = try BaresipCallTests.setUp("kiosk-run-loss", extraConfig: """
            , "display": { "device": "offscreen:\(screenDir)", "languages": ["en"] }
            """)
        defer { setup.agent.freeze(false); setup.agent.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        // A short media time-out for the test.
        var text = try String(contentsOfFile: setup.config, encoding: .utf8)
        text = text.replacingOccurrences(of: #""displayName": "Kiosk Rathaus""#, with: #""displayName": "Kiosk Rathaus", "mediaTimeoutSeconds": 3"#)
        try text.write(toFile: setup.config, atomically: true, encoding: .utf8)
        let daemon = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", setup.config, "--keys-from-stdin"],
                                     in: setup.dir, name: "kioskd", keepStdinOpen: true)
        defer { daemon.stop() }
        try #require(Self.waitFor(daemon, "screen: idle", seconds: 15), "\(daemon.stderr)")
        daemon.writeStdin("\n")
        var events: [[String: Any]] = []
        try #require(BaresipCallTests.waitForEvent(setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil, "\(daemon.stderr)")
        try #require(Self.waitFor(daemon, "screen: in call", seconds: 5), "\(daemon.stderr)")
        Thread.sleep(forTimeInterval: 1)
        setup.agent.freeze(true)
        let frozenAt = Date()
        #expect(Self.waitFor(daemon, "screen: call ended (connection lost)", seconds: 10), "\(daemon.stderr)")
        let after = Date().timeIntervalSince(frozenAt)
        print("the call ended \(after) s after the agent's side went silent (media time-out 3 s)")
        #expect(after >= 2.5 && after < 6)
        #expect(daemon.stderr.contains("nothing from the agent for 3 s"), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("kiosk: call 1 answered, ended by network"), "\(daemon.stderr)")
        setup.agent.freeze(false)
        var idleAgain = false
        let until = Date().addingTimeInterval(15)
        while !idleAgain && Date() < until {
            idleAgain = Self.screens(daemon.stderr).filter { $0 == "idle" }.count >= 2
            if !idleAgain { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(idleAgain, "\(Self.screens(daemon.stderr))")
        daemon.signal(SIGTERM)
        #expect(daemon.wait(seconds: 40) == 0, "\(daemon.stderr.suffix(2000))")
    }
}
