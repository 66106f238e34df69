import NIOCore
import NIOPosix

/// The fleet API's one thread: its event loop carries the connections (TLS, HTTP) and, as the preferred
/// executor of the server's tasks, the request handlers too. A flood of requests then keeps at most one
/// thread runnable instead of four (NIO's two plus the cooperative pool's two on a 2-core kiosk), so the
/// call's media threads wait less for a core (kiosk-bench fleet: the frame send interval under load).
/// The daemon may not renice its threads (kioskd.service filters @resources), so fewer competitors it is.
final class FleetAPIExecutor: TaskExecutor, @unchecked Sendable {
    let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop

    init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func shutdown() async {
        try? await group.shutdownGracefully()
    }
}
