import Logging
import Synchronization

/// Keeps what a component logs, so a test can read the lines a technician would see.
final class LogCollector: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func lines(level: Logger.Level) -> [String] {
        all.filter { $0.hasPrefix("\(level) ") }
    }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    func logger(_ label: String = "test") -> Logger {
        Logger(label: label) { _ in CollectingLogHandler(collector: self) }
    }
}

struct CollectingLogHandler: LogHandler {
    let collector: LogCollector
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        collector.append("\(event.level) \(event.message)")
    }
}
