import Foundation
import Testing

/// The fleet HTTP API on the real daemon: `kioskd run` with a `fleet` section (a self-signed certificate
/// made by openssl for 127.0.0.1, two tokens, one of them revoked) on a free loopback port, baresip as the
/// agent; curl talks to it over TLS and checks the certificate against that same file.
@Suite(.serialized)
struct FleetAPITests {
    static let goodToken = "fleet-good-\(UInt64.random(in: 1...UInt64.max))"
    static let revokedToken = "fleet-old-\(UInt64.random(in: 1...UInt64.max))"

    final class Kiosk {
        let setup: BaresipCallTests.Setup
        let port: Int
        let certificate: String
        let daemon: TestProcess
        let screenDir: String
        var base: String { "https://127.0.0.1:\(port)" }

        /// `keys`: the kiosk's call button is the daemon's standard input (a line per press).
        /// `clientCA`: a PEM file the fleet section names as `clientCA` (mutual TLS).
        /// `records`: the records section (default: a database in the test's own directory).
        /// `devices`: the display, speaker and input sections in place of the off-screen display and file speaker.
        init(_ name: String, keys: Bool = false, clientCA: String? = nil, records: String? = nil, devices: String? = nil) throws {
            let port = try TestEnvironment.freeTCPPort()
            self.port = port
            let dir = try TestEnvironment.temporaryDirectory("\(name)-tls")
            certificate = try TestEnvironment.selfSignedCertificate(in: dir, name: "fleet").certificate
            let good = try TestEnvironment.sha256sum(text: FleetAPITests.goodToken)
            let old = try TestEnvironment.sha256sum(text: FleetAPITests.revokedToken)
            screenDir = try TestEnvironment.temporaryDirectory("\(name)-screen")
            setup = try BaresipCallTests.setUp(name, extraConfig: """
                , \(devices ?? #""display": { "device": "offscreen:\#(screenDir)", "size": "640x400", "languages": ["en"], "endedScreenSeconds": 0.2 }, "speaker": { "device": "file:'\#(screenDir)/speaker.raw',raw" }"#),
                  "control": { "enabled": false },
                  "records": \(records ?? #"{ "database": "\#(screenDir)/records.sqlite" }"#),
                  "fleet": { "address": "127.0.0.1", "port": \(port), "certificate": "\(certificate)", "key": "\(dir)/fleet.key",
                             "tokens": { "laptop": "\(good)", "lost-laptop": "\(old)" }, "revoked": ["lost-laptop"]\(clientCA.map { #", "clientCA": "\#($0)""# } ?? "") }
                """)
            daemon = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", setup.config] + (keys ? ["--keys-from-stdin"] : []),
                                     in: setup.dir, name: "kioskd", keepStdinOpen: keys)
            guard KioskFlowRunTests.waitFor(daemon, "fleet: API listening", seconds: 30),
                  devices != nil || KioskFlowRunTests.waitFor(daemon, "screen: idle", seconds: 20) else {
                let log = daemon.stderr  // read before stop() removes the directory it is in
                stop()
                throw TestSetupError("kioskd's fleet API did not start: \(log)")
            }
        }

        func stop() {
            daemon.stop()
            setup.agent.stop()
            try? FileManager.default.removeItem(atPath: setup.dir)
            try? FileManager.default.removeItem(atPath: screenDir)
            try? FileManager.default.removeItem(atPath: (certificate as NSString).deletingLastPathComponent)
        }

        /// One request with curl; the certificate is checked against the test's own.
        func curl(_ method: String, _ path: String, token: String? = nil, body: String? = nil, extra: [String] = []) throws -> HTTPReply {
            var args = ["-sS", "--cacert", certificate, "-X", method, "-o", "-", "-w", "\n%{http_code}", "--max-time", "15"] + extra
            if let token { args += ["-H", "Authorization: Bearer \(token)"] }
            if let body {
                let file = "\(setup.dir)/body-\(UInt32.random(in: 0...UInt32.max)).json"
                try body.write(toFile: file, atomically: true, encoding: .utf8)
                args += ["-H", "Content-Type: application/json", "--data-binary", "@\(file)"]
            }
            let run = try TestProcess(try TestProcess.which("curl"), args + [base + path], in: setup.dir, name: "curl")
            guard run.wait(seconds: 20) == 0 else { throw TestSetupError("curl \(method) \(path): \(run.stderr)") }
            var text = run.stdout
            guard let newline = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: newline)...]) else {
                throw TestSetupError("curl printed no status: \(text)")
            }
            text = String(text[..<newline])
            return HTTPReply(status: status, body: text)
        }
    }

    struct HTTPReply {
        let status: Int
        let body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:] }
    }

    @Test func statusNeedsAGoodTokenAndHealthzNone() throws {
        let kiosk = try Kiosk("fleet-status")
        defer { kiosk.stop() }

        let health = try kiosk.curl("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.json["status"] as? String == "ok")

        for (token, why) in [(nil, "no bearer token"), ("not-\(Self.goodToken)", "not accepted"), (Self.revokedToken, "revoked")] {
            let refused = try kiosk.curl("GET", "/v1/status", token: token)
            #expect(refused.status == 401, "token \(token ?? "none")")
            #expect(refused.json["error"] as? String == "unauthorized")
            #expect((refused.json["message"] as? String)?.contains(why) == true, "\(refused.body)")
            #expect(!refused.body.contains("KSK-0412"))
        }

        let status = try kiosk.curl("GET", "/v1/status", token: Self.goodToken)
        #expect(status.status == 200)
        #expect(status.json["kiosk"] as? String == "KSK-0412")
        #expect(status.json["name"] as? String == "Rathaus Zürich")
        #expect(status.json["state"] as? String == "idle")
        #expect(status.json["registration"] as? String == "no registrar configured")
        #expect(status.json["devices"] is [String: Any])
        // The log names who was refused why, never the token.
        #expect(kiosk.daemon.stderr.contains("fleet: GET /v1/status refused: the token has been revoked"))
        #expect(!kiosk.daemon.stderr.contains(Self.revokedToken))
    }

    @Test func aBadConfigChangesNothingAndNamesTheFieldAGoodOneIsTakenWithoutARestart() throws {
        let kiosk = try Kiosk("fleet-config")
        defer { kiosk.stop() }
        #expect(try kiosk.curl("GET", "/v1/config").status == 401)
        #expect(try kiosk.curl("PUT", "/v1/config", token: Self.revokedToken, body: "{}").status == 401)

        let shown = try kiosk.curl("GET", "/v1/config", token: Self.goodToken)
        #expect(shown.status == 200)
        let config = try #require(shown.json["config"] as? [String: Any])
        #expect((config["kiosk"] as? [String: Any])?["id"] as? String == "KSK-0412")
        // Token hashes are secrets too: masked.
        #expect((config["fleet"] as? [String: Any])?["tokens"] as? String == "********")
        let before = try String(contentsOfFile: kiosk.setup.config, encoding: .utf8)

        // Out of range: 422, the field named, the file untouched.
        var bad = config
        bad["camera"] = ["device": "synthetic", "size": "640x480", "fps": 500]
        let refused = try kiosk.curl("PUT", "/v1/config", token: Self.goodToken, body: Self.json(bad))
        #expect(refused.status == 422)
        #expect(refused.json["field"] as? String == "camera.fps")
        #expect((refused.json["message"] as? String)?.contains("500 is out of range") == true, "\(refused.body)")
        // A misspelt key, and a configuration that would end the API.
        var misspelt = config
        misspelt["camra"] = ["fps": 10]
        let unknown = try kiosk.curl("PUT", "/v1/config", token: Self.goodToken, body: Self.json(misspelt))
        #expect(unknown.status == 422 && unknown.json["field"] as? String == "camra", "\(unknown.body)")
        var noFleet = config
        noFleet["fleet"] = nil
        let lockedOut = try kiosk.curl("PUT", "/v1/config", token: Self.goodToken, body: Self.json(noFleet))
        #expect(lockedOut.status == 422 && lockedOut.json["field"] as? String == "fleet", "\(lockedOut.body)")
        // Not JSON: 400.
        let garbage = try kiosk.curl("PUT", "/v1/config", token: Self.goodToken, body: "{ \"kiosk\": ")
        #expect(garbage.status == 400 && garbage.json["field"] as? String == "", "\(garbage.body)")
        #expect(try String(contentsOfFile: kiosk.setup.config, encoding: .utf8) == before)

        // A good one: written whole, masked secrets keep their value; the name is taken at once (idle).
        var good = config
        var identity = try #require(config["kiosk"] as? [String: Any])
        identity["name"] = "Rathaus Zürich, Eingang Nord"
        good["kiosk"] = identity
        let taken = try kiosk.curl("PUT", "/v1/config", token: Self.goodToken, body: Self.json(good))
        #expect(taken.status == 200, "\(taken.body)")
        #expect(taken.json["applies"] as? String == "now", "\(taken.body)")
        #expect(taken.json["appliedLive"] as? [String] == ["kiosk"])
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kiosk.setup.config))) as? [String: Any]
        #expect((written?["kiosk"] as? [String: Any])?["name"] as? String == "Rathaus Zürich, Eingang Nord")
        let tokens = (written?["fleet"] as? [String: Any])?["tokens"] as? [String: String]
        #expect(tokens?["laptop"] == (try TestEnvironment.sha256sum(text: Self.goodToken)))
        #expect(try kiosk.curl("GET", "/v1/status", token: Self.goodToken).json["name"] as? String == "Rathaus Zürich, Eingang Nord")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: kiosk.setup.dir).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)

        // A token revoked through the API stops working with the next request, no restart; a new one works.
        let newToken = "fleet-new-\(UInt64.random(in: 1...UInt64.max))"
        var rotated = good
        var fleet = try #require(config["fleet"] as? [String: Any])
        fleet["tokens"] = ["laptop": try TestEnvironment.sha256sum(text: Self.goodToken), "tablet": try TestEnvironment.sha256sum(text: newToken)]
        fleet["revoked"] = ["laptop"]
        rotated["fleet"] = fleet
        let rotation = try kiosk.curl("PUT", "/v1/config", token: Self.goodToken, body: Self.json(rotated))
        #expect(rotation.status == 200, "\(rotation.body)")
        #expect(Set(rotation.json["appliedLive"] as? [String] ?? []) == ["fleet.tokens", "fleet.revoked"], "\(rotation.body)")
        #expect((rotation.json["needsRestart"] as? [String])?.isEmpty == true)
        let old = try kiosk.curl("GET", "/v1/status", token: Self.goodToken)
        #expect(old.status == 401 && (old.json["message"] as? String)?.contains("revoked") == true, "\(old.body)")
        #expect(try kiosk.curl("GET", "/v1/status", token: newToken).status == 200)
    }

    @Test func metricsAreStrictPrometheusTextAndCountACall() throws {
        let kiosk = try Kiosk("fleet-metrics", keys: true)
        defer { kiosk.stop() }
        #expect(try kiosk.curl("GET", "/metrics").status == 401)
        let idle = try kiosk.curl("GET", "/metrics", token: Self.goodToken)
        #expect(idle.status == 200)
        let samples = try Self.parsePrometheus(idle.body)
        #expect(samples["kioskd_calls_placed_total"] == 0)
        #expect(samples["kioskd_call_in_progress"] == 0)
        #expect(samples["kioskd_sip_registered"] == 0)
        #expect((samples["kioskd_uptime_seconds"] ?? 0) > 0)
        #expect(samples[#"kioskd_build_info{version="0.1.0",kiosk="KSK-0412"}"#] == 1 || samples[#"kioskd_build_info{kiosk="KSK-0412",version="0.1.0"}"#] == 1, "\(idle.body)")

        // A customer's call with baresip answering: counted, timed, and its media figures while it runs.
        kiosk.daemon.writeStdin("\n")
        var events: [[String: Any]] = []
        try #require(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil,
                     "\(kiosk.daemon.stderr)")
        try #require(KioskFlowRunTests.waitFor(kiosk.daemon, "screen: in call", seconds: 5))
        Thread.sleep(forTimeInterval: 4)
        let during = try Self.parsePrometheus(try kiosk.curl("GET", "/metrics", token: Self.goodToken).body)
        #expect(during["kioskd_call_in_progress"] == 1)
        #expect(during["kioskd_calls_placed_total"] == 1)
        #expect(during["kioskd_calls_answered_total"] == 1)
        #expect(during["kioskd_call_setup_seconds_count"] == 1)
        let setupSeconds = during["kioskd_call_setup_seconds_sum"] ?? -1
        #expect(setupSeconds > 0 && setupSeconds < 10)
        #expect((during[#"kioskd_call_packets_received{stream="audio"}"#] ?? 0) > 100, "4 s of 20 ms Opus packets")
        #expect((during[#"kioskd_call_packets_received{stream="video"}"#] ?? 0) > 20)
        #expect((during[#"kioskd_call_send_bitrate_bits_per_second{stream="audio"}"#] ?? 0) > 5_000)
        // The customer did not agree to show the camera (a plain press): the kiosk sends no video.
        #expect(during[#"kioskd_call_send_bitrate_bits_per_second{stream="video"}"#] == 0)
        #expect(during["kioskd_call_video_send_fps"] == 0)
        #expect((during["kioskd_call_video_frames_decoded"] ?? 0) > 10)
        #expect(during[#"kioskd_call_loss_ratio{stream="audio"}"#].map { $0 >= 0 && $0 < 0.05 } == true)

        kiosk.daemon.writeStdin("\n")
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_CLOSED", seconds: 10, seen: &events) != nil)
        try #require(KioskFlowRunTests.waitFor(kiosk.daemon, "call: ended", seconds: 5))
        let after = try Self.parsePrometheus(try kiosk.curl("GET", "/metrics", token: Self.goodToken).body)
        #expect(after["kioskd_call_in_progress"] == 0)
        #expect(after[#"kioskd_calls_ended_total{outcome="answered"}"#] == 1, "\(after.filter { $0.key.contains("ended") })")
        #expect(after["kioskd_calls_placed_total"] == 1, "a second scrape adds nothing")
        #expect(after[#"kioskd_call_packets_received{stream="video"}"#] == 0)
    }

    /// Jitter and device health in /metrics: on the clean loopback path to baresip the agent's audio
    /// arrives with near-zero interarrival jitter; the devices this machine has are up, the ones it lacks
    /// (a framebuffer, an ALSA card, an evdev node that are not there) are down, and no input is down.
    @Test func metricsCarryJitterAndDeviceHealth() throws {
        let kiosk = try Kiosk("fleet-devices", keys: true)
        defer { kiosk.stop() }
        let idle = try Self.parsePrometheus(try kiosk.curl("GET", "/metrics", token: Self.goodToken).body)
        func up(_ samples: [String: Double], _ device: String) -> Double? { samples[#"kioskd_device_up{device="\#(device)"}"#] }
        // Synthetic camera, test tone, off-screen display, ALSA's file plugin: all there; no input configured.
        #expect([up(idle, "camera"), up(idle, "microphone"), up(idle, "speaker"), up(idle, "display"), up(idle, "input")] == [1, 1, 1, 1, 0],
                "\(idle.filter { $0.key.hasPrefix("kioskd_device_up") })")
        #expect(idle[#"kioskd_call_jitter_seconds{stream="audio"}"#] == 0 && idle[#"kioskd_call_jitter_seconds{stream="video"}"#] == 0)

        kiosk.daemon.writeStdin("\n")
        var events: [[String: Any]] = []
        try #require(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil,
                     "\(kiosk.daemon.stderr)")
        Thread.sleep(forTimeInterval: 4)
        let duringText = try kiosk.curl("GET", "/metrics", token: Self.goodToken).body
        let during = try Self.parsePrometheus(duringText)
        let audio = try #require(during[#"kioskd_call_jitter_seconds{stream="audio"}"#])
        let video = try #require(during[#"kioskd_call_jitter_seconds{stream="video"}"#])
        print("baresip on loopback: interarrival jitter audio \(audio * 1000) ms, video \(video * 1000) ms")
        // A clean path: baresip's 20 ms audio packets arrive on time to a millisecond or two (this VM's
        // scheduling; measured 1.2-1.5 ms audio, 1.7-2.5 ms video); a relay delaying each packet by a
        // random 0-40 ms makes 10-15 ms (VideoLossTests).
        #expect(audio > 0 && audio < 0.005, "audio jitter \(audio) s")
        #expect(video > 0 && video < 0.010, "video jitter \(video) s")
        #expect(up(during, "speaker") == 1, "the file speaker opened for the call")
        kiosk.daemon.writeStdin("\n")
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_CLOSED", seconds: 10, seen: &events) != nil)
        try #require(KioskFlowRunTests.waitFor(kiosk.daemon, "call: ended", seconds: 5))

        // The call's interaction record carries the agent's audio jitter as measured over the call.
        let rows = try RecordDeliveryTests.query("\(kiosk.screenDir)/records.sqlite", "SELECT outcome, media FROM interaction", dir: kiosk.screenDir)
        let media = try #require(rows.first.flatMap { ($0["media"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } },
                                 "\(rows)")
        let recorded = try #require(media["jitterMilliseconds"] as? Double, "\(media)")
        print("the record's media: \(media)")
        #expect(rows.count == 1 && rows[0]["outcome"] as? String == "answered", "\(rows)")
        #expect(recorded > 0 && recorded < 5, "\(media)")

        // prometheus_client's parser reads the new families with their labels.
        let venv = try Self.pythonTools()
        try duringText.write(toFile: "\(kiosk.setup.dir)/metrics-call.txt", atomically: true, encoding: .utf8)
        let parse = try TestProcess("\(venv)/bin/python", ["-c", """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for f in text_string_to_metric_families(open(sys.argv[1]).read()):
                for s in f.samples:
                    if s.name in ("kioskd_device_up", "kioskd_call_jitter_seconds"):
                        print(f.type, s.name, ",".join(f"{k}={v}" for k, v in s.labels.items()), s.value)
            """, "\(kiosk.setup.dir)/metrics-call.txt"], in: kiosk.setup.dir, name: "prometheus-parse")
        #expect(parse.wait(seconds: 60) == 0, "\(parse.stderr)")
        let parsed = parse.stdout.split(separator: "\n").map(String.init)
        #expect(parsed.filter { $0.hasPrefix("gauge kioskd_device_up device=") }.count == 5, "\(parse.stdout)")
        #expect(parsed.contains("gauge kioskd_device_up device=input 0.0") && parsed.contains("gauge kioskd_device_up device=camera 1.0"), "\(parse.stdout)")
        #expect(parsed.filter { $0.hasPrefix("gauge kioskd_call_jitter_seconds stream=") }.count == 2, "\(parse.stdout)")

        // A kiosk whose display, speaker and button are not on this machine.
        let bare = try Kiosk("fleet-devices-missing", devices: """
            "display": { "device": "/dev/fb7", "size": "640x400" }, "speaker": { "device": "plughw:CARD=NoSuchCard,DEV=0" },
            "input": { "evdev": { "device": "/dev/input/event63" } }
            """)
        defer { bare.stop() }
        let missing = try Self.parsePrometheus(try bare.curl("GET", "/metrics", token: Self.goodToken).body)
        #expect([up(missing, "camera"), up(missing, "microphone"), up(missing, "speaker"), up(missing, "display"), up(missing, "input")] == [1, 1, 0, 0, 0],
                "\(missing.filter { $0.key.hasPrefix("kioskd_device_up") })")
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// A strict reading of the text format: every line is a comment (# HELP/# TYPE NAME ...) or
    /// `NAME{LABELS} VALUE`, every sample's family has a TYPE before it. Returns sample → value.
    static func parsePrometheus(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        var typed: Set<String> = []
        let name = #/[a-zA-Z_:][a-zA-Z0-9_:]*/#
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, (try? name.wholeMatch(in: parts[2])) != nil,
                      ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else { throw TestSetupError("bad TYPE line: \(line)") }
                typed.insert(String(parts[2]))
                continue
            }
            if line.hasPrefix("# HELP ") { continue }
            guard let match = line.wholeMatch(of: #/([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)/#),
                  let value = Double(match.output.4) ?? (match.output.4 == "+Inf" ? .infinity : nil) else {
                throw TestSetupError("not a Prometheus sample line: \(line)")
            }
            let family = String(match.output.1)
            guard typed.contains(family) || typed.contains(where: { family.hasPrefix($0 + "_") }) else {
                throw TestSetupError("\(family) has no TYPE line before it")
            }
            samples[String(line[..<line.lastIndex(of: " ")!])] = value
        }
        return samples
    }

    /// schemathesis and prometheus_client from PyPI, pinned, in a venv under the temporary directory
    /// (made once per machine; CI's fresh machine makes it in its first run, ~20 s).
    static func pythonTools() throws -> String {
        let venv = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/kioskd-fleet-tools-venv"
        let wanted = ["schemathesis==4.32.5", "prometheus-client==0.26.0"]
        let stamp = "\(venv)/kioskd-installed.txt"
        if (try? String(contentsOfFile: stamp, encoding: .utf8)) == wanted.joined(separator: "\n") { return venv }
        try? FileManager.default.removeItem(atPath: venv)
        let python = try TestProcess.which("python3")
        let make = try TestProcess(python, ["-m", "venv", venv], in: "/tmp", name: "venv")
        guard make.wait(seconds: 120) == 0 else { throw TestSetupError("python3 -m venv: \(make.stderr)") }
        let pip = try TestProcess("\(venv)/bin/pip", ["install", "-q", "--disable-pip-version-check"] + wanted, in: "/tmp", name: "pip")
        guard pip.wait(seconds: 600) == 0 else { throw TestSetupError("pip install \(wanted): \(pip.stderr)") }
        try wanted.joined(separator: "\n").write(toFile: stamp, atomically: true, encoding: .utf8)
        return venv
    }

    @Test func theServerKeepsToItsOpenAPIDocumentUnderSchemathesis() throws {
        let venv = try Self.pythonTools()
        let kiosk = try Kiosk("fleet-openapi", keys: true)
        defer { kiosk.stop() }
        // A customer's call first, so GET /v1/calls answers with a real record for the schema to check.
        _ = try Self.call(kiosk, talk: 1, agentHangsUp: false)
        #expect((try kiosk.curl("GET", "/v1/calls", token: Self.goodToken).json["calls"] as? [Any])?.count == 1)
        let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml").path

        // prometheus_client's own parser reads /metrics.
        let metrics = try kiosk.curl("GET", "/metrics", token: Self.goodToken)
        try metrics.body.write(toFile: "\(kiosk.setup.dir)/metrics.txt", atomically: true, encoding: .utf8)
        let parse = try TestProcess("\(venv)/bin/python", ["-c", """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            families = list(text_string_to_metric_families(open(sys.argv[1]).read()))
            print(len(families), sum(len(f.samples) for f in families), " ".join(sorted(f.name for f in families)))
            """, "\(kiosk.setup.dir)/metrics.txt"], in: kiosk.setup.dir, name: "prometheus-parse")
        #expect(parse.wait(seconds: 60) == 0, "\(parse.stderr)")
        #expect(parse.stdout.contains("kioskd_calls_placed") && parse.stdout.contains("kioskd_call_setup_seconds"), "\(parse.stdout)")

        let run = try TestProcess("\(venv)/bin/schemathesis", [
            "--no-color", "run", document, "--url", kiosk.base, "--tls-verify", kiosk.certificate,
            "-H", "Authorization: Bearer \(Self.goodToken)",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,ignored_auth",
            // The actions place calls and restart the daemon: their own tests above check them.
            "--exclude-path-regex", "^/v1/actions/",
            "--phases", "examples,coverage,fuzzing", "--max-examples", "100", "--generation-database", "none",
            "--request-timeout", "10",
        ], in: kiosk.setup.dir, name: "schemathesis")
        let status = run.wait(seconds: 600)
        print("schemathesis:\n\(run.stdout.split(separator: "\n").suffix(25).joined(separator: "\n"))")
        #expect(status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("/v1/status") || run.stdout.contains("passed"), "\(run.stdout)")
        // The daemon is still serving.
        #expect(try kiosk.curl("GET", "/healthz").status == 200)
    }

    @Test func logsAndTheStatusPage() throws {
        let kiosk = try Kiosk("fleet-logs")
        defer { kiosk.stop() }
        #expect(try kiosk.curl("GET", "/v1/logs").status == 401)
        #expect(try kiosk.curl("GET", "/").status == 401)
        let logs = try kiosk.curl("GET", "/v1/logs?lines=500", token: Self.goodToken)
        #expect(logs.status == 200)
        let lines = try #require(logs.json["lines"] as? [String])
        #expect(lines.contains { $0.contains("fleet: API listening on https://127.0.0.1:\(kiosk.port)") }, "\(lines)")
        let few = try #require(try kiosk.curl("GET", "/v1/logs?lines=2", token: Self.goodToken).json["lines"] as? [String])
        #expect(few.count == 2, "\(few)")
        let bad = try kiosk.curl("GET", "/v1/logs?lines=many", token: Self.goodToken)
        #expect(bad.status == 400 && bad.json["field"] as? String == "lines")
        let badLevel = try kiosk.curl("GET", "/v1/logs?level=loud", token: Self.goodToken)
        #expect(badLevel.status == 400 && badLevel.json["field"] as? String == "level")

        let page = try kiosk.curl("GET", "/", token: Self.goodToken)
        #expect(page.status == 200)
        #expect(page.body.contains("<h1 id=\"name\">Rathaus Zürich</h1>"))
        #expect(page.body.contains("<p class=\"state\" id=\"state\">idle</p>"))
        #expect(page.body.contains("KSK-0412"))
    }

    @Test func identifyTestCallAndARestartThatWaitsForTheCall() throws {
        let kiosk = try Kiosk("fleet-actions")
        defer { kiosk.stop() }
        #expect(try kiosk.curl("POST", "/v1/actions/identify").status == 401)
        #expect(try kiosk.curl("POST", "/v1/actions/restart", token: Self.revokedToken).status == 401)

        // Identify: the screen (off-screen here) shows the colour bars and the kiosk's screen in turn.
        let identify = try kiosk.curl("POST", "/v1/actions/identify", token: Self.goodToken, body: #"{"seconds": 2}"#)
        #expect(identify.status == 200, "\(identify.body)")
        #expect(identify.json["flashes"] as? Int == 2)
        #expect((identify.json["picturesPresented"] as? Int ?? 0) >= 4, "\(identify.body)")
        #expect(try kiosk.curl("POST", "/v1/actions/identify", token: Self.goodToken, body: #"{"seconds": "long"}"#).status == 400)
        #expect(try kiosk.curl("POST", "/v1/actions/identify", token: Self.goodToken, body: "[1]").status == 400)

        // A test call to the agent (baresip answers).
        let bad = try kiosk.curl("POST", "/v1/actions/test-call", token: Self.goodToken, body: #"{"to": "tel:123"}"#)
        #expect(bad.status == 400, "\(bad.body)")
        let call = try kiosk.curl("POST", "/v1/actions/test-call", token: Self.goodToken,
                                  body: #"{"to": "\#(kiosk.setup.agent.uri)", "wait": 10}"#)
        #expect(call.status == 200, "\(call.body)")
        #expect(call.json["phase"] as? String == "in call")
        var events: [[String: Any]] = []
        #expect(BaresipCallTests.waitForEvent(kiosk.setup.control, "CALL_ESTABLISHED", seconds: 5, seen: &events) != nil)
        // While it is up: no second call, no flashing, and a restart waits for it.
        let second = try kiosk.curl("POST", "/v1/actions/test-call", token: Self.goodToken, body: #"{"to": "\#(kiosk.setup.agent.uri)"}"#)
        #expect(second.status == 409 && second.json["error"] as? String == "busy", "\(second.body)")
        #expect(try kiosk.curl("POST", "/v1/actions/identify", token: Self.goodToken).status == 409)
        let restart = try kiosk.curl("POST", "/v1/actions/restart", token: Self.goodToken)
        #expect(restart.status == 202, "\(restart.body)")
        #expect(restart.json["restart"] as? String == "after the call")
        #expect(kiosk.daemon.wait(seconds: 3) == nil, "kioskd must not stop in the middle of the call")
        #expect(KioskFlowRunTests.waitFor(kiosk.daemon, "fleet: restart waits: a call is in progress", seconds: 2))
        // The agent hangs up: kioskd stops and exits 75 (systemd starts it again).
        try kiosk.setup.control.send("hangup", "", wait: 0.5)
        #expect(kiosk.daemon.wait(seconds: 15) == 75, "\(kiosk.daemon.stderr.suffix(2000))")
        #expect(kiosk.daemon.stderr.contains("fleet: restarting"))
    }

    @Test func aForcedRestartDoesNotWait() throws {
        let kiosk = try Kiosk("fleet-restart")
        defer { kiosk.stop() }
        let call = try kiosk.curl("POST", "/v1/actions/test-call", token: Self.goodToken,
                                  body: #"{"to": "\#(kiosk.setup.agent.uri)", "wait": 10}"#)
        #expect(call.status == 200, "\(call.body)")
        #expect(try kiosk.curl("POST", "/v1/actions/restart", token: Self.goodToken, body: #"{"force": "yes"}"#).status == 400)
        let restart = try kiosk.curl("POST", "/v1/actions/restart", token: Self.goodToken, body: #"{"force": true}"#)
        #expect(restart.status == 202 && restart.json["restart"] as? String == "now", "\(restart.body)")
        #expect(kiosk.daemon.wait(seconds: 15) == 75, "\(kiosk.daemon.stderr.suffix(2000))")
        #expect(kiosk.daemon.stderr.contains("fleet: forced restart during: a call is in progress"))
    }

    /// The status page as a technician's browser shows it: headless Chromium, the token as the Basic
    /// password (the page's 401 asks for one), the rendered DOM checked for the kiosk's name and state
    /// and the customer's call just made, and a screenshot left in the test output.
    @Test func theStatusPageRendersInHeadlessChromium() throws {
        let chromium = try TestProcess.which("chromium")
        let kiosk = try Kiosk("fleet-page", keys: true)
        defer { kiosk.stop() }
        _ = try Self.call(kiosk, talk: 2.2, agentHangsUp: true)
        #expect(TestEnvironment.waitUntil(seconds: 10) {
            (try? kiosk.curl("GET", "/v1/status", token: Self.goodToken).json["state"] as? String) == "idle"
        })
        // A browser without credentials is asked for them (Basic), not shown the page.
        let challenge = try TestProcess(try TestProcess.which("curl"), ["-sS", "--cacert", kiosk.certificate, "-o", "/dev/null", "-D", "-",
                                                                         kiosk.base + "/"], in: kiosk.setup.dir, name: "curl")
        #expect(challenge.wait(seconds: 20) == 0)
        #expect(challenge.stdout.lowercased().contains("www-authenticate: basic realm=\"kioskd\""), "\(challenge.stdout)")

        let shot = "\(kiosk.setup.dir)/status-page.png"
        // The certificate is the test's own, self-signed: curl checks it above; Chromium is told to accept it.
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors", "--no-first-run",
                      "--user-data-dir=\(kiosk.setup.dir)/chromium", "--window-size=900,700"]
        let url = "https://tech:\(Self.goodToken)@127.0.0.1:\(kiosk.port)/"
        let dom = try TestProcess(chromium, common + ["--dump-dom", url], in: kiosk.setup.dir, name: "chromium-dom")
        #expect(dom.wait(seconds: 90) == 0, "\(dom.stderr.suffix(1500))")
        #expect(dom.stdout.contains("<h1 id=\"name\">Rathaus Zürich</h1>"), "\(dom.stdout.prefix(1500))")
        #expect(dom.stdout.contains("id=\"state\">idle<"), "\(dom.stdout.prefix(1500))")
        // The last calls: the one above, answered and ended by the agent after about 2 s of talk.
        let row = try #require(dom.stdout.firstMatch(of: /<tr><td>(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)<\/td><td>loans<\/td><td class="outcome">answered \(agent\)<\/td><td>0:0(\d)<\/td><\/tr>/),
                                "\(dom.stdout.suffix(1500))")
        #expect((2...4).contains(Int(row.2) ?? 0), "\(row.0)")
        let screenshot = try TestProcess(chromium, common + ["--screenshot=\(shot)", url], in: kiosk.setup.dir, name: "chromium-shot")
        #expect(screenshot.wait(seconds: 90) == 0, "\(screenshot.stderr.suffix(1500))")
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 5_000, "\(png.count) bytes")
        // Kept for a person to look at: the test output names where.
        let kept = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/kioskd-fleet-status-page.png"
        try? FileManager.default.removeItem(atPath: kept)
        try FileManager.default.copyItem(atPath: shot, toPath: kept)
        print("status page screenshot: \(kept) (\(png.count) bytes)")
        // The log names the browser's refused first try, never the token.
        #expect(!kiosk.daemon.stderr.contains(Self.goodToken))
    }

    /// A fleet section whose certificate cannot be read costs the API, not the kiosk.
    @Test func aMissingCertificateLeavesTheKioskServing() throws {
        let screenDir = try TestEnvironment.temporaryDirectory("fleet-nocert-screen")
        defer { try? FileManager.default.removeItem(atPath: screenDir) }
        let setup = try BaresipCallTests.setUp("fleet-nocert", extraConfig: """
            , "display": { "device": "offscreen:\(screenDir)", "size": "640x400", "languages": ["en"] },
              "speaker": { "device": "file:'\(screenDir)/speaker.raw',raw" },
              "control": { "enabled": false },
              "fleet": { "address": "127.0.0.1", "port": \(try TestEnvironment.freeTCPPort()), "certificate": "/nonexistent/fleet.crt",
                         "key": "/nonexistent/fleet.key", "tokens": {} }
            """)
        defer { setup.agent.stop(); try? FileManager.default.removeItem(atPath: setup.dir) }
        let daemon = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", setup.config, "--keys-from-stdin"],
                                     in: setup.dir, name: "kioskd", keepStdinOpen: true)
        defer { daemon.stop() }
        #expect(KioskFlowRunTests.waitFor(daemon, "fleet: no API: cannot load fleet.certificate /nonexistent/fleet.crt", seconds: 20),
                "\(daemon.stderr)")
        // Still a kiosk: a press calls the agent.
        try #require(KioskFlowRunTests.waitFor(daemon, "screen: idle", seconds: 20))
        daemon.writeStdin("\n")
        var events: [[String: Any]] = []
        #expect(BaresipCallTests.waitForEvent(setup.control, "CALL_ESTABLISHED", seconds: 10, seen: &events) != nil, "\(daemon.stderr)")
        #expect(daemon.wait(seconds: 0.5) == nil)
    }

    /// With `fleet.clientCA` the handshake needs a client certificate from that CA; the token is still needed.
    @Test func clientCertificatesWhenConfigured() throws {
        let dir = try TestEnvironment.temporaryDirectory("fleet-mtls")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let openssl = try TestProcess.which("openssl")
        func run(_ args: [String]) throws {
            let p = try TestProcess(openssl, args, in: dir, name: "openssl")
            guard p.wait(seconds: 30) == 0 else { throw TestSetupError("openssl \(args.joined(separator: " ")): \(p.stderr)") }
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=fleet test CA"])
        try run(["req"] + ec + ["-keyout", "laptop.key", "-out", "laptop.csr", "-subj", "/CN=laptop"])
        try run(["x509", "-req", "-in", "laptop.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "laptop.crt", "-days", "1"])
        try run(["req", "-x509"] + ec + ["-keyout", "stranger.key", "-out", "stranger.crt", "-days", "1", "-subj", "/CN=stranger"])

        let kiosk = try Kiosk("fleet-mtls", clientCA: "\(dir)/ca.crt")
        defer { kiosk.stop() }
        #expect(kiosk.daemon.stderr.contains("(client certificates required)"))
        let laptop = ["--cert", "\(dir)/laptop.crt", "--key", "\(dir)/laptop.key"]
        #expect(try kiosk.curl("GET", "/v1/status", token: Self.goodToken, extra: laptop).status == 200)
        #expect(try kiosk.curl("GET", "/v1/status", token: Self.revokedToken, extra: laptop).status == 401, "the certificate is no token")
        #expect(try kiosk.curl("GET", "/healthz", extra: laptop).status == 200)
        // No certificate, or one from elsewhere: no TLS session at all.
        for extra in [[], ["--cert", "\(dir)/stranger.crt", "--key", "\(dir)/stranger.key"]] {
            #expect(throws: TestSetupError.self, "client \(extra)") {
                _ = try kiosk.curl("GET", "/v1/status", token: Self.goodToken, extra: extra)
            }
        }
        #expect(try kiosk.curl("GET", "/v1/status", token: Self.goodToken, extra: laptop).status == 200, "still serving")
    }
}
