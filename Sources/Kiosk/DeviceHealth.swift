import Control
import Input
import Media
#if canImport(Glibc)
import Glibc
#endif

/// Whether each of the kiosk's configured devices is up, for /metrics (`kioskd_device_up`): the kernel's
/// view of them (the V4L2 capture devices the device watch also lists, ALSA's cards, evdev devices, GPIO
/// chips) together with what the daemon saw itself (the screen presenter opened the display and its
/// last drawing reached it; in a call, the speaker opened and did not fail). A device that is not
/// configured is not up. Nothing is opened for streaming, so a scrape during a call disturbs nothing.
public struct DeviceHealth: Sendable, Equatable {
    public enum Device: String, Sendable, CaseIterable {
        case camera, microphone, speaker, display, input
    }

    public var camera = false
    public var microphone = false
    public var speaker = false
    public var display = false
    public var input = false

    public init() {}

    public subscript(device: Device) -> Bool {
        switch device {
        case .camera: camera
        case .microphone: microphone
        case .speaker: speaker
        case .display: display
        case .input: input
        }
    }

    /// What the kernel shows now; read by `current()`, made by hand in tests.
    struct Inventory: Sendable {
        var cameras: [(path: String, card: String)] = []
        /// ALSA cards: number, id, and whether any of their PCMs capture / play back.
        var soundCards: [(number: Int, id: String, capture: Bool, playback: Bool)] = []
        /// evdev devices by name, with their /dev/input/event* nodes.
        var inputDevices: [(name: String, devices: [String])] = []
        /// Whether a path exists (after symbolic links), and its canonical form.
        var resolve: @Sendable (String) -> String? = { _ in nil }

        static func current() -> Inventory {
            Inventory(
                cameras: V4L2Camera.listCaptureDevices(),
                soundCards: ControlCommands.soundCards().compactMap { card in
                    guard let number = card["card"]?.int, let id = card["id"]?.string else { return nil }
                    let pcms = card["pcm"]?.array ?? []
                    return (number, id, pcms.contains { $0["capture"]?.bool == true }, pcms.contains { $0["playback"]?.bool == true })
                },
                inputDevices: ControlCommands.inputDevices().compactMap { device in
                    guard let name = device["name"]?.string else { return nil }
                    return (name, (device["devices"]?.array ?? []).compactMap(\.string))
                },
                resolve: { path in
                    guard let resolved = realpath(path, nil) else { return nil }
                    defer { free(resolved) }
                    return String(cString: resolved)
                })
        }
    }

    /// What the daemon itself saw of its devices.
    struct Observed {
        /// The screen presenter exists (it opened the display) and its last drawing, if any, reached it;
        /// nil: the daemon has no presenter to ask (no SIP section, so no customer flow).
        var displayWorking: Bool?
        /// In a call: the speaker opened and has not failed; nil outside a call.
        var speakerWorking: Bool?
    }

    static func assess(_ config: KioskConfig, _ inventory: Inventory, _ observed: Observed) -> DeviceHealth {
        var health = DeviceHealth()
        health.camera = cameraPresent(config.media.camera, inventory)
        switch config.media.microphone {
        case .tone: health.microphone = true
        case let .alsa(device): health.microphone = soundDevicePresent(device, capture: true, inventory)
        }
        if let device = config.speaker.device {
            health.speaker = soundDevicePresent(device, capture: false, inventory) && observed.speakerWorking != false
        }
        switch config.screen.output {
        case .none: health.display = false
        case let .framebuffer(path): health.display = inventory.resolve(path) != nil && observed.displayWorking != false
        case .offscreen: health.display = observed.displayWorking ?? true
        }
        let evdev = config.input.evdev.map { evdevPresent($0.device, inventory) }
        let gpio = config.input.gpio.map { gpioChipPresent($0.chip, inventory) }
        health.input = (evdev != nil || gpio != nil) && evdev != false && gpio != false
        return health
    }

    /// As the streamer picks its camera (V4L2Camera.open): a path, a card name (or its start), the first
    /// capture device; the synthetic pattern is always there.
    static func cameraPresent(_ source: CameraSelection, _ inventory: Inventory) -> Bool {
        switch source {
        case .synthetic: return true
        case .automatic: return !inventory.cameras.isEmpty
        case let .path(path):
            guard let resolved = inventory.resolve(path) else { return false }
            return inventory.cameras.contains { $0.path == path || inventory.resolve($0.path) == resolved }
        case let .name(name): return inventory.cameras.contains { $0.card.hasPrefix(name) }
        }
    }

    /// An ALSA device string's card (`hw:Loopback,1`, `plughw:CARD=Loopback,DEV=0`, `sysdefault:1`) must
    /// be there with a PCM of the right direction. A string that names no card (`default`, a plugin such
    /// as `file:…`) is up when some card has such a PCM, or, for a plugin, always (ALSA resolves it).
    static func soundDevicePresent(_ device: String, capture: Bool, _ inventory: Inventory) -> Bool {
        let hasDirection = { (card: (number: Int, id: String, capture: Bool, playback: Bool)) in capture ? card.capture : card.playback }
        guard let card = cardNamed(in: device) else {
            let plugin = device.split(separator: ":").first.map(String.init) ?? device
            return ["default", "sysdefault"].contains(plugin) ? inventory.soundCards.contains(where: hasDirection) : true
        }
        return inventory.soundCards.contains { ($0.id == card || Int(card) == $0.number) && hasDirection($0) }
    }

    /// The card an ALSA device string names: `CARD=X` anywhere in its arguments, or the first argument of
    /// the plugins whose first argument is the card.
    static func cardNamed(in device: String) -> String? {
        guard let colon = device.firstIndex(of: ":") else { return nil }
        let plugin = device[..<colon]
        let arguments = device[device.index(after: colon)...].split(separator: ",").map { $0.trimmingCharacters("\"") }
        if let card = arguments.first(where: { $0.hasPrefix("CARD=") }) { return String(card.dropFirst(5)) }
        let cardFirst: Set<Substring> = ["hw", "plughw", "sysdefault", "front", "dmix", "dsnoop", "default", "surround40", "iec958"]
        guard cardFirst.contains(plugin), let first = arguments.first, !first.contains("=") else { return nil }
        return first
    }

    static func evdevPresent(_ selector: EvdevDeviceSelector, _ inventory: Inventory) -> Bool {
        switch selector {
        case let .path(path): return inventory.resolve(path) != nil
        case let .name(name): return inventory.inputDevices.contains { $0.name == name && !$0.devices.isEmpty }
        }
    }

    /// A chip given as a path, a name (gpiochip0) or a number is a node in /dev; one given by its label
    /// is taken as there when any chip is (the label is the chip driver's, read only by opening it).
    static func gpioChipPresent(_ chip: String, _ inventory: Inventory) -> Bool {
        if chip.hasPrefix("/") { return inventory.resolve(chip) != nil }
        if Int(chip) != nil { return inventory.resolve("/dev/gpiochip\(chip)") != nil }
        if chip.hasPrefix("gpiochip") { return inventory.resolve("/dev/\(chip)") != nil }
        return (0..<16).contains { inventory.resolve("/dev/gpiochip\($0)") != nil }
    }
}

extension KioskManagement {
    /// The devices as they are now (`kioskd_device_up`).
    public func deviceHealth() async -> DeviceHealth {
        var observed = DeviceHealth.Observed()
        if let sipAgent {
            observed.displayWorking = sipAgent.presenter.map { !$0.failing } ?? false
            observed.speakerWorking = await sipAgent.engine.speakerWorking()
        }
        return DeviceHealth.assess(config, .current(), observed)
    }
}
