#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Input
import Kiosk
import Media
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The configuration file as a technician writes it: what each key becomes, and the one line they read
/// when the file cannot be used (it must name the file and the key, and say what is wrong).
@Suite struct KioskConfigTests {
    static let file = "/etc/kioskd/kioskd.json"

    static func parse(_ json: String) throws(ConfigError) -> KioskConfig {
        try KioskConfig.parse(Array(json.utf8), file: file)
    }

    /// The error a broken file gives, or nil (and a recorded issue) if it was accepted.
    static func failure(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigError? {
        do {
            let config = try parse(json)
            Issue.record("accepted: \(json) → \(config)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Defaults

    @Test func emptyObjectGivesTheDocumentedDefaults() throws {
        let config = try Self.parse("{}")
        #expect(config.identity == KioskConfig.Identity(id: "kiosk", name: "kiosk"))
        #expect(config.logLevel == "info")
        #expect(config.deviceRetrySeconds == 5)
        #expect(config.testStream == nil)
        let m = config.media
        #expect(m.camera == .automatic)
        #expect(m.size == FrameSize(width: 640, height: 480))
        #expect(m.framesPerSecond == 30)
        #expect(m.microphone == .tone(440))
        #expect(m.videoBitrateKbps == 1200)
        #expect(m.cpuUsed == -6)
        #expect(m.encoderThreads == 1)
        #expect(m.keyFrameIntervalSeconds == 10)
        #expect(m.maxPayloadSize == 1200)
        #expect(m.audioBitrateKbps == 32)
        #expect(m.videoPayloadType == 96)
        #expect(m.audioPayloadType == 111)
        // The same as the values the code starts from, so the file and the command line agree.
        #expect(config == KioskConfig())
    }

    @Test func emptySectionsAndNullsTakeTheDefaults() throws {
        let config = try Self.parse("""
            { "kiosk": {}, "log": { "level": null }, "camera": null, "microphone": {}, "video": {},
              "audio": {}, "devices": { "retrySeconds": null } }
            """)
        #expect(config == KioskConfig())
    }

    /// `null` means "left out" for every key and section, so `"testStream": null` means no test stream.
    @Test func nullTestStreamMeansNone() throws {
        let config = try Self.parse(#"{ "testStream": null }"#)
        #expect(config.testStream == nil)
    }

    // MARK: - Every key into its field

    @Test func fullConfigRoundTripsEveryKey() throws {
        let config = try Self.parse("""
            {
              "kiosk": { "id": "KSK-0412", "name": "Town hall, ground floor, entrance B" },
              "log": { "level": "debug" },
              "camera": { "device": "/dev/kiosk-camera", "size": "1280x720", "fps": 25 },
              "microphone": { "device": "plughw:CARD=KioskAudio,DEV=0" },
              "video": { "bitrateKbps": 1500, "cpuUsed": 4, "threads": 2, "keyFrameIntervalSeconds": 3, "maxPayloadSize": 1000 },
              "audio": { "bitrateKbps": 64 },
              "devices": { "retrySeconds": 2.5 },
              "testStream": { "to": "192.0.2.7:6000", "rtcpMux": true, "sdp": "/run/kioskd/test.sdp" }
            }
            """)
        #expect(config.identity.id == "KSK-0412")
        #expect(config.identity.name == "Town hall, ground floor, entrance B")
        #expect(config.logLevel == "debug")
        #expect(config.deviceRetrySeconds == 2.5)
        let m = config.media
        #expect(m.camera == .path("/dev/kiosk-camera"))
        #expect(m.size == FrameSize(width: 1280, height: 720))
        #expect(m.framesPerSecond == 25)
        #expect(m.microphone == .alsa("plughw:CARD=KioskAudio,DEV=0"))
        #expect(m.videoBitrateKbps == 1500)
        #expect(m.cpuUsed == 4)
        #expect(m.encoderThreads == 2)
        #expect(m.keyFrameIntervalSeconds == 3)
        #expect(m.maxPayloadSize == 1000)
        #expect(m.audioBitrateKbps == 64)
        let stream = try #require(config.testStream)
        #expect(stream.destination == MediaDestination(host: "192.0.2.7", videoPort: 6000, audioPort: 6002, rtcpMux: true))
        #expect(stream.sdpPath == "/run/kioskd/test.sdp")
        // The encoder gets them too: the key frame interval is in frames.
        #expect(m.encoderSettings.keyFrameInterval == 75)
        #expect(m.encoderSettings.threads == 2)
    }

    @Test(arguments: [
        ("auto", CameraSelection.automatic),
        ("synthetic", .synthetic),
        ("/dev/video0", .path("/dev/video0")),
        ("/dev/v4l/by-id/usb-046d_C920-video-index0", .path("/dev/v4l/by-id/usb-046d_C920-video-index0")),
        ("name:vivid", .name("vivid")),
        ("name:HD Pro Webcam C920", .name("HD Pro Webcam C920")),
    ])
    func cameraDevice(_ text: String, _ expected: CameraSelection) throws {
        let config = try Self.parse(#"{ "camera": { "device": "\#(text)" } }"#)
        #expect(config.media.camera == expected)
        #expect(config.media.camera.description == text || text == "auto")
    }

    @Test(arguments: [
        ("tone:440", MicrophoneSelection.tone(440)),
        ("tone:1000.5", .tone(1000.5)),
        ("tone:20", .tone(20)),
        ("tone:20000", .tone(20_000)),
        ("hw:Loopback,1,0", .alsa("hw:Loopback,1,0")),
        ("plughw:CARD=KioskAudio,DEV=0", .alsa("plughw:CARD=KioskAudio,DEV=0")),
        ("default", .alsa("default")),
    ])
    func microphoneDevice(_ text: String, _ expected: MicrophoneSelection) throws {
        let config = try Self.parse(#"{ "microphone": { "device": "\#(text)" } }"#)
        #expect(config.media.microphone == expected)
    }

    @Test(arguments: [
        ("16x16", 16, 16),
        ("320x240", 320, 240),
        ("1920x1080", 1920, 1080),
        ("7680x4320", 7680, 4320),
    ])
    func cameraSize(_ text: String, _ width: Int, _ height: Int) throws {
        let config = try Self.parse(#"{ "camera": { "size": "\#(text)" } }"#)
        #expect(config.media.size == FrameSize(width: width, height: height))
    }

    @Test(arguments: [
        ("127.0.0.1:5004", "127.0.0.1", 5004),
        ("192.0.2.7:2", "192.0.2.7", 2),
        ("receiver.example.net:40000", "receiver.example.net", 40000),
        ("localhost:65532", "localhost", 65532),
        ("[::1]:5004", "::1", 5004),
        ("[2001:db8::17]:6000", "2001:db8::17", 6000),
    ])
    func testStreamDestination(_ text: String, _ host: String, _ port: Int) throws {
        let config = try Self.parse(#"{ "testStream": { "to": "\#(text)" } }"#)
        let stream = try #require(config.testStream)
        #expect(stream.destination == MediaDestination(host: host, videoPort: port, audioPort: port + 2, rtcpMux: false))
        #expect(stream.sdpPath == nil)
    }

    @Test func rtcpMuxFalseKeepsRTCPOnItsOwnPort() throws {
        let config = try Self.parse(#"{ "testStream": { "to": "127.0.0.1:5004", "rtcpMux": false } }"#)
        #expect(try #require(config.testStream).destination.rtcpMux == false)
    }

    @Test(arguments: KioskConfig.logLevels)
    func everyLogLevelIsAccepted(_ level: String) throws {
        #expect(try Self.parse(#"{ "log": { "level": "\#(level)" } }"#).logLevel == level)
    }

    @Test func wholeNumbersWrittenWithAPointAreAccepted() throws {
        let config = try Self.parse(#"{ "camera": { "fps": 15.0 }, "video": { "cpuUsed": -16 } }"#)
        #expect(config.media.framesPerSecond == 15)
        #expect(config.media.cpuUsed == -16)
    }

    @Test func rangeEndsAreAccepted() throws {
        let low = try Self.parse("""
            { "camera": { "fps": 1 }, "video": { "bitrateKbps": 50, "cpuUsed": -16, "threads": 1, "keyFrameIntervalSeconds": 0,
              "maxPayloadSize": 200 }, "audio": { "bitrateKbps": 6 }, "devices": { "retrySeconds": 0.1 } }
            """)
        #expect(low.media.framesPerSecond == 1 && low.media.videoBitrateKbps == 50 && low.media.keyFrameIntervalSeconds == 0)
        #expect(low.media.maxPayloadSize == 200 && low.media.audioBitrateKbps == 6 && low.deviceRetrySeconds == 0.1)
        let high = try Self.parse("""
            { "camera": { "fps": 120 }, "video": { "bitrateKbps": 20000, "cpuUsed": 16, "threads": 8, "keyFrameIntervalSeconds": 3600,
              "maxPayloadSize": 1400 }, "audio": { "bitrateKbps": 510 }, "devices": { "retrySeconds": 3600 } }
            """)
        #expect(high.media.framesPerSecond == 120 && high.media.videoBitrateKbps == 20_000 && high.media.encoderThreads == 8)
        #expect(high.media.maxPayloadSize == 1400 && high.media.audioBitrateKbps == 510 && high.deviceRetrySeconds == 3600)
    }

    /// The example files shipped for the boards are valid and say what they mean.
    @Test func shippedExampleConfigsLoad() throws {
        var root = #filePath
        for _ in 0..<3 { root = String(root[..<root.lastIndex(of: "/")!]) }
        let example = try KioskConfig.load(path: "\(root)/Board/example/kioskd.json")
        #expect(example.identity.id == "KSK-0412")
        #expect(example.media.camera == .path("/dev/kiosk-camera"))
        #expect(example.media.size == FrameSize(width: 1280, height: 720))
        #expect(example.media.microphone == .alsa("plughw:CARD=KioskAudio,DEV=0"))
        #expect(example.media.videoBitrateKbps == 1500)
        #expect(example.testStream == nil)
        #expect(example.sipEnabled && example.sip.registrar == "sip:cc.example.org" && example.sip.rtpPorts == 20000...20099)
        #expect(example.contactCenter.targets["loans"] == "sip:loans@cc.example.org")
        #expect(example.contactCenter.endpoints == ["sip:sbc1.cc.example.org", "sip:sbc2.cc.example.org"])
        #expect(example.site.tagging.fields.first == .kioskID && example.site.latitude == 47.371722)
        let embedded = try KioskConfig.load(path: "\(root)/Board/embedded/kioskd.json")
        #expect(embedded.identity.id == "KSK-DEV-0001")
        #expect(embedded.media.camera == .automatic)
        #expect(embedded.testStream == nil && embedded.sipEnabled)
        #expect(embedded.contactCenter.targets["general"] == "sip:agent@127.0.0.1:5070")
        #expect(embedded.screen.output == .offscreen(directory: "out/screen"))
    }

    // MARK: - Broken files: one line naming the file, the key and the problem

    struct Broken: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        let key: String
        let problem: String
        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "top level is a list", json: "[1, 2]", key: "",
               problem: "expected an object, found a list"),
        Broken(name: "top level is a string", json: #""camera""#, key: "",
               problem: "expected an object, found a string"),
        Broken(name: "unknown top-level key", json: #"{ "cmaera": { "fps": 30 } }"#, key: "cmaera",
               problem: "unknown setting (known here: audio, camera, checkIn, contactCenter, context, control, devices, display, fleet, input, kiosk, log, microphone, records, sip, speaker, testStream, video)"),
        Broken(name: "misspelt nested key", json: #"{ "camera": { "fsp": 25 } }"#, key: "camera.fsp",
               problem: "unknown setting (known here: device, fps, size)"),
        Broken(name: "unknown key in testStream", json: #"{ "testStream": { "to": "127.0.0.1:5004", "rtcp-mux": 1 } }"#,
               key: "testStream.rtcp-mux", problem: "unknown setting (known here: rtcpMux, sdp, to)"),
        Broken(name: "section is not an object", json: #"{ "camera": "/dev/video0" }"#, key: "camera",
               problem: "expected an object, found a string"),
        Broken(name: "number given as a string", json: #"{ "camera": { "fps": "30" } }"#, key: "camera.fps",
               problem: "expected a whole number in 1...120, found a string"),
        Broken(name: "string given as a number", json: #"{ "kiosk": { "id": 412 } }"#, key: "kiosk.id",
               problem: "expected a string, found a number"),
        Broken(name: "string given as a list", json: #"{ "microphone": { "device": ["hw:0"] } }"#, key: "microphone.device",
               problem: "expected a string, found a list"),
        Broken(name: "double given as a bool", json: #"{ "devices": { "retrySeconds": true } }"#, key: "devices.retrySeconds",
               problem: "expected a number, found true/false"),
        Broken(name: "fps zero", json: #"{ "camera": { "fps": 0 } }"#, key: "camera.fps",
               problem: "0 is out of range 1...120"),
        Broken(name: "video bitrate too high", json: #"{ "video": { "bitrateKbps": 30000 } }"#, key: "video.bitrateKbps",
               problem: "30000 is out of range 50...20000"),
        Broken(name: "negative threads", json: #"{ "video": { "threads": -1 } }"#, key: "video.threads",
               problem: "-1 is out of range 1...8"),
        Broken(name: "payload too large", json: #"{ "video": { "maxPayloadSize": 1500 } }"#, key: "video.maxPayloadSize",
               problem: "1500 is out of range 200...1400"),
        Broken(name: "audio bitrate too low", json: #"{ "audio": { "bitrateKbps": 5 } }"#, key: "audio.bitrateKbps",
               problem: "5 is out of range 6...510"),
        Broken(name: "retry too quick", json: #"{ "devices": { "retrySeconds": 0.05 } }"#, key: "devices.retrySeconds",
               problem: "0.05 is out of range 0.1...3600.0"),
        Broken(name: "rtcpMux as a number", json: #"{ "testStream": { "to": "127.0.0.1:5004", "rtcpMux": 1 } }"#,
               key: "testStream.rtcpMux", problem: "expected true or false, found a number"),
        Broken(name: "fractional fps", json: #"{ "camera": { "fps": 29.97 } }"#, key: "camera.fps",
               problem: "expected a whole number in 1...120, found 29.97"),
        Broken(name: "fractional key frame interval", json: #"{ "video": { "keyFrameIntervalSeconds": 0.5 } }"#,
               key: "video.keyFrameIntervalSeconds", problem: "expected a whole number in 0...3600, found 0.5"),
        Broken(name: "huge integer", json: #"{ "audio": { "bitrateKbps": 1e30 } }"#, key: "audio.bitrateKbps",
               problem: "expected a whole number in 6...510, found 1e+30"),
        Broken(name: "rtcpMux as a string", json: #"{ "testStream": { "to": "127.0.0.1:5004", "rtcpMux": "yes" } }"#,
               key: "testStream.rtcpMux", problem: "expected true or false, found a string"),
        Broken(name: "odd width", json: #"{ "camera": { "size": "641x480" } }"#, key: "camera.size",
               problem: "'641x480' is not WIDTHxHEIGHT with even numbers, e.g. 640x480"),
        Broken(name: "size with a star", json: #"{ "camera": { "size": "640*480" } }"#, key: "camera.size",
               problem: "'640*480' is not WIDTHxHEIGHT with even numbers, e.g. 640x480"),
        Broken(name: "size too small", json: #"{ "camera": { "size": "8x8" } }"#, key: "camera.size",
               problem: "'8x8' is not WIDTHxHEIGHT with even numbers, e.g. 640x480"),
        Broken(name: "size with a third part", json: #"{ "camera": { "size": "640x480x2" } }"#, key: "camera.size",
               problem: "'640x480x2' is not WIDTHxHEIGHT with even numbers, e.g. 640x480"),
        Broken(name: "odd port", json: #"{ "testStream": { "to": "127.0.0.1:5005" } }"#, key: "testStream.to",
               problem: "'127.0.0.1:5005' is not HOST:PORT with an even port (video on PORT, audio on PORT+2)"),
        Broken(name: "port leaves no room for audio RTCP", json: #"{ "testStream": { "to": "127.0.0.1:65534" } }"#, key: "testStream.to",
               problem: "'127.0.0.1:65534' is not HOST:PORT with an even port (video on PORT, audio on PORT+2)"),
        Broken(name: "no port", json: #"{ "testStream": { "to": "127.0.0.1" } }"#, key: "testStream.to",
               problem: "'127.0.0.1' is not HOST:PORT with an even port (video on PORT, audio on PORT+2)"),
        Broken(name: "IPv6 without brackets", json: #"{ "testStream": { "to": "::1:5004" } }"#, key: "testStream.to",
               problem: "'::1:5004' is not HOST:PORT with an even port (video on PORT, audio on PORT+2)"),
        Broken(name: "testStream without to", json: #"{ "testStream": { "sdp": "/tmp/x.sdp" } }"#, key: "testStream.to",
               problem: "'' is not HOST:PORT with an even port (video on PORT, audio on PORT+2)"),
        Broken(name: "tone too low", json: #"{ "microphone": { "device": "tone:5" } }"#, key: "microphone.device",
               problem: "'tone:5' needs a frequency 20...20000 Hz, e.g. tone:440"),
        Broken(name: "tone too high", json: #"{ "microphone": { "device": "tone:30000" } }"#, key: "microphone.device",
               problem: "'tone:30000' needs a frequency 20...20000 Hz, e.g. tone:440"),
        Broken(name: "tone not a number", json: #"{ "microphone": { "device": "tone:A4" } }"#, key: "microphone.device",
               problem: "'tone:A4' needs a frequency 20...20000 Hz, e.g. tone:440"),
        Broken(name: "ALSA name with a space", json: #"{ "microphone": { "device": "hw:0, 0" } }"#, key: "microphone.device",
               problem: "'hw:0, 0' is not an ALSA device name (hw:CARD,DEV) or tone:HZ"),
        Broken(name: "empty microphone", json: #"{ "microphone": { "device": "" } }"#, key: "microphone.device",
               problem: "'' is not an ALSA device name (hw:CARD,DEV) or tone:HZ"),
        Broken(name: "camera not a path", json: #"{ "camera": { "device": "video0" } }"#, key: "camera.device",
               problem: "'video0' is not auto, synthetic, a /dev path or name:CARD"),
        Broken(name: "camera name empty", json: #"{ "camera": { "device": "name:" } }"#, key: "camera.device",
               problem: "'name:' is not auto, synthetic, a /dev path or name:CARD"),
        Broken(name: "unknown log level", json: #"{ "log": { "level": "verbose" } }"#, key: "log.level",
               problem: "'verbose' is not one of trace, debug, info, notice, warning, error, critical"),
        Broken(name: "display device not a path", json: #"{ "display": { "device": "fb0" } }"#, key: "display.device",
               problem: "'fb0' is not none, a framebuffer path (/dev/fb0) or offscreen:DIRECTORY"),
        Broken(name: "display language without strings", json: #"{ "display": { "languages": ["en", "fr"] } }"#,
               key: "display.languages", problem: "'fr' has no strings; known: en, de, zh"),
        Broken(name: "display without languages", json: #"{ "display": { "languages": [] } }"#,
               key: "display.languages", problem: "at least one language is needed"),
        Broken(name: "speaker device with a space", json: #"{ "speaker": { "device": "hw 0" } }"#, key: "speaker.device",
               problem: "'hw 0' is not an ALSA device name (default, plughw:CARD=X,DEV=0) or none"),
        Broken(name: "input device neither path nor name", json: #"{ "input": { "evdev": { "device": "event0" } } }"#,
               key: "input.evdev.device", problem: "'event0' is neither a path (/dev/input/event0) nor name:DEVICE NAME"),
        Broken(name: "gpio without a line", json: #"{ "input": { "gpio": { "chip": "gpiochip0" } } }"#,
               key: "input.gpio.line", problem: "the GPIO line's number or name is needed"),
        Broken(name: "gpio bias unknown", json: #"{ "input": { "gpio": { "line": 17, "bias": "strong" } } }"#,
               key: "input.gpio.bias", problem: "'strong' is not one of as-is, disabled, pull-up, pull-down"),
        Broken(name: "log level in capitals", json: #"{ "log": { "level": "INFO" } }"#, key: "log.level",
               problem: "'INFO' is not one of trace, debug, info, notice, warning, error, critical"),
    ]

    @Test(arguments: broken)
    func brokenFileNamesFileKeyAndProblem(_ case_: Broken) throws {
        let error = try #require(Self.failure(case_.json))
        #expect(error == ConfigError(file: Self.file, key: case_.key, problem: case_.problem))
        let expected = case_.key.isEmpty ? "config \(Self.file): \(case_.problem)"
                                         : "config \(Self.file): \(case_.key): \(case_.problem)"
        #expect(error.description == expected)
        #expect(!error.description.contains("\n"))
    }

    /// A misspelt optional section must be listed among the known keys, like every other one.
    @Test func misspeltTestStreamListsTestStreamAsKnown() throws {
        let error = try #require(Self.failure(#"{ "testStrem": { "to": "127.0.0.1:5004" } }"#))
        #expect(error.key == "testStrem")
        #expect(error.problem.hasPrefix("unknown setting (known here: "))
        #expect(error.problem == "unknown setting (known here: audio, camera, checkIn, contactCenter, context, control, devices, display, fleet, input, kiosk, log, microphone, records, sip, speaker, testStream, video)")
    }

    @Test func inputSectionWithAnEvdevDeviceAndAGPIOLine() throws {
        #expect(try Self.parse("{}").input == InputSources())
        let config = try Self.parse(#"""
            { "input": { "debounceMs": 30,
                         "evdev": { "device": "name:USB Call Button", "grab": false, "keys": { "call": ["KEY_F1", "KEY_ENTER"] } },
                         "gpio": { "chip": "gpiochip0", "line": 17 } } }
            """#)
        let evdev = try #require(config.input.evdev)
        #expect(evdev.device == .name("USB Call Button") && !evdev.grab && evdev.timing.debounce == .milliseconds(30))
        #expect(evdev.keyMap.codes[59] == .call && evdev.keyMap.codes[28] == .call)
        let gpio = try #require(config.input.gpio)
        #expect(gpio.chip == "gpiochip0" && gpio.line == .offset(17) && gpio.activeLow && gpio.key == .call)
        #expect(try Self.parse(#"{ "input": { "gpio": { "line": "CALL_BUTTON" } } }"#).input.gpio?.line == .name("CALL_BUTTON"))
    }

    @Test func displayAndSpeakerSectionsAndTheirDefaults() throws {
        let defaults = try Self.parse("{}")
        #expect(defaults.screen == ScreenSettings() && defaults.screen.output == .none)
        #expect(defaults.speaker.device == nil && defaults.speaker.echoCancellation && defaults.speaker.noiseSuppression)
        let config = try Self.parse(#"""
            { "display": { "device": "offscreen:/tmp/kiosk-screen", "size": "800x1280", "fps": 25, "snapshotsPerSecond": 4,
                           "languages": ["de", "en", "zh"] },
              "speaker": { "device": "plughw:CARD=KioskAudio,DEV=0", "echoCancellation": false, "noiseSuppression": false } }
            """#)
        #expect(config.screen.output == .offscreen(directory: "/tmp/kiosk-screen"))
        #expect(config.screen.size == FrameSize(width: 800, height: 1280) && config.screen.framesPerSecond == 25)
        #expect(config.screen.snapshotsPerSecond == 4 && config.screen.languages == ["de", "en", "zh"])
        #expect(config.speaker == SpeakerSettings(device: "plughw:CARD=KioskAudio,DEV=0", echoCancellation: false, noiseSuppression: false))
        #expect(try Self.parse(#"{ "display": { "device": "/dev/kiosk-display" } }"#).screen.output == .framebuffer("/dev/kiosk-display"))
    }

    @Test func firstProblemInFileOrderOfSectionsIsReported() throws {
        // Both are wrong; the reader checks camera before video and stops at the first.
        let error = try #require(Self.failure(#"{ "video": { "threads": 0 }, "camera": { "fps": 500 } }"#))
        #expect(error.key == "camera.fps")
    }

    // MARK: - Not JSON at all

    struct Invalid: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        /// Where and what, after "not valid JSON: ".
        let place: String
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(name: "missing comma", text: "{\n  \"kiosk\": { \"id\": \"a\" }\n  \"log\": {}\n}\n",
                place: #"line 3, column 3: unexpected '"', expected ',' or '}'"#),
        Invalid(name: "truncated", text: #"{ "camera": { "fps": 30 }"#,
                place: "line 1, column 26: the file ends, expected ',' or '}'"),
        Invalid(name: "empty file", text: "",
                place: #"line 1, column 1: the file ends, expected a value (a "string", number, true, false, null, [ or {)"#),
        Invalid(name: "comment", text: "{\n  // the camera\n  \"camera\": {}\n}",
                place: #"line 2, column 3: unexpected "/", expected a "quoted" key"#),
        Invalid(name: "single quotes", text: "{ 'camera': {} }",
                place: #"line 1, column 3: unexpected "'", expected a "quoted" key"#),
        Invalid(name: "bare word", text: "camera",
                place: #"line 1, column 1: unexpected "c", expected a value (a "string", number, true, false, null, [ or {)"#),
        Invalid(name: "unclosed string", text: "{ \"kiosk\": { \"name\": \"Town hall }\n}",
                place: "line 1, column 34: line break or control character inside a string (a missing closing quote?)"),
        Invalid(name: "umlaut before the mistake", text: #"{ "kiosk": { "name": "Rathaus Ölten" x } }"#,
                place: #"line 1, column 38: unexpected "x", expected ',' or '}'"#),
    ]

    /// JSONDecoder says only that the text is not JSON; the locator says where, in lines and characters.
    @Test(arguments: invalid)
    func invalidJSONSaysWhere(_ case_: Invalid) throws {
        let error = try #require(Self.failure(case_.text))
        #expect(error == ConfigError(file: Self.file, key: "", problem: "not valid JSON: \(case_.place)"))
        #expect(error.description == "config \(Self.file): not valid JSON: \(case_.place)")
    }

    /// The decoder is lenient about a trailing comma; such a file is read as meant.
    @Test func trailingCommaIsAccepted() throws {
        let config = try Self.parse("{\n  \"camera\": { \"fps\": 24, },\n}\n")
        #expect(config.media.framesPerSecond == 24)
    }

    // MARK: - load(path:)

    @Test func loadMissingFileSaysCannotRead() throws {
        let path = "/nonexistent-\(getpid())/kioskd.json"
        do {
            _ = try KioskConfig.load(path: path)
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error == ConfigError(file: path, key: "", problem: "cannot read: No such file or directory"))
            #expect(error.description == "config \(path): cannot read: No such file or directory")
        }
    }

    @Test func loadDirectorySaysCannotRead() throws {
        do {
            _ = try KioskConfig.load(path: "/tmp")
            Issue.record("a directory was accepted")
        } catch {
            #expect(error.description == "config /tmp: cannot read: Is a directory")
        }
    }

    @Test func loadReadsAFileAndNamesItInErrors() throws {
        let path = "/tmp/kioskd-config-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        defer { unlink(path) }
        try write(path, #"{ "kiosk": { "id": "KSK-7" }, "camera": { "device": "synthetic", "fps": 12 } }"#)
        let config = try KioskConfig.load(path: path)
        #expect(config.identity.id == "KSK-7")
        #expect(config.media.camera == .synthetic)
        #expect(config.media.framesPerSecond == 12)

        try write(path, #"{ "camera": { "fps": 121 } }"#)
        do {
            _ = try KioskConfig.load(path: path)
            Issue.record("fps 121 was accepted")
        } catch {
            #expect(error.description == "config \(path): camera.fps: 121 is out of range 1...120")
        }
    }

    private func write(_ path: String, _ text: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        defer { close(fd) }
        let bytes = Array(text.utf8)
        #expect(Glibc.write(fd, bytes, bytes.count) == bytes.count)
    }

    // MARK: - The command line's value parsers say the same, naming the option

    @Test func commandLineOptionErrorsNameTheOption() {
        #expect(throws: ConfigError(option: "--size",
                                    problem: "'641x480' is not WIDTHxHEIGHT with even numbers, e.g. 640x480")) {
            try KioskConfig.frameSize("641x480").get(option: "size")
        }
        #expect(throws: ConfigError(option: "--to",
                                    problem: "'127.0.0.1:5005' is not HOST:PORT with an even port (video on PORT, audio on PORT+2)")) {
            try KioskConfig.streamDestination("127.0.0.1:5005").get(option: "to")
        }
        #expect(throws: ConfigError(option: "--camera",
                                    problem: "'bogus' is not auto, synthetic, a /dev path or name:CARD")) {
            try KioskConfig.cameraSelection("bogus").get(option: "camera")
        }
        #expect(ConfigError(option: "--size", problem: "x").description == "option --size: x")
    }
}
