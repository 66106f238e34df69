import Control

/// The body of one check-in (docs/checkin.md): who the kiosk is, which configuration it has, its status
/// (as `GET /v1/status` gives it), and why it refused the last configuration the server sent, if it did.
public struct CheckInReport: Sendable, Equatable {
    public var kiosk: String
    public var version: String
    /// SHA-256 (lower-case hex) of the configuration file's bytes; nil when the file cannot be read.
    public var configVersion: String?
    public var status: ControlValue
    /// The server's `configVersion` of the last configuration taken from it (since kioskd started).
    public var appliedServerVersion: String?
    public var lastConfigError: ConfigRefusal?

    public init(kiosk: String, version: String, configVersion: String?, status: ControlValue,
                appliedServerVersion: String? = nil, lastConfigError: ConfigRefusal? = nil) {
        self.kiosk = kiosk
        self.version = version
        self.configVersion = configVersion
        self.status = status
        self.appliedServerVersion = appliedServerVersion
        self.lastConfigError = lastConfigError
    }

    public var json: ControlValue {
        var pairs: [(String, ControlValue)] = [
            ("kiosk", .string(kiosk)),
            ("version", .string(version)),
            ("configVersion", configVersion.map(ControlValue.string) ?? .null),
            ("status", status),
        ]
        if let appliedServerVersion { pairs.append(("appliedServerVersion", .string(appliedServerVersion))) }
        if let lastConfigError { pairs.append(("lastConfigError", lastConfigError.json)) }
        return .object(pairs)
    }
}

/// A configuration from the server that the kiosk did not take, and why.
public struct ConfigRefusal: Sendable, Equatable {
    /// The key to fix (`camera.fps`), or empty when the answer as a whole was unusable.
    public var field: String
    public var message: String
    /// The answer's `configVersion`, when it had one.
    public var serverVersion: String?

    public init(field: String, message: String, serverVersion: String? = nil) {
        self.field = field
        self.message = message
        self.serverVersion = serverVersion
    }

    var json: ControlValue {
        var pairs: [(String, ControlValue)] = [("field", .string(field)), ("message", .string(message))]
        if let serverVersion { pairs.append(("configVersion", .string(serverVersion))) }
        return .object(pairs)
    }
}
