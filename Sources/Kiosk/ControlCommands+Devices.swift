import Control
import Display
import Media
#if canImport(Glibc)
import Glibc
#endif

/// `kioskctl devices`: what the kiosk's hardware looks like to the kernel, read from /dev, /proc and
/// /sys (no device is opened for streaming, so this works during a call too).
extension ControlCommands {
    func devices() -> ControlValue {
        [
            "cameras": .array(Self.cameras()),
            "soundCards": .array(Self.soundCards()),
            "framebuffers": .array(Self.framebuffers()),
            "inputDevices": .array(Self.inputDevices()),
        ]
    }

    static func cameras() -> [ControlValue] {
        V4L2Camera.listCaptureDevices().map { device in
            var pairs: [(String, ControlValue)] = [("path", .string(device.path)), ("card", .string(device.card))]
            do {
                let formats = try V4L2Camera.formats(path: device.path)
                pairs.append(("formats", .array(formats.map { format in
                    var sizes = format.sizes.map { ControlValue.string($0.description) }
                    if let range = format.range { sizes.append(.string(range)) }
                    return ["fourcc": .string(format.fourcc), "description": .string(format.description), "sizes": .array(sizes)]
                })))
            } catch {
                pairs.append(("error", .string("\(error)")))
            }
            return .object(pairs)
        }
    }

    /// /proc/asound/cards: ` 0 [Loopback       ]: Loopback - Loopback` and a second line with the long name;
    /// /proc/asound/pcm: `00-00: ID : NAME : playback 1 : capture 1`.
    static func soundCards() -> [ControlValue] {
        soundCards(cards: text("/proc/asound/cards") ?? "", pcm: text("/proc/asound/pcm") ?? "")
    }

    static func soundCards(cards: String, pcm pcms: String) -> [ControlValue] {
        var found: [ControlValue] = []
        for line in cards.split(separator: "\n") where line.first == " " || line.first?.isNumber == true {
            let trimmed = line.drop { $0 == " " }
            guard let number = Int(trimmed.prefix { $0.isNumber }), let open = trimmed.firstIndex(of: "["),
                  let close = trimmed.firstIndex(of: "]") else { continue }
            let id = trimmed[trimmed.index(after: open)..<close].trimmingCharacters(" ")
            // `]: DRIVER - NAME` (the driver may have dashes of its own: HDA-Intel).
            let rest = trimmed[close...]
            let name = rest.firstRange(of: " - ").map { rest[$0.upperBound...].trimmingCharacters(" ") } ?? ""
            let prefix = (number < 10 ? "0" : "") + "\(number)-"
            let devices = pcms.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { pcm -> ControlValue in
                let fields = pcm.split(separator: ":").map { $0.trimmingCharacters(" ") }
                let device = Int(fields[0].split(separator: "-").last ?? "") ?? 0
                return ["device": .string("hw:\(id),\(device)"), "name": .string(fields.count > 2 ? fields[2] : ""),
                        "playback": .bool(fields.contains { $0.hasPrefix("playback") }),
                        "capture": .bool(fields.contains { $0.hasPrefix("capture") })]
            }
            found.append(["card": .int(number), "id": .string(id), "name": .string(name), "pcm": .array(devices)])
        }
        return found
    }

    /// The visible size is the mode's (FBIOGET_VSCREENINFO, read-only): sysfs `virtual_size` is the
    /// virtual screen, twice as tall once kioskd pans between two pages on it. It is listed too when it differs.
    static func framebuffers() -> [ControlValue] {
        entries("/dev").filter { $0.hasPrefix("fb") && Int($0.dropFirst(2)) != nil }
            .sorted { Int($0.dropFirst(2))! < Int($1.dropFirst(2))! }.map { name in
                let sys = "/sys/class/graphics/\(name)"
                let mode = FramebufferDisplay.mode(path: "/dev/\(name)")
                let virtual = mode.map { "\($0.virtualWidth)x\($0.virtualHeight)" }
                    ?? text("\(sys)/virtual_size")?.trimmingCharacters("\n").replacing(",", with: "x") ?? "?"
                var pairs: [(String, ControlValue)] = [
                    ("path", .string("/dev/\(name)")),
                    ("driver", .string(text("\(sys)/name")?.trimmingCharacters("\n") ?? "?")),
                    ("size", .string(mode.map { "\($0.width)x\($0.height)" } ?? "?")),
                ]
                if virtual != pairs[2].1.string { pairs.append(("virtualSize", .string(virtual))) }
                pairs.append(("bitsPerPixel", .string(mode.map { "\($0.bitsPerPixel)" } ?? text("\(sys)/bits_per_pixel")?.trimmingCharacters("\n") ?? "?")))
                return .object(pairs)
            }
    }

    /// /proc/bus/input/devices: blocks of `N: Name="…"` and `H: Handlers=kbd event3` lines.
    static func inputDevices() -> [ControlValue] {
        inputDevices(text("/proc/bus/input/devices") ?? "")
    }

    static func inputDevices(_ all: String) -> [ControlValue] {
        var found: [ControlValue] = []
        for block in all.split(separator: "\n\n") {
            var name = "", handlers: [String] = []
            for line in block.split(separator: "\n") {
                if line.hasPrefix("N: Name=") { name = String(line.dropFirst(8)).trimmingCharacters("\"") }
                if line.hasPrefix("H: Handlers=") { handlers = line.dropFirst(12).split(separator: " ").map(String.init) }
            }
            let events = handlers.filter { $0.hasPrefix("event") }.map { ControlValue.string("/dev/input/\($0)") }
            guard !name.isEmpty else { continue }
            found.append(["name": .string(name), "devices": .array(events)])
        }
        return found
    }

    static func text(_ path: String) -> String? {
        (try? readFile(path)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func entries(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

extension StringProtocol {
    func trimmingCharacters(_ set: Character) -> String {
        String(drop { $0 == set || $0 == " " }.reversed().drop { $0 == set || $0 == " " }.reversed())
    }
}
