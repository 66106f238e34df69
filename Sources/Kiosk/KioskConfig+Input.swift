import Input

/// The kiosk's buttons (the `input` section): an evdev keyboard or button box, and/or a call button on a
/// GPIO line. Without either, the kiosk takes its buttons from a terminal when it runs on one.
public struct InputSources: Sendable, Equatable {
    public var evdev: EvdevSettings?
    public var gpio: GPIOSettings?
    public init(evdev: EvdevSettings? = nil, gpio: GPIOSettings? = nil) {
        self.evdev = evdev
        self.gpio = gpio
    }
}

extension KioskConfig {
    static func parseInput(_ section: ConfigReader) throws(ConfigError) -> InputSources {
        var r = section
        var timing = InputTiming()
        timing.debounce = .milliseconds(try r.int("debounceMs", default: 25, range: 0...500))
        timing.retryInterval = .milliseconds(Int(try r.double("retrySeconds", default: 3, range: 0.1...3600) * 1000))
        var sources = InputSources()
        if r.hasSection("evdev") {
            var evdev = try r.section("evdev")
            let device = try evdev.string("device", default: "")
            let selector: EvdevDeviceSelector
            do { selector = try EvdevDeviceSelector(parsing: device) } catch {
                throw evdev.fail("device", "'\(device)' is neither a path (/dev/input/event0) nor name:DEVICE NAME")
            }
            var keyMap = KeyMap.standard
            if evdev.hasSection("keys") {
                var keys = try evdev.section("keys")
                var names: [KioskKey: [String]] = [:]
                for (name, key) in [("call", KioskKey.call), ("hangUp", .hangUp), ("up", .up), ("down", .down), ("select", .select)] {
                    let codes = try keys.strings(name)
                    if !codes.isEmpty { names[key] = codes }
                }
                try keys.finish()
                do { keyMap = try KeyMap(names) } catch { throw evdev.fail("keys", "\(error)") }
            }
            let grab = try evdev.bool("grab", default: true)
            try evdev.finish()
            sources.evdev = EvdevSettings(device: selector, keyMap: keyMap, grab: grab, timing: timing)
        }
        if r.hasSection("gpio") {
            var gpio = try r.section("gpio")
            let chip = try gpio.string("chip", default: "gpiochip0")
            let lineText = try gpio.nameOrNumber("line") ?? ""
            guard !lineText.isEmpty else { throw gpio.fail("line", "the GPIO line's number or name is needed") }
            let line: GPIOLineSelector = UInt32(lineText).map { .offset($0) } ?? .name(lineText)
            let biasText = try gpio.string("bias", default: GPIOBias.pullUp.rawValue)
            guard let bias = GPIOBias(rawValue: biasText) else {
                throw gpio.fail("bias", "'\(biasText)' is not one of \(GPIOBias.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sources.gpio = GPIOSettings(chip: chip, line: line, activeLow: try gpio.bool("activeLow", default: true), bias: bias,
                                        key: .call, timing: timing)
            try gpio.finish()
        }
        try r.finish()
        return sources
    }
}
