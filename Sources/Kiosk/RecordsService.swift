import Logging
import Records
import ServiceLifecycle

/// The records side of the daemon: opens the database (closing what a crash left open), gives the
/// controller its recorder, and runs delivery to the reporting endpoint until shutdown. A database that
/// cannot be opened is logged; the kiosk takes calls without records rather than not at all.
public struct RecordsService: Service {
    public let recorder: CallRecorder
    let delivery: RecordDelivery?
    let logger: Logger

    public init(config: KioskConfig, logger: Logger) {
        self.logger = logger
        let settings = config.records
        var store: RecordStore?
        do {
            let opened = try RecordStore(path: settings.databasePath)
            store = opened
            let pending = (try? opened.pendingCount()) ?? 0
            logger.info("records: \(settings.databasePath) open, \(pending) waiting for delivery\(opened.recovered.isEmpty ? "" : ", \(opened.recovered.count) interrupted by a crash closed as failed")")
        } catch {
            logger.error("records: cannot open the records database: \(error); calls go on without interaction records")
        }
        if let store {
            let sender = settings.reportingURL.map { ReportingClient(url: $0) }
            delivery = RecordDelivery(store: store, sender: sender,
                                      backoff: DeliveryBackoff(initialSeconds: min(1, settings.retryCapSeconds), capSeconds: settings.retryCapSeconds),
                                      retentionDays: settings.retentionDays, logger: logger)
        } else {
            delivery = nil
        }
        recorder = CallRecorder(store: store, config: config, logger: logger)
    }

    public func run() async throws {
        guard let delivery else {
            try? await gracefulShutdown()
            return
        }
        // Delivery stops with the daemon; what is still pending stays in the outbox for the next start.
        let recorder = self.recorder
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await delivery.run() }
                // Records a full disk kept in memory are written as soon as there is room.
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(5))
                        if recorder.heldCount > 0 { recorder.writeHeld() }
                    }
                }
            }
        }
        if recorder.heldCount > 0 {
            logger.error("records: \(recorder.heldCount) record(s) could not be written before kioskd stopped (the disk was full): lost")
        }
    }
}
