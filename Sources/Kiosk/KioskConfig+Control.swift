import Control

/// The control socket (`control` section): where kioskctl finds the daemon, which group of
/// technicians may use it, and where a technician's test call goes.
public struct ControlSettings: Sendable, Equatable {
    /// The Unix socket's path (relative: to the daemon's working directory); its directory must exist
    /// (systemd's RuntimeDirectory=kioskd makes /run/kioskd).
    public var socketPath: String
    /// The group that may use the socket (mode 0660); nil leaves the daemon's own group.
    public var group: String?
    /// Whether the daemon listens at all.
    public var enabled: Bool
    /// The SIP URI `kioskctl call` dials (a test extension at the contact center); nil: no test call.
    public var testDestination: String?

    public init(socketPath: String = ControlProtocol.defaultSocketPath, group: String? = nil, enabled: Bool = true,
                testDestination: String? = nil) {
        self.socketPath = socketPath
        self.group = group
        self.enabled = enabled
        self.testDestination = testDestination
    }
}

extension KioskConfig {
    static func parseControl(_ section: ConfigReader) throws(ConfigError) -> ControlSettings {
        var r = section
        var control = ControlSettings()
        control.enabled = try r.bool("enabled", default: true)
        control.socketPath = try r.string("socketPath", default: control.socketPath)
        guard !control.socketPath.isEmpty else { throw r.fail("socketPath", "an empty path") }
        // sockaddr_un holds 108 bytes with the terminating zero.
        guard control.socketPath.utf8.count < 108 else { throw r.fail("socketPath", "longer than 107 bytes (a Unix socket's limit)") }
        control.group = try r.optionalString("group")
        if let group = control.group, group.isEmpty { throw r.fail("group", "an empty group name") }
        control.testDestination = try r.optionalString("testDestination")
        if let destination = control.testDestination, !(destination.hasPrefix("sip:") || destination.hasPrefix("sips:")) {
            throw r.fail("testDestination", "'\(destination)' is not a sip: or sips: URI")
        }
        try r.finish()
        return control
    }
}
