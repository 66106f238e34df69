import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's recent log lines in memory, for `kioskctl logs` (recent and follow) and the last errors
/// in `kioskctl status`: a fixed number of lines, the oldest dropped first, and any followers handed
/// each new line as it comes (a slow follower loses lines, never blocks the daemon).
public final class LogRing: Sendable {
    public struct Line: Sendable, Equatable {
        public var sequence: Int
        public var level: Logger.Level
        public var text: String
    }

    public let capacity: Int
    private struct State {
        var lines: [Line] = []
        var start = 0
        var nextSequence = 1
        var followers: [Int: AsyncStream<Line>.Continuation] = [:]
        var nextFollower = 0
    }
    private let state = Mutex(State())

    public init(capacity: Int = 2000) {
        self.capacity = max(1, capacity)
    }

    /// The ring the daemon's log handler feeds.
    public static let shared = LogRing()

    public func append(level: Logger.Level, _ text: String) {
        state.withLock { s in
            let line = Line(sequence: s.nextSequence, level: level, text: text)
            s.nextSequence += 1
            if s.lines.count < capacity {
                s.lines.append(line)
            } else {
                s.lines[s.start] = line
                s.start = (s.start + 1) % capacity
            }
            for follower in s.followers.values { follower.yield(line) }
        }
    }

    /// The last `count` lines at `minimum` level or above, oldest first.
    public func recent(_ count: Int, minimum: Logger.Level = .trace) -> [Line] {
        state.withLock { s in
            let ordered = Array(s.lines[s.start...]) + Array(s.lines[..<s.start])
            return Array(ordered.filter { $0.level >= minimum }.suffix(max(0, count)))
        }
    }

    /// The lines from now on, until the caller stops iterating.
    public func follow() -> AsyncStream<Line> {
        let (stream, continuation) = AsyncStream.makeStream(of: Line.self, bufferingPolicy: .bufferingNewest(1000))
        let key = state.withLock { s in
            defer { s.nextFollower += 1 }
            s.followers[s.nextFollower] = continuation
            return s.nextFollower
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.followers.removeValue(forKey: key) }
        }
        return stream
    }
}

/// A swift-log handler that puts each line into a `LogRing`, formatted like the standard error lines.
public struct LogRingHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let ring: LogRing

    public init(label: String, ring: LogRing = .shared, level: Logger.Level = .info) {
        self.label = label
        self.ring = ring
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var text = "\(Self.timestamp()) \(event.level) \(label): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty {
            text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        ring.append(level: event.level, text)
    }

    /// UTC time to the second, as in `2026-11-21T16:20:05Z`.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
