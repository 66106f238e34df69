import Media

/// What a new configuration changes, split into what the running daemon takes between calls and what
/// only a restart can take (sockets, devices, the screen's geometry, the records database). I/O-free:
/// the caller decides when (never in the middle of a call) and how to hand `running` to the parts.
public struct ConfigurationChange: Sendable, Equatable {
    /// The running configuration with every change it can take without a restart, the rest as it was.
    public var running: KioskConfig
    /// Keys (as the file names them) the daemon takes between calls.
    public var live: [String] = []
    /// Keys that take effect at the next start of kioskd.
    public var needsRestart: [String] = []

    public var isEmpty: Bool { live.isEmpty && needsRestart.isEmpty }

    /// The change from `old` (running) to `new` (the file as now written).
    public static func between(_ old: KioskConfig, _ new: KioskConfig) -> ConfigurationChange {
        var change = ConfigurationChange(running: old)
        var restartView = old   // `running` plus every restart-only change: must come out as `new`
        func compare<T: Equatable>(_ key: String, _ path: WritableKeyPath<KioskConfig, T>, live: Bool) {
            guard old[keyPath: path] != new[keyPath: path] else { return }
            if live {
                change.running[keyPath: path] = new[keyPath: path]
                change.live.append(key)
            } else {
                change.needsRestart.append(key)
            }
            restartView[keyPath: path] = new[keyPath: path]
        }
        // Read at each call (the engine, the flow, the records): taken between calls.
        compare("kiosk", \.identity, live: true)
        compare("log.level", \.logLevel, live: true)
        compare("camera.device", \.media.camera, live: true)
        compare("camera.size", \.media.size, live: true)
        compare("camera.fps", \.media.framesPerSecond, live: true)
        compare("microphone.device", \.media.microphone, live: true)
        compare("video.bitrateKbps", \.media.videoBitrateKbps, live: true)
        compare("video.cpuUsed", \.media.cpuUsed, live: true)
        compare("video.threads", \.media.encoderThreads, live: true)
        compare("video.keyFrameIntervalSeconds", \.media.keyFrameIntervalSeconds, live: true)
        compare("video.maxPayloadSize", \.media.maxPayloadSize, live: true)
        compare("audio.bitrateKbps", \.media.audioBitrateKbps, live: true)
        compare("contactCenter.categories", \.contactCenter.targets, live: true)
        compare("contactCenter.defaultTarget", \.contactCenter.defaultTarget, live: true)
        compare("contactCenter.endpoints", \.contactCenter.endpoints, live: true)
        compare("contactCenter.failoverSeconds", \.contactCenter.failoverSeconds, live: true)
        compare("context", \.site, live: true)
        compare("speaker", \.speaker, live: true)
        compare("display.languages", \.screen.languages, live: true)
        compare("display.endedScreenSeconds", \.screen.endedScreenSeconds, live: true)
        compare("control.testDestination", \.control.testDestination, live: true)
        switch (old.fleet, new.fleet) {
        case (.some, .some):
            // Tokens are checked per request: a revoked token must stop working at once, not after a restart.
            compare("fleet.tokens", \.fleet!.tokens, live: true)
            compare("fleet.revoked", \.fleet!.revoked, live: true)
            compare("fleet.address", \.fleet!.address, live: false)
            compare("fleet.port", \.fleet!.port, live: false)
            compare("fleet.certificate", \.fleet!.certificate, live: false)
            compare("fleet.key", \.fleet!.key, live: false)
            compare("fleet.clientCA", \.fleet!.clientCA, live: false)
        default:
            compare("fleet", \.fleet, live: false)
        }
        // Sockets, threads started once, devices opened at start: the next start takes them.
        compare("sip", \.sip, live: false)
        compare("sip (section present)", \.sipEnabled, live: false)
        compare("contactCenter.healthCheckSeconds", \.contactCenter.healthCheckSeconds, live: false)
        compare("display.device", \.screen.output, live: false)
        compare("display.size", \.screen.size, live: false)
        compare("display.fps", \.screen.framesPerSecond, live: false)
        compare("display.snapshotsPerSecond", \.screen.snapshotsPerSecond, live: false)
        compare("input", \.input, live: false)
        compare("devices.retrySeconds", \.deviceRetrySeconds, live: false)
        compare("testStream", \.testStream, live: false)
        compare("control.socketPath", \.control.socketPath, live: false)
        compare("control.group", \.control.group, live: false)
        compare("control.enabled", \.control.enabled, live: false)
        compare("records", \.records, live: false)
        // The check-in's client (its URL, token, CA and schedule) is made once, at start.
        compare("checkIn", \.checkIn, live: false)
        // A setting not listed above (a section added later) is never taken live by accident.
        if restartView != new { change.needsRestart.append("other settings") }
        return change
    }
}
