import Input
import KioskFlow
import Logging
import ServiceLifecycle

/// The kiosk's real buttons: the configured evdev device and GPIO line, each read on its own thread
/// (debounced, retried while missing), their presses and releases handed to the kiosk's flow.
public struct KeyInputService: Service {
    let sources: InputSources
    let controller: KioskController
    let logger: Logger

    public init(sources: InputSources, controller: KioskController, logger: Logger) {
        self.sources = sources
        self.controller = controller
        self.logger = logger
    }

    static func flowKey(_ key: KioskKey) -> KioskFlow.Key {
        switch key {
        case .call: .call
        case .hangUp: .hangUp
        case .up: .up
        case .down: .down
        case .select: .select
        }
    }

    public func run() async throws {
        var found: [any KeySource] = []
        if let evdev = sources.evdev { found.append(EvdevInput(settings: evdev, logger: logger)) }
        if let gpio = sources.gpio { found.append(GPIOInput(settings: gpio, logger: logger)) }
        let readers = found
        guard !readers.isEmpty else { return }
        let controller = self.controller
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for reader in readers {
                    group.addTask {
                        for await event in reader.events() {
                            await controller.key(Self.flowKey(event.key), event.isPressed ? .pressed : .released)
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            readers.forEach { $0.stop() }
        }
    }
}
