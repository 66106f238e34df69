#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The check-in (`checkIn` section): a kiosk behind NAT cannot be reached by a fleet server, so it posts
/// its status to one on an interval and takes a new configuration from the answer (docs/checkin.md).
public struct CheckInSettings: Sendable, Equatable {
    /// The fleet server's check-in endpoint (https, or http on a trusted network).
    public var url: String
    /// How often the kiosk posts (a little jitter added, longer while the server is unreachable).
    public var intervalSeconds: Double
    /// Sent as `Authorization: Bearer …`; a secret (`config show` masks `token`).
    public var token: String?
    /// A PEM file of CA certificates the server's certificate is checked against instead of the system's.
    public var caFile: String?

    public static let intervalRange: ClosedRange<Double> = 1...86_400

    public init(url: String, intervalSeconds: Double = 300, token: String? = nil, caFile: String? = nil) {
        self.url = url
        self.intervalSeconds = intervalSeconds
        self.token = token
        self.caFile = caFile
    }
}

extension KioskConfig {
    static func parseCheckIn(_ section: ConfigReader) throws(ConfigError) -> CheckInSettings {
        var r = section
        guard let url = try r.optionalString("url") else {
            throw r.fail("url", "missing: the fleet server's check-in URL (https://…)")
        }
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host?.isEmpty == false else {
            throw r.fail("url", "'\(url)' is not an http:// or https:// URL")
        }
        let interval = try r.double("intervalSeconds", default: 300, range: CheckInSettings.intervalRange)
        let token = try r.optionalString("token")
        if token?.isEmpty == true { throw r.fail("token", "an empty token (leave it out to send none)") }
        if let token, token.contains(where: { $0.isNewline || $0 == " " }) {
            throw r.fail("token", "contains a space or line break: it must fit in one Authorization header")
        }
        let caFile = try r.optionalString("caFile")
        if caFile?.isEmpty == true { throw r.fail("caFile", "an empty path (leave it out for the system's CAs)") }
        if caFile != nil, parsed.scheme?.lowercased() != "https" {
            throw r.fail("caFile", "given for '\(url)', which is not https")
        }
        try r.finish()
        return CheckInSettings(url: url, intervalSeconds: interval, token: token, caFile: caFile)
    }
}
