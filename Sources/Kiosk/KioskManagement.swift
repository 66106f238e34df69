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
        self.init(live: LiveConfiguration(config, factoryPath: configPath), version: version, sipAgent: sipAgent, records: records,
                  ring: ring, logger: logger)
    }

    /// `live`: the configuration shared with the control socket, so a change made here is seen there.
    public init(live: LiveConfiguration, version: String, sipAgent: SIPAgentService?, records: RecordStore? = nil,
                ring: LogRing = .shared, logger: Logger) {
        self.records = records
        commands = ControlCommands(live: live, version: version, sipAgent: sipAgent, ring: ring, logger: logger)
    }

    public var live: LiveConfiguration { commands.live }

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
    /// otherwise nothing changes. What the running daemon can take without a restart it takes (between
    /// calls, never in the middle of one); the answer says which keys wait for the next start.
    /// Masked secrets ("********", as `configShow` gives them) keep the file's current value, so a
    /// GET → edit → PUT round trip does not write the mask.
    /// `keepFleet`: refuse a configuration without a `fleet` section (the API would lock itself out).
    public func replaceConfig(_ body: [UInt8], keepFleet: Bool = false) async throws(ReplaceError) -> ControlValue {
        let given: ControlValue
        do { given = try ControlValue(parsing: body) } catch { throw .notJSON("\(error)") }
        let current = (try? commands.readConfigTree()) ?? .null
        let merged = KioskConfig.unmasked(given, current: current)
        let json = merged.prettyJSON + "\n"
        let path = commands.live.writePath
        let parsed: KioskConfig
        do { parsed = try KioskConfig.parse(Array(json.utf8), file: path) } catch { throw .invalid(error) }
        if keepFleet, parsed.fleet == nil {
            throw .invalid(ConfigError(file: path, key: "fleet", problem: "missing: without it this API is gone after the restart"))
        }
        let change: ConfigurationChange
        do { change = try await commands.writeAndTake(json, parsed) } catch { throw .writeFailed(error.message) }
        commands.logger.notice("fleet: configuration replaced in \(path) (kiosk \(parsed.identity.id))")
        return .object([("path", .string(path)), ("kiosk", .string(parsed.identity.id))]
                       + ControlCommands.describe(change, busy: await commands.engineInUse()))
    }
}
