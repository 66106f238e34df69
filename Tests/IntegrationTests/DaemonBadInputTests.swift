import Foundation
import RTP
import Testing

/// What a technician sees when the kiosk's devices or configuration are wrong: the real `kioskd` binary,
/// its exit status, its standard error, and the RTP it keeps sending meanwhile (read with plain sockets).
@Suite(.serialized)
struct DaemonBadInputTests {
    // MARK: - Helpers

    /// The log lines of one level (`StreamLogHandler`: `TIME LEVEL kioskd: [MODULE] MESSAGE`).
    static func logLines(_ stderr: String, level: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.contains(" \(level) kioskd:") }
    }

    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: true)
    }

    static func writeConfig(_ dir: String, _ json: String, name: String = "kioskd.json") throws -> String {
        let path = "\(dir)/\(name)"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A config that streams to 127.0.0.1:port with the devices given and quick retries.
    static func streamingConfig(camera: String, microphone: String, port: Int) -> String {
        """
        {
          "kiosk": { "id": "KSK-TEST", "name": "bad input test" },
          "camera": { "device": "\(camera)", "size": "320x240", "fps": 15 },
          "microphone": { "device": "\(microphone)" },
          "video": { "bitrateKbps": 300 },
          "devices": { "retrySeconds": 0.5 },
          "testStream": { "to": "127.0.0.1:\(port)" }
        }
        """
    }

    /// SIGTERM ends the daemon cleanly: status 0 within 5 s, and it says so.
    static func expectCleanStop(_ daemon: TestProcess, sourceLocation: SourceLocation = #_sourceLocation) {
        daemon.signal(SIGTERM)
        let status = daemon.wait(seconds: 5)
        #expect(status == 0, "after SIGTERM: \(daemon.stderr)", sourceLocation: sourceLocation)
        #expect(daemon.stderr.contains("kioskd stopped"), "\(daemon.stderr)", sourceLocation: sourceLocation)
    }

    // MARK: - A missing camera: one line, retries, audio goes on

    @Test func missingCameraPathIsReportedOnceAndAudioKeepsFlowing() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("badcam")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        let audio = try UDPListener(port: port + 2)
        let config = try Self.writeConfig(dir, Self.streamingConfig(camera: "/dev/video77", microphone: "tone:440", port: port))

        let daemon = try TestProcess(kioskd, ["run", "--config", config], in: dir, name: "kioskd")
        defer { daemon.stop() }
        // Two windows of 1.5 s: audio must arrive in both, i.e. keep arriving while the camera is retried.
        let early = audio.rtp(for: 1.5)
        let late = audio.rtp(for: 1.5)
        #expect(daemon.isRunning, "kioskd ended: \(daemon.stderr)")
        print("audio early: \(early); late: \(late)")
        #expect(early.count(payloadType: 111) >= 20, "early: \(early)")
        #expect(late.count(payloadType: 111) >= 50, "late: \(late)")  // 50 packets/s of 20 ms Opus
        #expect(late.notRTP == 0 && late.byPayloadType.keys.sorted() == [111], "late: \(late)")
        #expect(early.ssrcs.union(late.ssrcs).count == 1, "one audio stream, not restarted")

        let stderr = daemon.stderr
        let errors = Self.logLines(stderr, level: "error")
        #expect(errors.count == 1, "expected one error line, got:\n\(stderr)")
        let line = try #require(errors.first)
        #expect(line.contains("camera /dev/video77: cannot open: No such file or directory"), "\(line)")
        #expect(line.contains("retrying every 0.5 s"), "\(line)")
        // The device watcher names the missing camera too (info), and the tone is the audio source.
        #expect(stderr.contains("camera: /dev/video77 missing"), "\(stderr)")
        #expect(stderr.contains("audio: tone"), "\(stderr)")
        #expect(!stderr.contains("video: /dev/video77"), "the camera cannot have opened: \(stderr)")

        Self.expectCleanStop(daemon)
        #expect(Self.logLines(daemon.stderr, level: "error").count == 1, "\(daemon.stderr)")
    }

    @Test func missingCameraNameIsReportedOnce() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("badcamname")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        let audio = try UDPListener(port: port + 2)
        let config = try Self.writeConfig(dir, Self.streamingConfig(camera: "name:NoSuchCam", microphone: "tone:440", port: port))

        let daemon = try TestProcess(kioskd, ["run", "--config", config], in: dir, name: "kioskd")
        defer { daemon.stop() }
        let early = audio.rtp(for: 1.5)
        let late = audio.rtp(for: 1.5)
        #expect(daemon.isRunning, "kioskd ended: \(daemon.stderr)")
        #expect(early.count(payloadType: 111) >= 20, "early: \(early)")
        #expect(late.count(payloadType: 111) >= 50, "late: \(late)")

        let stderr = daemon.stderr
        let errors = Self.logLines(stderr, level: "error")
        #expect(errors.count == 1, "expected one error line, got:\n\(stderr)")
        let line = try #require(errors.first)
        // This host has no V4L2 devices at all, so the list of what was found says so.
        #expect(line.contains("camera named 'NoSuchCam': no such camera (no cameras found)"), "\(line)")
        #expect(stderr.contains("camera: no camera named 'NoSuchCam'"), "\(stderr)")

        Self.expectCleanStop(daemon)
    }

    /// Retrying is real: a camera node that appears is tried (and its distinct failure reported once),
    /// and when it goes again the first failure is reported again, once.
    @Test func cameraRetriesReportEachDistinctFailureOnce() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("camretry")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        let node = "\(dir)/video-node"
        let config = try Self.writeConfig(dir, Self.streamingConfig(camera: node, microphone: "tone:440", port: port))

        let daemon = try TestProcess(kioskd, ["run", "--config", config], in: dir, name: "kioskd")
        defer { daemon.stop() }
        usleep(1_200_000)
        // A plain file where the camera should be: it opens, but is no V4L2 device.
        #expect(FileManager.default.createFile(atPath: node, contents: Data([0])))
        usleep(1_500_000)
        try FileManager.default.removeItem(atPath: node)
        usleep(1_500_000)
        #expect(daemon.isRunning, "kioskd ended: \(daemon.stderr)")

        let errors = Self.logLines(daemon.stderr, level: "error")
        #expect(errors.count == 3, "expected missing, not a camera, missing:\n\(daemon.stderr)")
        if errors.count == 3 {
            #expect(errors[0].contains("camera \(node): cannot open: No such file or directory"), "\(errors[0])")
            #expect(errors[1].contains("camera \(node): not a V4L2 video device"), "\(errors[1])")
            #expect(errors[2].contains("camera \(node): cannot open: No such file or directory"), "\(errors[2])")
        }
        Self.expectCleanStop(daemon)
    }

    // MARK: - A missing microphone: one line, no libasound noise, video goes on

    @Test func missingALSADeviceIsReportedOnceAndVideoKeepsFlowing() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("badmic")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        let video = try UDPListener(port: port)
        let device = "hw:CARD=NoSuchCard,0"
        let config = try Self.writeConfig(dir, Self.streamingConfig(camera: "synthetic", microphone: device, port: port))

        let daemon = try TestProcess(kioskd, ["run", "--config", config], in: dir, name: "kioskd")
        defer { daemon.stop() }
        let early = video.rtp(for: 1.5)
        let late = video.rtp(for: 1.5)
        #expect(daemon.isRunning, "kioskd ended: \(daemon.stderr)")
        print("video early: \(early); late: \(late)")
        #expect(early.count(payloadType: 96) >= 5, "early: \(early)")
        #expect(late.count(payloadType: 96) >= 15, "late: \(late)")  // 15 fps, at least a packet a frame
        #expect(late.notRTP == 0 && late.byPayloadType.keys.sorted() == [96], "late: \(late)")

        let stderr = daemon.stderr
        let errors = Self.logLines(stderr, level: "error")
        #expect(errors.count == 1, "expected one error line, got:\n\(stderr)")
        let line = try #require(errors.first)
        #expect(line.contains("microphone \(device): cannot open: No such device"), "\(line)")
        #expect(!stderr.contains("ALSA lib"), "libasound's own diagnostics leaked:\n\(stderr)")
        // Every line on stderr is one of the daemon's log lines.
        let foreign = Self.lines(stderr).filter { !$0.contains(" kioskd: [") }
        #expect(foreign.isEmpty, "lines not from the logger:\n\(foreign.joined(separator: "\n"))")
        #expect(stderr.contains("video: synthetic"), "\(stderr)")

        Self.expectCleanStop(daemon)
    }

    // MARK: - A configuration that cannot be used: status 78 and one line

    struct BrokenConfig: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        /// What follows `kioskd: config FILE: ` on the one line.
        let message: String
        var testDescription: String { name }
    }

    static let brokenConfigs: [BrokenConfig] = [
        BrokenConfig(name: "invalid JSON", json: "{\n  \"kiosk\": { \"id\": \"a\" }\n  \"log\": {}\n}\n",
                     message: #"not valid JSON: line 3, column 3: unexpected '"', expected ',' or '}'"#),
        BrokenConfig(name: "unknown key", json: #"{ "camera": { "fsp": 25 } }"#,
                     message: "camera.fsp: unknown setting (known here: device, fps, size)"),
        BrokenConfig(name: "wrong type", json: #"{ "camera": { "fps": "30" } }"#,
                     message: "camera.fps: expected a whole number in 1...120, found a string"),
        BrokenConfig(name: "odd test stream port", json: #"{ "testStream": { "to": "127.0.0.1:5005" } }"#,
                     message: "testStream.to: '127.0.0.1:5005' is not HOST:PORT with an even port (video on PORT, audio on PORT+2)"),
    ]

    @Test(arguments: brokenConfigs)
    func brokenConfigStopsRunWithStatus78AndOneLine(_ broken: BrokenConfig) throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("badconfig")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try Self.writeConfig(dir, broken.json)

        let daemon = try TestProcess(kioskd, ["run", "--config", config], in: dir, name: "kioskd")
        defer { daemon.stop() }
        #expect(daemon.wait(seconds: 5) == 78, "\(daemon.stderr)")
        let lines = Self.lines(daemon.stderr)
        #expect(lines.count == 1, "expected one line:\n\(daemon.stderr)")
        #expect(lines.first == "kioskd: config \(config): \(broken.message)", "\(daemon.stderr)")
        #expect(daemon.stdout.isEmpty, "\(daemon.stdout)")
    }

    @Test func missingConfigFileStopsRunWithStatus78() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("noconfig")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = "\(dir)/missing.json"
        let daemon = try TestProcess(kioskd, ["run", "--config", config], in: dir, name: "kioskd")
        defer { daemon.stop() }
        #expect(daemon.wait(seconds: 5) == 78, "\(daemon.stderr)")
        #expect(Self.lines(daemon.stderr) == ["kioskd: config \(config): cannot read: No such file or directory"], "\(daemon.stderr)")
    }

    @Test func brokenConfigStopsStreamWithStatus78() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("streamconfig")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        let config = try Self.writeConfig(dir, #"{ "log": { "level": "verbose" } }"#)
        let daemon = try TestProcess(kioskd, ["stream", "--to", "127.0.0.1:\(port)", "--config", config], in: dir, name: "kioskd")
        defer { daemon.stop() }
        #expect(daemon.wait(seconds: 5) == 78, "\(daemon.stderr)")
        #expect(Self.lines(daemon.stderr) == [
            "kioskd: config \(config): log.level: 'verbose' is not one of trace, debug, info, notice, warning, error, critical",
        ], "\(daemon.stderr)")
    }

    // MARK: - `kioskd stream` with a bad option value: status 64 (EX_USAGE) and one line naming the option

    struct BadOption: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let badOptions: [BadOption] = [
        BadOption(arguments: ["--size", "641x480"],
                  message: "--size: '641x480' is not WIDTHxHEIGHT with even numbers, e.g. 640x480"),
        BadOption(arguments: ["--to", "127.0.0.1:5005"],
                  message: "--to: '127.0.0.1:5005' is not HOST:PORT with an even port (video on PORT, audio on PORT+2)"),
        BadOption(arguments: ["--camera", "bogus"],
                  message: "--camera: 'bogus' is not auto, synthetic, a /dev path or name:CARD"),
        BadOption(arguments: ["--microphone", "tone:5"],
                  message: "--microphone: 'tone:5' needs a frequency 20...20000 Hz, e.g. tone:440"),
        BadOption(arguments: ["--fps", "500"], message: "--fps: 500 is out of range 1...120"),
        BadOption(arguments: ["--bitrate", "10"], message: "--bitrate: 10 is out of range 50...20000"),
        BadOption(arguments: ["--sdp-only"], message: "--sdp-only: needs --sdp FILE"),
    ]

    @Test(arguments: badOptions)
    func badStreamOptionExits64NamingTheOption(_ bad: BadOption) throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("badoption")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        // A valid --to first; a bad one given in `bad` comes later and wins (the last value counts).
        let arguments = ["stream", "--to", "127.0.0.1:\(port)", "--camera", "synthetic", "--seconds", "2"] + bad.arguments
        let daemon = try TestProcess(kioskd, arguments, in: dir, name: "kioskd")
        defer { daemon.stop() }
        #expect(daemon.wait(seconds: 5) == 64, "\(daemon.stderr)")
        let lines = Self.lines(daemon.stderr)
        #expect(lines.count == 1, "expected one line:\n\(daemon.stderr)")
        let line = try #require(lines.first)
        #expect(line.hasPrefix("kioskd: option "), "\(line)")
        #expect(line.hasSuffix(bad.message), "\(line)")
        print("kioskd \(bad.testDescription): \(line)")
    }

    @Test func unwritableSDPFileExits73WithOneLine() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("sdpfile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try TestEnvironment.freeEvenPortBlock()
        let target = "\(dir)/no-such-folder/stream.sdp"
        let daemon = try TestProcess(kioskd, ["stream", "--to", "127.0.0.1:\(port)", "--sdp", target, "--sdp-only"], in: dir, name: "kioskd")
        defer { daemon.stop() }
        #expect(daemon.wait(seconds: 5) == 73, "\(daemon.stderr)")
        #expect(Self.lines(daemon.stderr) == ["kioskd: SDP cannot write \(target): No such file or directory"], "\(daemon.stderr)")
    }
}
