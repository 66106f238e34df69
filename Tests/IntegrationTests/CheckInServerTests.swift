import Foundation
import Testing

/// The check-in on the real daemon: `kioskd run` with a `checkIn` section posting every second to a small
/// python3 fleet server on a free loopback port, over TLS with an openssl-made certificate as `caFile`.
/// The server logs each post as a JSON line and answers 204, or 200 with the next reply file the test
/// left for it (a new configuration, a bad one).
@Suite(.serialized)
struct CheckInServerTests {
    static let token = "checkin-\(UInt64.random(in: 1...UInt64.max))"

    /// The fleet server: each POST (path, headers, body, time) as a line of `log`; the answer is the first
    /// `.json` file (by name) in `replies`, taken once with status 200, or 204 when there is none.
    static let serverScript = """
    import http.server, json, os, ssl, sys, time
    port, log, replies = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
            names = sorted(n for n in os.listdir(replies) if n.endswith('.json'))
            answer = b''
            if names:
                path = os.path.join(replies, names[0])
                with open(path, 'rb') as f:
                    answer = f.read()
                os.remove(path)
            with open(log, 'a') as f:
                f.write(json.dumps({'t': time.time(), 'path': self.path, 'auth': self.headers.get('Authorization'),
                                    'type': self.headers.get('Content-Type'), 'body': json.loads(body),
                                    'answered': 200 if answer else 204}) + '\\n')
            self.send_response(200 if answer else 204)
            if answer:
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(('127.0.0.1', port), Handler)
    if len(sys.argv) > 5:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[4], sys.argv[5])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()
    """

    final class Setup {
        let dir: String
        let port: Int
        let config: String
        let log: String
        let replies: String
        let certificate: String
        let key: String
        /// Where the daemon writes configuration changes (`--managed-config`, as the systemd unit runs it).
        let managed: String
        var server: TestProcess?
        var daemon: TestProcess?
        var url: String { "https://127.0.0.1:\(port)/v1/checkin" }

        /// `caFile`: the CA the daemon checks the server against (nil: the server's own certificate).
        init(_ name: String, interval: Double = 1, caFile: String? = nil) throws {
            dir = try TestEnvironment.temporaryDirectory(name)
            port = try TestEnvironment.freeTCPPort()
            log = "\(dir)/posts.jsonl"
            replies = "\(dir)/replies"
            try FileManager.default.createDirectory(atPath: replies, withIntermediateDirectories: true)
            (certificate, key) = try TestEnvironment.selfSignedCertificate(in: dir, name: "server")
            try "\(CheckInServerTests.serverScript)\n".write(toFile: "\(dir)/server.py", atomically: true, encoding: .utf8)
            config = "\(dir)/kioskd.json"
            managed = "\(dir)/state/kioskd.json"
            try FileManager.default.createDirectory(atPath: "\(dir)/state", withIntermediateDirectories: true)
            try """
                {
                  "kiosk": { "id": "KSK-0815", "name": "Bahnhof Bern" },
                  "camera": { "device": "synthetic", "size": "320x240", "fps": 15 },
                  "control": { "enabled": false },
                  "checkIn": { "url": "https://127.0.0.1:\(port)/v1/checkin", "intervalSeconds": \(interval),
                               "token": "\(CheckInServerTests.token)", "caFile": "\(caFile ?? certificate)" }
                }

                """.write(toFile: config, atomically: true, encoding: .utf8)
        }

        func startServer() throws {
            let server = try TestProcess("python3", ["\(dir)/server.py", "\(port)", log, replies, certificate, key], in: dir, name: "server")
            self.server = server
            guard TestEnvironment.waitForTCPListener(port: port, seconds: 10) else {
                throw TestSetupError("the fleet server did not start: \(server.stderr)")
            }
        }

        func startDaemon() throws {
            daemon = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", config, "--managed-config", managed], in: dir, name: "kioskd")
        }

        func stop() {
            daemon?.stop()
            server?.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }

        /// The posts the server has logged so far.
        var posts: [[String: Any]] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }

        /// Leaves the server's next answer (status 200 with this body).
        func reply(_ object: [String: Any], _ name: String) throws {
            let data = try JSONSerialization.data(withJSONObject: object)
            try data.write(to: URL(fileURLWithPath: "\(replies)/\(name).tmp"))
            try FileManager.default.moveItem(atPath: "\(replies)/\(name).tmp", toPath: "\(replies)/\(name).json")
        }

        func waitForPosts(_ count: Int, seconds: Double) -> [[String: Any]] {
            var got: [[String: Any]] = []
            _ = TestEnvironment.waitUntil(seconds: seconds) {
                got = posts
                return got.count >= count
            }
            return got
        }

        /// The managed configuration file parsed (nil until the daemon has written one).
        var managedObject: NSDictionary? {
            (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: managed)))) as? NSDictionary
        }
    }

    @Test func postsCarryTheStatusAndConfigVersionANewConfigIsTakenABadOneReported() throws {
        let setup = try Setup("checkin-config")
        defer { setup.stop() }
        try setup.startServer()
        try setup.startDaemon()
        let daemon = try #require(setup.daemon)

        // Posts at the interval (1 s, ±10 % jitter), each with who the kiosk is, its configuration's version and status.
        let first = setup.waitForPosts(4, seconds: 15)
        try #require(first.count >= 4, "\(first.count) posts\n\(daemon.stderr)")
        let version = try TestEnvironment.sha256sum(file: setup.config)
        for post in first {
            #expect(post["path"] as? String == "/v1/checkin")
            #expect(post["auth"] as? String == "Bearer \(Self.token)")
            #expect(post["type"] as? String == "application/json")
            let body = try #require(post["body"] as? [String: Any])
            #expect(body["kiosk"] as? String == "KSK-0815")
            #expect(body["version"] as? String == "0.1.0")
            #expect(body["configVersion"] as? String == version)
            #expect(body["lastConfigError"] == nil)
            let status = try #require(body["status"] as? [String: Any])
            #expect(status["kiosk"] as? String == "KSK-0815" && status["name"] as? String == "Bahnhof Bern")
            #expect(status["state"] is String && status["uptimeSeconds"] is Int && status["devices"] is [String: Any], "\(status)")
        }
        let times = first.compactMap { $0["t"] as? Double }
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        print("check-in gaps (s): \(gaps.map { String(format: "%.2f", $0) })")
        #expect(gaps.allSatisfy { $0 > 0.8 && $0 < 1.6 }, "\(gaps)")
        #expect(!daemon.stderr.contains(Self.token), "the token stays out of the log")

        // A new configuration (another name): written whole to the managed file (the factory one stays as
        // shipped), the name taken at once (no call in progress), and the next post carries the new version.
        let factory = try Data(contentsOf: URL(fileURLWithPath: setup.config))
        #expect(setup.managedObject == nil)
        var changed = try #require(try JSONSerialization.jsonObject(with: factory) as? [String: Any])
        var kiosk = try #require(changed["kiosk"] as? [String: Any])
        kiosk["name"] = "Bahnhof Bern, Gleis 7"
        changed["kiosk"] = kiosk
        try setup.reply(["configVersion": "fleet-2", "config": changed], "1")
        let taken = TestEnvironment.waitUntil(seconds: 10) { setup.managedObject == (changed as NSDictionary) }
        #expect(taken, "the file: \((try? String(contentsOfFile: setup.managed, encoding: .utf8)) ?? "")\n\(daemon.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: setup.config)) == factory)
        #expect(daemon.stderr.contains("check-in: configuration fleet-2 from \(setup.url) taken: now"), "\(daemon.stderr)")
        let newVersion = try TestEnvironment.sha256sum(file: setup.managed)
        #expect(newVersion != version)
        let afterApply = setup.posts.count
        let next = setup.waitForPosts(afterApply + 1, seconds: 10)
        let carried = try #require(next.last?["body"] as? [String: Any])
        #expect(carried["configVersion"] as? String == newVersion)
        #expect(carried["appliedServerVersion"] as? String == "fleet-2")
        #expect(carried["lastConfigError"] == nil)
        #expect((carried["status"] as? [String: Any])?["name"] as? String == "Bahnhof Bern, Gleis 7")

        // The server sending the same configuration again (as a server may on every answer): left alone.
        let written = try Data(contentsOf: URL(fileURLWithPath: setup.managed))
        try setup.reply(["configVersion": "fleet-2", "config": changed], "1b")
        let again = setup.posts.count
        _ = setup.waitForPosts(again + 2, seconds: 10)
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.replies).isEmpty, "the server gave that answer")
        #expect(try Data(contentsOf: URL(fileURLWithPath: setup.managed)) == written)
        #expect(TestEnvironment.lines(daemon.stderr, containing: "check-in: configuration fleet-2 from").count == 1, "\(daemon.stderr)")

        // A configuration the daemon refuses (camera.fps 500): the file stays as it is, the next post says which field.
        let before = try Data(contentsOf: URL(fileURLWithPath: setup.managed))
        var bad = changed
        bad["camera"] = ["device": "synthetic", "size": "320x240", "fps": 500]
        try setup.reply(["configVersion": "fleet-3", "config": bad], "2")
        let reported = TestEnvironment.waitUntil(seconds: 10) {
            setup.posts.contains { ($0["body"] as? [String: Any])?["lastConfigError"] != nil }
        }
        #expect(reported, "\(daemon.stderr)")
        let report = setup.posts.compactMap { ($0["body"] as? [String: Any])?["lastConfigError"] as? [String: Any] }.first
        #expect(report?["field"] as? String == "camera.fps", "\(report ?? [:])")
        #expect((report?["message"] as? String)?.contains("500 is out of range 1...120") == true, "\(report ?? [:])")
        #expect(report?["configVersion"] as? String == "fleet-3")
        #expect(try Data(contentsOf: URL(fileURLWithPath: setup.managed)) == before)
        #expect(TestEnvironment.lines(daemon.stderr, containing: "check-in: configuration fleet-3 from \(setup.url) not taken, nothing changed: camera.fps: 500 is out of range").count == 1,
                "\(daemon.stderr)")
        // Reported once: the server has seen it, the posts after say nothing more of it.
        let count = setup.posts.count
        let later = setup.waitForPosts(count + 2, seconds: 10)
        #expect(later.suffix(2).allSatisfy { ($0["body"] as? [String: Any])?["lastConfigError"] == nil })
        #expect(later.last.flatMap { ($0["body"] as? [String: Any])?["configVersion"] as? String } == newVersion)
        #expect(daemon.isRunning, "\(daemon.stderr)")
    }

    @Test func aServerGoneForAWhileIsLoggedOnceAndPostsResumeWhenItIsBack() throws {
        let setup = try Setup("checkin-outage")
        defer { setup.stop() }
        try setup.startServer()
        try setup.startDaemon()
        let daemon = try #require(setup.daemon)
        try #require(setup.waitForPosts(2, seconds: 15).count >= 2, "\(daemon.stderr)")

        // Down for 7 s: several attempts fail (after 1, 2, 4 s of backoff), one warning says so.
        setup.server?.stop()
        let downAt = Date()
        Thread.sleep(forTimeInterval: 7)
        let postsWhileDown = setup.posts.count
        #expect(daemon.isRunning, "\(daemon.stderr)")
        let warnings = TestEnvironment.lines(daemon.stderr, containing: "check-in: cannot reach \(setup.url)")
        #expect(warnings.count == 1, "\(daemon.stderr)")
        #expect(warnings.first?.contains(" warning ") == true, "\(warnings)")

        // Back: the kiosk posts again within its longest backoff (8 × 1 s, +10 %) and says the server is back.
        try setup.startServer()
        let backAt = Date()
        let resumed = TestEnvironment.waitUntil(seconds: 15) { setup.posts.count > postsWhileDown }
        let waited = Date().timeIntervalSince(backAt)
        print("check-in: server down \(String(format: "%.1f", backAt.timeIntervalSince(downAt))) s, first post \(String(format: "%.1f", waited)) s after it was back")
        #expect(resumed, "\(daemon.stderr)")
        #expect(waited < 11, "the longest backoff is 8 × 1 s + 10 %")
        #expect(TestEnvironment.waitUntil(seconds: 3) { daemon.stderr.contains("check-in: \(setup.url) reachable again") }, "\(daemon.stderr)")
        #expect(TestEnvironment.lines(daemon.stderr, containing: "check-in: cannot reach").count == 1)
        #expect(daemon.isRunning)
    }

    @Test func aServerCertificateNotFromTheCAFileIsRefused() throws {
        let other = try TestEnvironment.temporaryDirectory("checkin-other-ca")
        defer { try? FileManager.default.removeItem(atPath: other) }
        let (otherCA, _) = try TestEnvironment.selfSignedCertificate(in: other, name: "other")
        let setup = try Setup("checkin-wrong-ca", caFile: otherCA)
        defer { setup.stop() }
        try setup.startServer()
        try setup.startDaemon()
        let daemon = try #require(setup.daemon)
        // Several attempts (1, 2, 4 s apart): none reaches the server's handler, one warning names TLS.
        Thread.sleep(forTimeInterval: 6)
        #expect(setup.posts.isEmpty, "\(setup.posts)")
        let warnings = TestEnvironment.lines(daemon.stderr, containing: "check-in: cannot reach \(setup.url)")
        #expect(warnings.count == 1, "\(daemon.stderr)")
        #expect(warnings.first?.contains("CERTIFICATE_VERIFY_FAILED") == true, "\(warnings)")
        #expect(daemon.isRunning, "\(daemon.stderr)")
        // And it stops cleanly on SIGTERM while backing off.
        daemon.signal(SIGTERM)
        #expect(daemon.wait(seconds: 5) == 0, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("kioskd stopped"))
    }
}
