import Foundation
import Records
import Synchronization

/// A temporary directory for one test's database, removed by `remove()`.
struct TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "records-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    var database: String { path + "/records.sqlite" }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Time the test sets.
final class ManualClock: Sendable {
    private let time: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { time = Mutex(start) }
    var now: Date { time.withLock { $0 } }
    func advance(_ seconds: Double) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A reporting endpoint that answers from a script (then `fallback`), remembering what it got.
final class ScriptedSender: RecordSender {
    private let state: Mutex<(script: [SendResult], fallback: SendResult, sent: [String])>
    init(_ script: [SendResult] = [], fallback: SendResult = .delivered) { state = Mutex((script, fallback, [])) }
    var sent: [String] { state.withLock { $0.sent } }
    func setFallback(_ result: SendResult) { state.withLock { $0.fallback = result } }
    func send(_ record: InteractionRecord) async -> SendResult {
        state.withLock { s in
            s.sent.append(record.id)
            return s.script.isEmpty ? s.fallback : s.script.removeFirst()
        }
    }
}

func sampleRecord(_ id: String = UUID().uuidString.lowercased(), pressedAt: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> InteractionRecord {
    InteractionRecord(id: id, kioskID: "KSK-0412", kioskName: "Rathaus Zürich",
                      location: .init(site: "Zürich HB", address: "Bahnhofplatz 1", floor: "EG", latitude: 47.378, longitude: 8.540),
                      category: "loans", language: "de", pressedAt: pressedAt)
}

func finished(_ record: InteractionRecord, after seconds: Double = 30, outcome: InteractionRecord.Outcome = .answered) -> InteractionRecord {
    var r = record
    r.answeredAt = record.pressedAt.addingTimeInterval(4)
    r.endedAt = record.pressedAt.addingTimeInterval(seconds)
    r.queueWaitSeconds = 4
    r.outcome = outcome
    r.endedBy = .customer
    r.media = .init(lossPercent: 0.5, receivedKbps: 812, sentKbps: 640, framesPerSecond: 24.8)
    r.cameraShared = true
    return r
}
