#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KioskFlow
import Logging
import Records
import Synchronization

/// Writes the kiosk's interaction records as the call happens: the press, the answer, the end (the
/// flow's `CallRecord`, its times turned into wall-clock from the press). A write that fails (a full
/// disk, a database that cannot be written) is logged and the call goes on: the customer is never
/// kept waiting for the records.
public final class CallRecorder: Sendable {
    let store: RecordStore?
    private let current: Mutex<KioskConfig>
    /// Ended calls whose record could not be written (a full disk): kept in memory and written when
    /// there is room again (`writeHeld`, at the next write and every few seconds), oldest first.
    private let held = Mutex<[InteractionRecord]>([])
    /// At most this many are held (a kiosk whose disk stays full for weeks must not run out of memory).
    static let heldLimit = 2000
    let logger: Logger

    public init(store: RecordStore?, config: KioskConfig, logger: Logger) {
        self.store = store
        current = Mutex(config)
        self.logger = logger
    }

    /// The kiosk and its location as records name them now (a changed configuration: the next record).
    var config: KioskConfig { current.withLock { $0 } }

    public func reconfigure(_ config: KioskConfig) {
        current.withLock { $0 = config }
    }

    var location: InteractionRecord.Location {
        InteractionRecord.Location(site: config.site.site, address: config.site.address, floor: config.site.floor,
                                   latitude: config.site.latitude, longitude: config.site.longitude)
    }

    /// The customer asked for a call: its row is committed before the call is placed.
    public func pressed(id: String, category: String?, language: String, at time: Date) {
        guard let store else { return }
        writeHeld()
        let record = InteractionRecord(id: id, kioskID: config.identity.id, kioskName: config.identity.name, location: location,
                                       category: category, language: language, pressedAt: time)
        do {
            try store.begin(record)
            logger.info("records: \(id) pressed")
        } catch {
            logger.error("records: cannot write request \(id) at the press: \(error); the call goes on")
        }
    }

    public func answered(id: String, at time: Date) {
        guard let store else { return }
        do {
            try store.answered(id: id, at: time)
        } catch {
            logger.error("records: cannot write the answer of \(id): \(error)")
        }
    }

    /// The call ended: the flow's record, the press's wall-clock time, the media summary.
    public func finished(id: String, _ call: KioskFlow.CallRecord, pressedAt: Date, media: InteractionRecord.MediaQuality?) {
        guard let store else { return }
        let record = Self.record(id: id, call, pressedAt: pressedAt, media: media, config: config, location: location)
        writeHeld()
        do {
            try store.finish(record)
            logger.info("records: \(id) finished: \(record.outcome?.rawValue ?? "?"), ended by \(record.endedBy?.rawValue ?? "?")")
        } catch {
            let count = held.withLock { held in
                if held.count >= Self.heldLimit { held.removeFirst() }
                held.append(record)
                return held.count
            }
            logger.error("records: cannot write the end of \(id): \(error); kept in memory until it can be written (\(count) waiting)")
        }
    }

    /// How many ended calls wait in memory for room on the disk.
    public var heldCount: Int { held.withLock { $0.count } }

    /// Writes the records held in memory, oldest first, until one fails (the disk is still full).
    public func writeHeld() {
        guard let store else { return }
        var written = 0
        while let next = held.withLock({ $0.first }) {
            do { try store.finish(next) } catch { break }
            held.withLock { held in
                if held.first?.id == next.id { held.removeFirst() }
            }
            written += 1
            logger.info("records: \(next.id) finished: \(next.outcome?.rawValue ?? "?"), ended by \(next.endedBy?.rawValue ?? "?") (written late: the disk has room again)")
        }
        if written > 0 { logger.notice("records: \(written) record(s) held in memory written") }
    }

    static func record(id: String, _ call: KioskFlow.CallRecord, pressedAt: Date, media: InteractionRecord.MediaQuality?,
                       config: KioskConfig, location: InteractionRecord.Location) -> InteractionRecord {
        func wall(_ instant: ContinuousClock.Instant) -> Date { pressedAt.addingTimeInterval(seconds(instant - call.placedAt)) }
        return InteractionRecord(
            id: id, kioskID: config.identity.id, kioskName: config.identity.name, location: location,
            category: call.category?.id, language: call.language.id, pressedAt: pressedAt, answeredAt: call.answeredAt.map(wall),
            endedAt: wall(call.endedAt), queueWaitSeconds: seconds(call.waitDuration), outcome: outcome(call.outcome),
            endedBy: ender(call.endedBy), media: media, cameraShared: call.cameraShared)
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    static func outcome(_ o: KioskFlow.CallOutcome) -> InteractionRecord.Outcome {
        switch o {
        case .answered: .answered
        case .noAnswer: .noAnswer
        case .busy: .busy
        case .failed: .failed
        case .abandoned: .abandoned
        }
    }

    static func ender(_ e: KioskFlow.CallEnder) -> InteractionRecord.Ender {
        switch e {
        case .customer: .customer
        case .agent: .agent
        case .kiosk: .kiosk
        case .network: .network
        }
    }
}
