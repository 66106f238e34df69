extension KioskConfig {
    static let screenLanguages = ["en", "de", "zh"]

    static func parseScreen(_ section: ConfigReader) throws(ConfigError) -> ScreenSettings {
        var r = section
        var screen = ScreenSettings()
        let device = try r.string("device", default: "none")
        switch device {
        case "none": screen.output = .none
        case _ where device.hasPrefix("offscreen:") && device.count > 10:
            screen.output = .offscreen(directory: String(device.dropFirst(10)))
        case _ where device.hasPrefix("/"): screen.output = .framebuffer(device)
        default: throw r.fail("device", "'\(device)' is not none, a framebuffer path (/dev/fb0) or offscreen:DIRECTORY")
        }
        screen.size = try frameSize(try r.string("size", default: screen.size.description)).get(r, "size")
        screen.framesPerSecond = try r.int("fps", default: screen.framesPerSecond, range: 1...60)
        screen.snapshotsPerSecond = try r.double("snapshotsPerSecond", default: screen.snapshotsPerSecond, range: 0.1...60)
        let languages = r.hasValue("languages") ? try r.strings("languages") : screen.languages
        guard !languages.isEmpty else { throw r.fail("languages", "at least one language is needed") }
        if let unknown = languages.first(where: { !screenLanguages.contains($0) }) {
            throw r.fail("languages", "'\(unknown)' has no strings; known: \(screenLanguages.joined(separator: ", "))")
        }
        screen.languages = languages
        screen.endedScreenSeconds = try r.double("endedScreenSeconds", default: screen.endedScreenSeconds, range: 0.1...600)
        try r.finish()
        return screen
    }

    static func parseSpeaker(_ section: ConfigReader) throws(ConfigError) -> SpeakerSettings {
        var r = section
        var speaker = SpeakerSettings()
        let device = try r.string("device", default: "none")
        guard !device.isEmpty, !device.contains(" ") else {
            throw r.fail("device", "'\(device)' is not an ALSA device name (default, plughw:CARD=X,DEV=0) or none")
        }
        speaker.device = device == "none" ? nil : device
        speaker.echoCancellation = try r.bool("echoCancellation", default: speaker.echoCancellation)
        speaker.noiseSuppression = try r.bool("noiseSuppression", default: speaker.noiseSuppression)
        try r.finish()
        return speaker
    }
}
