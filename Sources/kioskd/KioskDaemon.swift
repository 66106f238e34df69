import ArgumentParser
import Control
import Kiosk
import Logging
import Media
import ServiceLifecycle
import Fleet
import CheckIn
#if canImport(Glibc)
import Glibc
#endif

@main
struct KioskDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskd",
        abstract: "The video kiosk daemon.",
        version: "0.1.0",
        subcommands: [Run.self, Stream.self, Call.self, Screen.self, InputTest.self],
        defaultSubcommand: Run.self
    )
}

/// Log lines go to standard error, one line each, so journald and tests read them as they come.
func makeLogger(label: String, level: String) -> Logger {
    LogLevelSwitch.current = Logger.Level(rawValue: level) ?? .info
    LoggingSystem.bootstrap { label in
        // The level is the switch's (log.level can change while the daemon runs); the handlers take all.
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .trace
        // The same lines into memory, for `kioskctl logs` and the last errors in `kioskctl status`.
        return SwitchableLogHandler(MultiplexLogHandler([handler, LogRingHandler(label: label, level: .trace)]))
    }
    return Logger(label: label)
}

/// Exit status for a configuration that cannot be used (sysexits' EX_CONFIG), so systemd does not
/// restart in a loop on it.
let exitConfigError: Int32 = 78

/// Exit status for a command-line option that cannot be used (sysexits' EX_USAGE).
let exitUsageError: Int32 = 64

func checked(_ value: Int, _ option: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int {
    guard range.contains(value) else {
        let upper = range.upperBound == Int.max ? "" : "\(range.upperBound)"
        throw ConfigError(option: "--\(option)", problem: "\(value) is out of range \(range.lowerBound)...\(upper)")
    }
    return value
}

/// Exit status for an output file that cannot be written (sysexits' EX_CANTCREAT).
let exitCannotCreate: Int32 = 73

struct FileWriteError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var reading = false
    var description: String { "cannot \(reading ? "read" : "write") \(path): \(reason)" }
}

func writeFile(_ path: String, _ text: String) throws(FileWriteError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    guard write(fd, bytes, bytes.count) == bytes.count else {
        throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
    }
}

extension KioskDaemon {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the kiosk from its configuration file.")

        @Option(name: .shortAndLong, help: "The configuration file (JSON; see README.md).")
        var config: String = "/etc/kioskd/kioskd.json"

        @Option(help: ArgumentHelp("Where configuration changes (kioskctl config set, the fleet API, check-in) are written; read instead of --config once it exists (the systemd unit: /var/lib/kioskd/kioskd.json). Without it, changes are written to --config.",
                                   valueName: "file"))
        var managedConfig: String?

        @Flag(help: "Take the kiosk's buttons from standard input (a line each: Enter calls, h hangs up, u/d/s choose), also when it is not a terminal.")
        var keysFromStdin = false

        func run() async throws {
            let settings: KioskConfig
            let loaded: (config: KioskConfig, path: String, problem: ConfigError?)
            do {
                loaded = try LiveConfiguration.load(factoryPath: config, managedPath: managedConfig)
                settings = loaded.config
            } catch {
                FileHandleStderr.write("kioskd: \(error)\n")
                throw ExitCode(exitConfigError)
            }
            let logger = makeLogger(label: "kioskd", level: settings.logLevel)
            if let problem = loaded.problem {
                // The changed configuration cannot be used (a damaged file): the factory one keeps the kiosk up.
                logger.error("config: \(problem); running on the factory configuration \(config) instead")
            }
            logger.info("kioskd \(KioskDaemon.configuration.version) starting: kiosk \(settings.identity.id) (\(settings.identity.name)), config \(loaded.path)")
            let live = LiveConfiguration(settings, factoryPath: config, managedPath: managedConfig)
            live.observe { changed in
                if let level = Logger.Level(rawValue: changed.logLevel), level != LogLevelSwitch.current {
                    LogLevelSwitch.current = level
                    logger.notice("log: level now \(level)")
                }
            }
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
                .init(service: DeviceWatchService(settings: settings.media, logger: logger)),
            ]
            var sipAgent: SIPAgentService?
            var recordsService: RecordsService?
            if settings.sipEnabled {
                // Records first: the database is open (a crash's leftovers closed) before a call can start.
                let records = RecordsService(config: settings, logger: logger)
                recordsService = records
                services.append(.init(service: records))
                let sip = SIPAgentService(config: settings, recorder: records.recorder, logger: logger)
                sipAgent = sip
                live.observe { changed in await sip.controller.reconfigure(changed) }
                services.append(.init(service: sip))
                if settings.input.evdev != nil || settings.input.gpio != nil {
                    services.append(.init(service: KeyInputService(sources: settings.input, controller: sip.controller, logger: logger),
                                          successTerminationBehavior: .ignore))
                }
                // A terminal's Enter is the call button (the embedded default); under systemd stdin is /dev/null.
                if keysFromStdin || isatty(0) == 1 {
                    services.append(.init(service: TerminalKeys(controller: sip.controller, logger: logger),
                                          successTerminationBehavior: .ignore))
                }
            }
            if let test = settings.testStream {
                let streamer = MediaStreamer(settings: settings.media, destination: test.destination,
                                             retryInterval: settings.deviceRetrySeconds, logger: logger)
                if let sdp = test.sdpPath {
                    // The stream goes on without its description; a technician reads why in the log.
                    do {
                        try writeFile(sdp, StreamDescription(destination: test.destination, settings: settings.media).sdp)
                        logger.info("test stream: SDP written to \(sdp)")
                    } catch {
                        logger.error("test stream: SDP \(error)")
                    }
                }
                services.append(.init(service: MediaStreamService(streamer: streamer, logger: logger),
                                      successTerminationBehavior: .gracefullyShutdownGroup))
            }
            if settings.control.enabled {
                // Without its control socket the kiosk still serves customers; the log says why.
                services.append(.init(service: ControlService(live: live, version: KioskDaemon.configuration.version, sipAgent: sipAgent, logger: logger),
                                      successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
            }
            if let fleet = settings.fleet {
                // Like the control socket: a kiosk whose API cannot start still serves customers.
                let management = KioskManagement(live: live, version: KioskDaemon.configuration.version, sipAgent: sipAgent,
                                                 records: recordsService?.store, logger: logger)
                services.append(.init(service: FleetService(settings: fleet, management: management, logger: logger),
                                      successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
            }
            if let checkIn = settings.checkIn {
                // Posting to the fleet server from behind NAT; a configuration it sends takes replaceConfig's
                // path on the same live configuration as PUT /v1/config and kioskctl config set. Without its
                // check-in the kiosk still serves customers.
                let management = KioskManagement(live: live, version: KioskDaemon.configuration.version, sipAgent: sipAgent, logger: logger)
                services.append(.init(service: CheckInService(settings: checkIn, management: management, logger: logger),
                                      successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
            }
            services.append(.init(service: SystemdService(supervising: services.map(\.service), logger: logger)))
            var groupConfig = ServiceGroupConfiguration(services: services, logger: logger)
            groupConfig.gracefulShutdownSignals = [.sigterm, .sigint]
            groupConfig.maximumGracefulShutdownDuration = .seconds(10)
            try await ServiceGroup(configuration: groupConfig).run()
            logger.info("kioskd stopped")
            if DaemonRestart.isRequested {
                // Asked over the fleet API: systemd (Restart=on-failure) starts kioskd again.
                throw ExitCode(DaemonRestart.exitCode)
            }
        }
    }

    struct Stream: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the media pipeline alone toward HOST:PORT (video on PORT, audio on PORT+2) and write its SDP.")

        @Option(help: "Destination HOST:PORT (even port).")
        var to: String

        @Option(help: "Write the SDP describing the stream to this file.")
        var sdp: String?

        @Option(help: "Take defaults for devices and codecs from this configuration file.")
        var config: String?

        @Option(help: "Camera: auto, synthetic, a /dev path or name:CARD.")
        var camera: String?

        @Option(help: "Frame size WIDTHxHEIGHT.")
        var size: String?

        @Option(help: "Frames per second.")
        var fps: Int?

        @Option(help: "Microphone: tone:HZ or an ALSA device (hw:Loopback,1,0).")
        var microphone: String?

        @Option(help: "Video bitrate in kbit/s.")
        var bitrate: Int?

        @Option(help: "Stop after this many video frames.")
        var frames: Int?

        @Option(help: "Stop after this many seconds.")
        var seconds: Double?

        @Flag(help: "Write the SDP and exit without streaming (to start a receiver first).")
        var sdpOnly = false

        @Flag(help: "Send no video.")
        var noVideo = false

        @Flag(help: "Send no audio.")
        var noAudio = false

        @Flag(help: "Send SRTP and SRTCP (AES_CM_128_HMAC_SHA1_80) with fresh random keys, written into the SDP as a=crypto.")
        var srtp = false

        @Option(help: ArgumentHelp("Send SRTP with the keys of this SDP file (one that --srtp --sdp-only wrote), so a receiver that opened it can decrypt.",
                                   valueName: "sdp-file"))
        var srtpKeysFrom: String?

        @Option(help: "Log level (trace, debug, info, warning, error).")
        var logLevel: String = "info"

        func run() async throws {
            var base = KioskConfig()
            if let config {
                do { base = try KioskConfig.load(path: config) } catch {
                    FileHandleStderr.write("kioskd: \(error)\n")
                    throw ExitCode(exitConfigError)
                }
            }
            var media = base.media
            var destination: MediaDestination
            do {
                // The options go through the configuration's own value parsers, so both say the same things.
                if let camera { media.camera = try KioskConfig.cameraSelection(camera).get(option: "camera") }
                if let size { media.size = try KioskConfig.frameSize(size).get(option: "size") }
                if let microphone { media.microphone = try KioskConfig.microphoneSelection(microphone).get(option: "microphone") }
                destination = try KioskConfig.streamDestination(to).get(option: "to")
                if let fps { media.framesPerSecond = try checked(fps, "fps", 1...120) }
                if let bitrate { media.videoBitrateKbps = try checked(bitrate, "bitrate", 50...20_000) }
                if let frames { _ = try checked(frames, "frames", 1...Int.max) }
                if let seconds, !(seconds > 0) { throw ConfigError(option: "--seconds", problem: "\(seconds) is not a positive number") }
                if sdpOnly && sdp == nil { throw ConfigError(option: "--sdp-only", problem: "needs --sdp FILE") }
                if srtp && srtpKeysFrom != nil { throw ConfigError(option: "--srtp-keys-from", problem: "cannot be given with --srtp") }
                if srtp { destination.srtp = SRTPKeys.random() }
                if let srtpKeysFrom {
                    let text: String
                    do { text = try readFile(srtpKeysFrom) } catch { throw ConfigError(option: "--srtp-keys-from", problem: "\(error)") }
                    do { destination.srtp = try StreamDescription.srtpKeys(in: text) } catch {
                        throw ConfigError(option: "--srtp-keys-from", problem: "\(srtpKeysFrom): \(error)")
                    }
                }
            } catch {
                FileHandleStderr.write("kioskd: \(error)\n")
                throw ExitCode(exitUsageError)
            }

            if let sdp {
                do {
                    try writeFile(sdp, StreamDescription(destination: destination, settings: media, sendVideo: !noVideo, sendAudio: !noAudio).sdp)
                } catch {
                    FileHandleStderr.write("kioskd: SDP \(error)\n")
                    throw ExitCode(exitCannotCreate)
                }
            }
            if sdpOnly { return }
            let logger = makeLogger(label: "kioskd", level: logLevel)
            let streamer = MediaStreamer(settings: media, destination: destination, sendVideo: !noVideo, sendAudio: !noAudio,
                                         limits: .init(videoFrames: frames, seconds: seconds),
                                         retryInterval: base.deviceRetrySeconds, logger: logger)
            var groupConfig = ServiceGroupConfiguration(services: [.init(service: MediaStreamService(streamer: streamer, logger: logger),
                                                                                successTerminationBehavior: .gracefullyShutdownGroup)],
                                                        logger: logger)
            groupConfig.gracefulShutdownSignals = [.sigterm, .sigint]
            try await ServiceGroup(configuration: groupConfig).run()
            let s = streamer.statistics
            // A technician's run fails when a device never delivered anything.
            if (!noVideo && s.videoFramesSent == 0) || (!noAudio && s.audioPacketsSent == 0) {
                throw ExitCode(1)
            }
        }
    }
}

/// A small text file's contents (an SDP).
func readFile(_ path: String) throws(FileWriteError) -> String {
    String(decoding: try readFileBytes(path, limit: 1 << 20), as: UTF8.self)
}

/// A file's bytes, refused past `limit`.
func readFileBytes(_ path: String, limit: Int) throws(FileWriteError) -> [UInt8] {
    do { return try readFileContents(path, limit: limit) } catch {
        throw FileWriteError(path: path, reason: error.reason, reading: true)
    }
}

enum FileHandleStderr {
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = Glibc.write(2, bytes, bytes.count)
    }
}
