#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread for work that blocks (device reads, paced sends), kept off Swift's cooperative pool,
/// which has only one thread per core. `join` waits for it to end.
public final class BlockingThread: Sendable {
    private final class Box {
        let name: String?
        let body: @Sendable () -> Void
        init(_ name: String?, _ body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    nonisolated(unsafe) private var thread: pthread_t = 0
    nonisolated(unsafe) private var joined = false

    /// `name` (at most 15 bytes, Linux's limit) shows in `top -H` and /proc/PID/task/TID/comm, so a
    /// technician or a benchmark can tell the media threads apart.
    public init(name: String? = nil, body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(name, body)).toOpaque()
        var t: pthread_t = 0
        let rc = pthread_create(&t, nil, { arg in
            let box = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
            if let name = box.name { BlockingThread.nameCurrentThread(name) }
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        thread = t
    }

    /// Glibc's pthread_setname_np is not imported (a GNU extension); the kernel takes the name from
    /// the thread's own comm file. A failure leaves the process's name, nothing else.
    private static func nameCurrentThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = write(fd, bytes, bytes.count)
        close(fd)
    }

    /// Waits for the thread to end; call once, from one owner.
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}
