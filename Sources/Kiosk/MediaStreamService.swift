import Logging
import Media
import ServiceLifecycle

/// Runs the send pipeline as a service: until the service group shuts down (SIGTERM), or until the
/// stream's own limits are reached, in which case the service returns and ends the group.
public struct MediaStreamService: Service {
    public let streamer: MediaStreamer
    let logger: Logger

    public init(streamer: MediaStreamer, logger: Logger) {
        self.streamer = streamer
        self.logger = logger
    }

    public func run() async throws {
        streamer.start()
        await withGracefulShutdownHandler {
            await streamer.waitUntilFinished()
        } onGracefulShutdown: {
            streamer.stop()
        }
        let s = streamer.statistics
        logger.info("stream ended: video \(s.videoFramesSent) frames, audio \(s.audioPacketsSent) packets")
    }
}

/// Keeps the daemon alive and says what it is doing while no call engine exists yet; it watches the
/// configured camera so a technician sees in the log when one comes or goes (without opening it for
/// capture: the camera stays off unless a customer agreed).
public struct DeviceWatchService: Service {
    let settings: MediaSettings
    let interval: Duration
    let logger: Logger

    public init(settings: MediaSettings, interval: Duration = .seconds(10), logger: Logger) {
        self.settings = settings
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var last: String?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = describeCamera()
            if now != last {
                logger.info("camera: \(now)")
                last = now
            }
            _ = try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }

    private func describeCamera() -> String {
        let devices = V4L2Camera.listCaptureDevices()
        switch settings.camera {
        case .synthetic: return "synthetic test pattern"
        case .automatic:
            return devices.first.map { "\($0.path) (\($0.card))" } ?? "none present, synthetic test pattern"
        case let .path(p):
            return devices.first(where: { $0.path == p }).map { "\($0.path) (\($0.card)) present" } ?? "\(p) missing"
        case let .name(n):
            return devices.first(where: { $0.card.hasPrefix(n) }).map { "\($0.path) (\($0.card)) present" } ?? "no camera named '\(n)'"
        }
    }
}
