#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where interaction records are kept and where they are reported (the `records` section).
public struct RecordsSettings: Sendable, Equatable {
    /// The SQLite database; its directory must exist and be writable.
    public var databasePath: String
    /// The contact center's reporting endpoint (http or https); nil: records are kept, not sent.
    public var reportingURL: String?
    /// Delivered records (or, without an endpoint, finished ones) are deleted after this many days.
    public var retentionDays: Double
    /// The longest wait between two attempts at a failing endpoint.
    public var retryCapSeconds: Double

    /// systemd's StateDirectory= (/var/lib/kioskd), or that path when not run by systemd.
    public static var defaultDatabasePath: String {
        let state = ProcessInfo.processInfo.environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init) ?? "/var/lib/kioskd"
        return state + "/records.sqlite"
    }

    public init(databasePath: String = RecordsSettings.defaultDatabasePath, reportingURL: String? = nil, retentionDays: Double = 30,
                retryCapSeconds: Double = 300) {
        self.databasePath = databasePath
        self.reportingURL = reportingURL
        self.retentionDays = retentionDays
        self.retryCapSeconds = retryCapSeconds
    }
}

extension KioskConfig {
    static func parseRecords(_ section: ConfigReader) throws(ConfigError) -> RecordsSettings {
        var r = section
        var records = RecordsSettings()
        let path = try r.string("database", default: records.databasePath)
        // Relative: to kioskd's working directory (the embedded default keeps it in out/).
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw r.fail("database", "'\(path)' is not a file path (e.g. /var/lib/kioskd/records.sqlite)")
        }
        records.databasePath = path
        if let url = try r.optionalString("reportingUrl") {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host?.isEmpty == false else {
                throw r.fail("reportingUrl", "'\(url)' is not an http:// or https:// URL")
            }
            records.reportingURL = url
        }
        records.retentionDays = try r.double("retentionDays", default: records.retentionDays, range: 0...3650)
        records.retryCapSeconds = try r.double("retryCapSeconds", default: records.retryCapSeconds, range: 1...86_400)
        try r.finish()
        return records
    }
}
