import Testing
@testable import Kiosk

/// `kioskd_device_up`'s judgement from a kernel inventory made by hand (the real one is read on the
/// virtual board and in FleetAPITests): each configured device against what is there and what the
/// daemon saw of it.
@Suite struct DeviceHealthTests {
    static func config(_ json: String) throws -> KioskConfig {
        try KioskConfig.parse(Array(json.utf8), file: "/etc/kioskd/kioskd.json")
    }

    /// A board like the virtual one: vivid at /dev/video0 (also a udev link), the Loopback card (capture
    /// and playback), fb0, a uinput button.
    static let board = DeviceHealth.Inventory(
        cameras: [(path: "/dev/video0", card: "vivid")],
        soundCards: [(number: 0, id: "Loopback", capture: true, playback: true), (number: 1, id: "HDMI", capture: false, playback: true)],
        inputDevices: [(name: "kioskd test buttons", devices: ["/dev/input/event2"]), (name: "gone", devices: [])],
        resolve: { path in
            let links = ["/dev/kiosk-camera": "/dev/video0"]
            let present: Set = ["/dev/video0", "/dev/fb0", "/dev/input/event2", "/dev/gpiochip0"]
            let target = links[path] ?? path
            return present.contains(target) ? target : nil
        })

    static func assess(_ json: String, inventory: DeviceHealth.Inventory = board, display: Bool? = true, speaker: Bool? = nil) throws -> DeviceHealth {
        DeviceHealth.assess(try config(json), inventory, DeviceHealth.Observed(displayWorking: display, speakerWorking: speaker))
    }

    @Test func everythingConfiguredAndPresentIsUp() throws {
        let health = try Self.assess("""
            {"camera": {"device": "/dev/kiosk-camera"}, "microphone": {"device": "plughw:CARD=Loopback,DEV=1"},
             "speaker": {"device": "hw:Loopback,0"}, "display": {"device": "/dev/fb0"},
             "input": {"evdev": {"device": "name:kioskd test buttons"}, "gpio": {"chip": "0", "line": 17}}}
            """)
        #expect(health == { var h = DeviceHealth(); h.camera = true; h.microphone = true; h.speaker = true; h.display = true; h.input = true; return h }())
        #expect(DeviceHealth.Device.allCases.allSatisfy { health[$0] })
    }

    @Test func missingDevicesAreDown() throws {
        let health = try Self.assess("""
            {"camera": {"device": "/dev/video4"}, "microphone": {"device": "hw:USB,0"},
             "speaker": {"device": "plughw:2"}, "display": {"device": "/dev/fb1"},
             "input": {"evdev": {"device": "/dev/input/event9"}}}
            """, display: false)
        #expect(!health.camera && !health.microphone && !health.speaker && !health.display && !health.input)
        // A named evdev device whose node is gone; a card without capture for the microphone.
        #expect(try !Self.assess(#"{"input": {"evdev": {"device": "name:gone"}}}"#).input)
        #expect(try !Self.assess(#"{"microphone": {"device": "hw:HDMI,0"}}"#).microphone)
        #expect(try Self.assess(#"{"speaker": {"device": "hw:HDMI,0"}}"#).speaker)
        // Two buttons configured, one missing: input is down.
        #expect(try !Self.assess(#"{"input": {"evdev": {"device": "name:kioskd test buttons"}, "gpio": {"chip": "gpiochip3", "line": 1}}}"#).input)
    }

    @Test func cameraChoices() throws {
        let empty = DeviceHealth.Inventory()
        #expect(try Self.assess(#"{"camera": {"device": "synthetic"}}"#, inventory: empty).camera, "the test pattern is always there")
        #expect(try Self.assess(#"{"camera": {"device": "auto"}}"#).camera)
        #expect(try !Self.assess(#"{"camera": {"device": "auto"}}"#, inventory: empty).camera, "auto falls back to the pattern: no camera")
        #expect(try Self.assess(#"{"camera": {"device": "name:viv"}}"#).camera)
        #expect(try !Self.assess(#"{"camera": {"device": "name:uvc"}}"#).camera)
    }

    @Test func whatTheDaemonSawCounts() throws {
        // The framebuffer is there but the presenter's last drawing failed; outside a call the speaker is
        // judged by its card, in a call by whether it opened.
        #expect(try !Self.assess(#"{"display": {"device": "/dev/fb0"}}"#, display: false).display)
        #expect(try Self.assess(#"{"display": {"device": "offscreen:/tmp/x"}}"#, display: nil).display)
        #expect(try !Self.assess(#"{"speaker": {"device": "hw:Loopback,0"}}"#, speaker: false).speaker)
        #expect(try Self.assess(#"{"speaker": {"device": "hw:Loopback,0"}}"#, speaker: true).speaker)
        // Not configured: down.
        let none = try Self.assess(#"{"display": {"device": "none"}}"#)
        #expect(!none.display && !none.speaker && !none.input)
        // ALSA's file plugin names no card: ALSA resolves it; `default` needs some card that plays.
        #expect(try Self.assess(#"{"speaker": {"device": "file:'/tmp/out.raw',raw"}}"#, inventory: DeviceHealth.Inventory()).speaker)
        #expect(try !Self.assess(#"{"speaker": {"device": "default"}}"#, inventory: DeviceHealth.Inventory()).speaker)
        #expect(try Self.assess(#"{"speaker": {"device": "default"}}"#).speaker)
    }

    @Test func theCardAnALSADeviceNames() {
        #expect(DeviceHealth.cardNamed(in: "hw:Loopback,1,0") == "Loopback")
        #expect(DeviceHealth.cardNamed(in: "plughw:CARD=Device,DEV=0") == "Device")
        #expect(DeviceHealth.cardNamed(in: "sysdefault:1") == "1")
        #expect(DeviceHealth.cardNamed(in: "default") == nil)
        #expect(DeviceHealth.cardNamed(in: "file:'/tmp/a.raw',raw") == nil)
        #expect(DeviceHealth.cardNamed(in: "dsnoop:CARD=Loopback") == "Loopback")
    }
}
