#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread for work that blocks (device reads, paced sends), kept off Swift's cooperative pool,
/// which has only one thread per core. `join` waits for it to end.
public final class BlockingThread: Sendable {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    nonisolated(unsafe) private var thread: pthread_t = 0
    nonisolated(unsafe) private var joined = false

    public init(body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var t: pthread_t = 0
        let rc = pthread_create(&t, nil, { arg in
            let box = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        thread = t
    }

    /// Waits for the thread to end; call once, from one owner.
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}
