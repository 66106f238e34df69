import KioskFlow
import Logging
import Media
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The kiosk's buttons on a terminal, for the embedded default and a developer's desk: each line typed
/// is one press and release. An empty line (Enter) is the call button; `h` hang up, `u`/`d` up and down,
/// `s` select. On a kiosk the buttons are evdev keys or GPIO lines instead.
public struct TerminalKeys: Service {
    let controller: KioskController
    let logger: Logger

    public init(controller: KioskController, logger: Logger) {
        self.controller = controller
        self.logger = logger
    }

    static func key(for line: String) -> KioskFlow.Key? {
        switch line.lowercased().filter({ !$0.isWhitespace }) {
        case "", "c", "call": return .call
        case "h", "hangup": return .hangUp
        case "u", "up": return .up
        case "d", "down": return .down
        case "s", "select": return .select
        default: return nil
        }
    }

    public func run() async throws {
        logger.info("keys: Enter is the call button; h hang up, u/d up and down, s select")
        let lines = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let stopping = Atomic<Bool>(false)
        let reader = BlockingThread {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 256)
            while !stopping.load(ordering: .relaxed) {
                var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 200) > 0 else { continue }
                let n = read(0, &buffer, buffer.count)
                if n <= 0 { break }  // end of input: no more keys
                pending += buffer[0..<n]
                while let newline = pending.firstIndex(of: 10) {
                    lines.continuation.yield(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            lines.continuation.finish()
        }
        await withGracefulShutdownHandler {
            for await line in lines.stream {
                guard let key = Self.key(for: line) else {
                    logger.warning("keys: '\(line)' is no key (Enter, h, u, d, s)")
                    continue
                }
                await controller.key(key, .pressed)
                try? await Task.sleep(for: .milliseconds(80))
                await controller.key(key, .released)
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
            lines.continuation.finish()
        }
        stopping.store(true, ordering: .relaxed)
        reader.join()
    }
}
