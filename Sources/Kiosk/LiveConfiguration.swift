import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The configuration the daemon runs with, shared by the control socket, the fleet API and check-in,
/// and where changes to it are written. A change is written to the file whole (checked as at start),
/// then what can be taken without a restart is handed to the parts (`observe`), which take it between
/// calls, never in the middle of one; the rest waits for the next start.
///
/// Two files: `factoryPath` (`--config`, the image's /etc/kioskd/kioskd.json, read-only under systemd)
/// and `managedPath` (`--managed-config`, in the daemon's StateDirectory): every change is written to the
/// managed file, and once it exists it is what the daemon reads. Deleting it is a factory reset.
public final class LiveConfiguration: Sendable {
    public let factoryPath: String
    public let managedPath: String?
    private let state: Mutex<KioskConfig>
    private let observers = Mutex<[@Sendable (KioskConfig) async -> Void]>([])
    private let changes: AsyncStream<KioskConfig>.Continuation

    public init(_ config: KioskConfig, factoryPath: String, managedPath: String? = nil) {
        self.factoryPath = ControlService.absolute(factoryPath)
        self.managedPath = managedPath.map(ControlService.absolute)
        state = Mutex(config)
        let (stream, continuation) = AsyncStream<KioskConfig>.makeStream(bufferingPolicy: .bufferingNewest(1))
        changes = continuation
        // One task hands changes to the parts in order; a burst of changes delivers the newest.
        Task { [weak self] in
            for await config in stream {
                for observer in self?.observers.withLock({ $0 }) ?? [] { await observer(config) }
            }
        }
    }

    deinit { changes.finish() }

    /// What the daemon runs with now (live changes included; restart-only ones not).
    public var current: KioskConfig { state.withLock { $0 } }

    /// The file the configuration is read from: the managed one once it exists.
    public var readPath: String {
        guard let managedPath else { return factoryPath }
        var info = stat()
        return stat(managedPath, &info) == 0 ? managedPath : factoryPath
    }

    /// The file changes are written to.
    public var writePath: String { managedPath ?? factoryPath }

    /// Calls `body` with the running configuration after each change it can take live (the engine, the
    /// flow, the log level); `body` itself waits for the end of a call when one is in progress.
    public func observe(_ body: @escaping @Sendable (KioskConfig) async -> Void) {
        observers.withLock { $0.append(body) }
    }

    /// Takes `file` (the configuration as just written): the live part at once, the rest at the next start.
    @discardableResult
    public func adopt(_ file: KioskConfig) -> ConfigurationChange {
        let change = state.withLock { running in
            let change = ConfigurationChange.between(running, file)
            running = change.running
            return change
        }
        if !change.live.isEmpty { changes.yield(change.running) }
        return change
    }

    /// Which configuration file `kioskd run` reads: the managed one when it exists and can be used,
    /// else the factory one (a damaged managed file must not keep the kiosk down; the log says why).
    public static func load(factoryPath: String, managedPath: String?) throws(ConfigError) -> (config: KioskConfig, path: String, problem: ConfigError?) {
        if let managedPath {
            var info = stat()
            if stat(managedPath, &info) == 0 {
                do { return (try KioskConfig.load(path: managedPath), managedPath, nil) } catch {
                    return (try KioskConfig.load(path: factoryPath), factoryPath, error)
                }
            }
        }
        return (try KioskConfig.load(path: factoryPath), factoryPath, nil)
    }
}

/// The level log lines are kept from, changeable while the daemon runs (`log.level`).
public enum LogLevelSwitch {
    static let level = Atomic<Int>(Logger.Level.info.index)

    public static var current: Logger.Level {
        get { Logger.Level.allCases[level.load(ordering: .relaxed)] }
        set { level.store(newValue.index, ordering: .relaxed) }
    }
}

extension Logger.Level {
    var index: Int { Logger.Level.allCases.firstIndex(of: self) ?? 2 }
}

/// Wraps the daemon's handler so the level comes from `LogLevelSwitch` (a logger's level is otherwise
/// fixed when it is made).
public struct SwitchableLogHandler: LogHandler {
    var wrapped: any LogHandler

    public init(_ wrapped: any LogHandler) {
        self.wrapped = wrapped
    }

    public var logLevel: Logger.Level {
        get { LogLevelSwitch.current }
        set { LogLevelSwitch.current = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        wrapped.log(event: event)
    }
}
