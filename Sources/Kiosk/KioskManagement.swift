import Control
import Logging
import Records

/// What the fleet HTTP API (Fleet target) asks of the daemon: the same status, configuration and log
/// handlers the control socket runs (ControlCommands), so kioskctl and the API cannot drift apart.
public struct KioskManagement: Sendable {
    let commands: ControlCommands
    /// The interaction records (RecordsService's store) for `GET /v1/calls`; nil: none kept or not opened.
    let records: RecordStore?

    public init(config: KioskConfig, configPath: String, version: String, sipAgent: SIPAgentService?,
                records: RecordStore? = nil, ring: LogRing = .shared, logger: Logger) {
        self.records = records
        commands = ControlCommands(config: config, configPath: ControlService.absolute(configPath), version: version,
                                   sipAgent: sipAgent, ring: ring, logger: logger)
    }

    public var config: KioskConfig { commands.config }
    public var configPath: String { commands.configPath }
    public var version: String { commands.version }
    public var sipAgent: SIPAgentService? { commands.sipAgent }
    public var uptimeSeconds: Double {
        let d = ContinuousClock.now - commands.started
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// `kioskctl status`'s answer.
    public func status() async -> ControlValue { await commands.status() }

    /// The registration as `status` words it.
    public func registrationState() async -> String { await commands.registrationState() }

    /// The configuration file as the daemon's file says, secrets masked (`kioskctl config show`).
    public func configShow() throws(ControlFailure) -> ControlValue { try commands.configShow() }

    /// The last `count` log lines at `minimum` or above.
    public func logLines(_ count: Int, minimum: Logger.Level = .trace) -> [String] {
        commands.ring.recent(count, minimum: minimum).map(\.text)
    }

    /// Why a new configuration was not taken.
    public enum ReplaceError: Error, Sendable {
        /// Not JSON at all (the request body).
        case notJSON(String)
        /// JSON, but the daemon would refuse it: the error names the key.
        case invalid(ConfigError)
        /// Valid, but the file could not be written.
        case writeFailed(String)
    }

    /// Replaces the whole configuration file with `body` when the daemon would accept it at start, atomically;
    /// otherwise nothing changes. Masked secrets ("********", as `configShow` gives them) keep the file's
    /// current value, so a GET → edit → PUT round trip does not write the mask.
    /// `keepFleet`: refuse a configuration without a `fleet` section (the API would lock itself out).
    public func replaceConfig(_ body: [UInt8], keepFleet: Bool = false) throws(ReplaceError) -> ControlValue {
        let given: ControlValue
        do { given = try ControlValue(parsing: body) } catch { throw .notJSON("\(error)") }
        let current = (try? commands.readConfigTree()) ?? .null
        let merged = Self.unmasked(given, current: current)
        let json = merged.prettyJSON + "\n"
        let parsed: KioskConfig
        do { parsed = try KioskConfig.parse(Array(json.utf8), file: commands.configPath) } catch { throw .invalid(error) }
        if keepFleet, parsed.fleet == nil {
            throw .invalid(ConfigError(file: commands.configPath, key: "fleet", problem: "missing: without it this API is gone after the restart"))
        }
        do { try ControlCommands.writeAtomically(json, to: commands.configPath) } catch { throw .writeFailed(error.message) }
        commands.logger.notice("fleet: configuration replaced in \(commands.configPath) (kiosk \(parsed.identity.id))")
        return ["path": .string(commands.configPath), "kiosk": .string(parsed.identity.id),
                "applies": "at the next start of kioskd (systemctl restart kioskd), never in the middle of a call"]
    }

    static func unmasked(_ value: ControlValue, current: ControlValue) -> ControlValue {
        guard case let .object(pairs) = value else { return value }
        return .object(pairs.map { key, v -> (String, ControlValue) in
            let old = current[key] ?? .null
            if ControlCommands.secretKeys.contains(key), v == .string("********"), old != .null { return (key, old) }
            return (key, unmasked(v, current: old))
        })
    }
}
