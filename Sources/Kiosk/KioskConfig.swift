#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Media
import Control
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's configuration, read from a JSON file (`Board/*/kioskd.json` are examples; README.md
/// documents every key). Every section and key is optional; what is left out takes the default shown in
/// the documentation. A file that cannot be used stops the daemon at start-up with a `ConfigError`.
public struct KioskConfig: Sendable, Equatable {
    public struct Identity: Sendable, Equatable {
        public var id: String
        public var name: String
        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// A technician's test stream: the send pipeline toward a fixed receiver, with the SDP written out.
    public struct TestStream: Sendable, Equatable {
        public var destination: MediaDestination
        public var sdpPath: String?
    }

    public var identity: Identity
    public var logLevel: String
    public var media: MediaSettings
    public var testStream: TestStream?
    public var sip: SIPSettings
    /// Whether the daemon runs its SIP side (the configuration has a `sip` section).
    public var sipEnabled: Bool
    public var contactCenter: ContactCenterSettings
    public var site: SiteSettings
    /// How often a missing or failed device is tried again.
    public var deviceRetrySeconds: Double
    public var screen: ScreenSettings
    public var speaker: SpeakerSettings
    public var input: InputSources
    public var control: ControlSettings = ControlSettings()
    public var records: RecordsSettings
    /// The fleet HTTP API; nil (no `fleet` section): not served.
    public var fleet: FleetSettings?
    /// Posting the status to a fleet server; nil (no `checkIn` section): no check-in.
    public var checkIn: CheckInSettings?

    /// Keys whose values are secrets: shown masked ("********") by `config show` and `GET /v1/config`; a
    /// masked value sent back keeps the file's.
    public static let secretKeys: Set<String> = ["password", "token", "tokens", "secret"]
    /// What a secret's value is shown as.
    public static let secretMask = ControlValue.string("********")

    /// `value` (a configuration tree, as JSON) with every masked secret put back to `current`'s value, so
    /// a configuration that came from `config show` / `GET /v1/config` never writes the mask.
    public static func unmasked(_ value: ControlValue, current: ControlValue) -> ControlValue {
        guard case let .object(pairs) = value else { return value }
        return .object(pairs.map { key, v -> (String, ControlValue) in
            let old = current[key] ?? .null
            if secretKeys.contains(key), v == secretMask, old != .null { return (key, old) }
            return (key, unmasked(v, current: old))
        })
    }

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    public init(identity: Identity = Identity(id: "kiosk", name: "kiosk"), logLevel: String = "info",
                media: MediaSettings = MediaSettings(), testStream: TestStream? = nil, deviceRetrySeconds: Double = 5,
                sip: SIPSettings = SIPSettings(), sipEnabled: Bool = false, contactCenter: ContactCenterSettings = ContactCenterSettings(),
                site: SiteSettings = SiteSettings(), screen: ScreenSettings = ScreenSettings(),
                speaker: SpeakerSettings = SpeakerSettings(), input: InputSources = InputSources(),
                records: RecordsSettings = RecordsSettings()) {
        self.input = input
        self.records = records
        self.screen = screen
        self.speaker = speaker
        self.sip = sip
        self.sipEnabled = sipEnabled
        self.contactCenter = contactCenter
        self.site = site
        self.identity = identity
        self.logLevel = logLevel
        self.media = media
        self.testStream = testStream
        self.deviceRetrySeconds = deviceRetrySeconds
    }

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws(ConfigError) -> KioskConfig {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch {
            throw ConfigError(file: path, key: "", problem: "cannot read: \(error.reason)")
        }
        return try parse(bytes, file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(ConfigError) -> KioskConfig {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            let place = JSONSyntaxLocator.locate(bytes).map { "\($0)" } ?? Self.reason(error)
            throw ConfigError(file: file, key: "", problem: "not valid JSON: \(place)")
        }
        var top = try ConfigReader(file: file, path: "", value: root)

        var kiosk = try top.section("kiosk")
        let identity = Identity(id: try kiosk.string("id", default: "kiosk"), name: try kiosk.string("name", default: "kiosk"))
        try kiosk.finish()

        var log = try top.section("log")
        let level = try log.string("level", default: "info")
        guard logLevels.contains(level) else {
            throw log.fail("level", "'\(level)' is not one of \(logLevels.joined(separator: ", "))")
        }
        try log.finish()

        var media = MediaSettings()
        var camera = try top.section("camera")
        let device = try camera.string("device", default: "auto")
        media.camera = try cameraSelection(device).get(camera, "device")
        media.size = try frameSize(try camera.string("size", default: media.size.description)).get(camera, "size")
        media.framesPerSecond = try camera.int("fps", default: 30, range: 1...120)
        try camera.finish()

        var microphone = try top.section("microphone")
        let mic = try microphone.string("device", default: "tone:440")
        media.microphone = try microphoneSelection(mic).get(microphone, "device")
        try microphone.finish()

        var video = try top.section("video")
        media.videoBitrateKbps = try video.int("bitrateKbps", default: media.videoBitrateKbps, range: 50...20_000)
        media.cpuUsed = try video.int("cpuUsed", default: media.cpuUsed, range: -16...16)
        media.encoderThreads = try video.int("threads", default: 1, range: 1...8)
        media.keyFrameIntervalSeconds = try video.int("keyFrameIntervalSeconds", default: 10, range: 0...3600)
        media.maxPayloadSize = try video.int("maxPayloadSize", default: 1200, range: 200...1400)
        try video.finish()

        var audio = try top.section("audio")
        media.audioBitrateKbps = try audio.int("bitrateKbps", default: 32, range: 6...510)
        try audio.finish()

        var devices = try top.section("devices")
        let retry = try devices.double("retrySeconds", default: 5, range: 0.1...3600)
        try devices.finish()

        var testStream: TestStream?
        if top.hasSection("testStream") {
            var stream = try top.section("testStream")
            var destination = try streamDestination(try stream.string("to", default: "")).get(stream, "to")
            destination.rtcpMux = try stream.bool("rtcpMux", default: false)
            testStream = TestStream(destination: destination, sdpPath: try stream.optionalString("sdp"))
            try stream.finish()
        }
        let sipEnabled = top.hasValue("sip")
        let sip = try parseSIP(try top.section("sip"))
        let contactCenter = try parseContactCenter(try top.section("contactCenter"))
        let site = try parseSite(try top.section("context"))
        let screen = try parseScreen(try top.section("display"))
        let speaker = try parseSpeaker(try top.section("speaker"))
        let input = try parseInput(try top.section("input"))
        let control = try parseControl(try top.section("control"))
        let records = try parseRecords(try top.section("records"))
        let fleet = top.hasSection("fleet") ? try parseFleet(try top.section("fleet")) : nil
        let checkIn = top.hasSection("checkIn") ? try parseCheckIn(try top.section("checkIn")) : nil
        try top.finish()
        var config = KioskConfig(identity: identity, logLevel: level, media: media, testStream: testStream, deviceRetrySeconds: retry,
                                 sip: sip, sipEnabled: sipEnabled, contactCenter: contactCenter, site: site, screen: screen, speaker: speaker, input: input,
                                 records: records)
        config.control = control
        config.fleet = fleet
        config.checkIn = checkIn
        return config
    }

    // The value parsers below are shared by the file and the command line, so both accept and reject
    // the same things with the same words; each returns the problem and the caller names the key.

    public static func cameraSelection(_ text: String) -> Result<CameraSelection, ValueProblem> {
        switch text {
        case "auto": return .success(.automatic)
        case "synthetic": return .success(.synthetic)
        case _ where text.hasPrefix("name:") && text.count > 5: return .success(.name(String(text.dropFirst(5))))
        case _ where text.hasPrefix("/"): return .success(.path(text))
        default: return .failure(ValueProblem("'\(text)' is not auto, synthetic, a /dev path or name:CARD"))
        }
    }

    public static func frameSize(_ text: String) -> Result<FrameSize, ValueProblem> {
        FrameSize(parsing: text).map { .success($0) }
            ?? .failure(ValueProblem("'\(text)' is not WIDTHxHEIGHT with even numbers, e.g. 640x480"))
    }

    public static func microphoneSelection(_ text: String) -> Result<MicrophoneSelection, ValueProblem> {
        if text.hasPrefix("tone:") {
            guard let hz = Double(text.dropFirst(5)), (20...20_000).contains(hz) else {
                return .failure(ValueProblem("'\(text)' needs a frequency 20...20000 Hz, e.g. tone:440"))
            }
            return .success(.tone(hz))
        }
        guard !text.isEmpty, !text.contains(" ") else {
            return .failure(ValueProblem("'\(text)' is not an ALSA device name (hw:CARD,DEV) or tone:HZ"))
        }
        return .success(.alsa(text))
    }

    /// `HOST:PORT` or `[V6ADDR]:PORT` with an even port: video goes to PORT, audio to PORT+2.
    public static func streamDestination(_ text: String) -> Result<MediaDestination, ValueProblem> {
        guard let (host, port) = parseHostPort(text), port % 2 == 0, port <= 65_532 else {
            return .failure(ValueProblem("'\(text)' is not HOST:PORT with an even port (video on PORT, audio on PORT+2)"))
        }
        return .success(MediaDestination(host: host, videoPort: port, audioPort: port + 2))
    }

    static func parseHostPort(_ text: String) -> (String, Int)? {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65_535).contains(port), !host.isEmpty else { return nil }
            return (host, port)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65_535).contains(port) else { return nil }
        return (String(parts[0]), port)
    }

    static func reason(_ error: any Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            if let underlying = context.underlyingError { return "\(underlying)" }
            return context.debugDescription
        }
        return "\(error)"
    }
}

/// What is wrong with one value, before it is known which key or option it came from.
public struct ValueProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Result where Failure == ValueProblem {
    func get(_ reader: ConfigReader, _ key: String) throws(ConfigError) -> Success {
        switch self {
        case let .success(value): return value
        case let .failure(problem): throw reader.fail(key, problem.description)
        }
    }

    /// The value, or a `ConfigError` naming a command-line option.
    public func get(option: String) throws(ConfigError) -> Success {
        switch self {
        case let .success(value): return value
        case let .failure(problem): throw ConfigError(option: "--\(option)", problem: problem.description)
        }
    }
}

struct SystemError: Error {
    let reason: String
}

/// Reads a whole file (at most 1 MiB); the error carries the system's reason (No such file or directory, …).
func readFile(_ path: String) throws(SystemError) -> [UInt8] {
    do { return try readFileContents(path) } catch { throw SystemError(reason: error.reason) }
}
