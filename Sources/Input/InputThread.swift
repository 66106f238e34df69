#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A POSIX thread for a reader that blocks in poll(2), kept off Swift's cooperative pool (one thread
/// per core: a blocked reader there would starve the daemon). The reader checks `isStopping` at least
/// every poll time-out; `stop` sets it and waits for the thread to end. (Input does not depend on Media,
/// whose BlockingThread this mirrors.)
final class InputThread: Sendable {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private let thread: pthread_t
    private let joined = Atomic<Bool>(false)

    /// Starts `body` on a thread of its own; `body` gets this thread to ask `isStopping`.
    init(body: @escaping @Sendable (InputThread.Stop) -> Void) {
        let stop = Stop()
        let box = Unmanaged.passRetained(Box({ body(stop) })).toOpaque()
        var t = pthread_t()
        let rc = pthread_create(&t, nil, { arg in
            let box = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        thread = t
        self.stop = stop
    }

    /// The flag the reader checks.
    final class Stop: Sendable {
        private let flag = Atomic<Bool>(false)
        var isStopping: Bool { flag.load(ordering: .acquiring) }
        func set() { flag.store(true, ordering: .releasing) }
    }

    let stop: Stop

    /// Asks the reader to end and waits for it; any later call returns at once.
    func stopAndJoin() {
        stop.set()
        guard !joined.exchange(true, ordering: .acquiringAndReleasing) else { return }
        pthread_join(thread, nil)
    }
}
