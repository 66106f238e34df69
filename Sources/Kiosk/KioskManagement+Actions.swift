import Control
import Display
import Synchronization

/// A restart asked for over the fleet API: kioskd shuts down gracefully and exits with `exitCode`, so
/// systemd (Restart=on-failure) starts it again with the configuration on disk.
public enum DaemonRestart {
    /// EX_TEMPFAIL: not a failure of the kiosk, but systemd must start it again.
    public static let exitCode: Int32 = 75
    static let flag = Atomic<Bool>(false)
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }
}

extension KioskManagement {
    /// The call or customer that keeps the kiosk busy, or nil when it is free.
    public func engineInUse() async -> String? { await commands.engineInUse() }

    /// `kioskctl call`: a test call to `to` (or control.testDestination), waiting up to `wait` seconds
    /// for the answer.
    public func testCall(to: String?, wait: Double?) async throws -> ControlValue {
        var args: [(String, ControlValue)] = []
        if let to { args.append(("to", .string(to))) }
        if let wait { args.append(("wait", .double(wait))) }
        return try await commands.testCall(.object(args))
    }

    /// Flashes the screen (colour bars, then the kiosk's own screen, in turn every half second) so a
    /// person on site can find the kiosk. Refused while a customer uses it.
    public func identify(seconds: Double) async throws -> ControlValue {
        if let busy = await commands.engineInUse() {
            throw ControlFailure(.busy, "not flashing the screen now: \(busy); try again when it is over")
        }
        guard let presenter = commands.sipAgent?.presenter else {
            throw ControlFailure(.unavailable, "no screen to flash (display.device in \(commands.configPath))")
        }
        let size = commands.config.screen.size
        let flashes = max(1, Int(seconds * 2) / 2)
        let before = presenter.presented
        for _ in 0..<flashes {
            presenter.showTestPattern(.colourBars(width: size.width, height: size.height))
            try? await Task.sleep(for: .milliseconds(500))
            presenter.showTestPattern(nil)
            try? await Task.sleep(for: .milliseconds(500))
        }
        commands.logger.notice("fleet: identify: the screen flashed \(flashes) times")
        return ["flashes": .int(flashes), "picturesPresented": .int(presenter.presented - before),
                "screen": .string(ScreenPresenter.name(presenter.screen))]
    }

    /// Restarts the daemon: at once when no call is up (or `force`), else when the call has ended.
    /// `shutdown` starts the graceful shutdown (kioskd: SIGTERM to itself); it runs in the background,
    /// so the caller can answer first.
    public func restart(force: Bool, shutdown: @escaping @Sendable () -> Void) async -> ControlValue {
        let busy = await commands.engineInUse()
        let logger = commands.logger
        let commands = self.commands
        DaemonRestart.flag.store(true, ordering: .relaxed)
        Task {
            if !force {
                var logged = false
                while let why = await commands.engineInUse() {
                    if !logged { logger.notice("fleet: restart waits: \(why)") }
                    logged = true
                    try? await Task.sleep(for: .milliseconds(250))
                }
            } else if let busy {
                logger.warning("fleet: forced restart during: \(busy)")
            }
            // Let the answer leave before the server stops.
            try? await Task.sleep(for: .milliseconds(300))
            logger.notice("fleet: restarting (exit \(DaemonRestart.exitCode) for systemd to start kioskd again)")
            shutdown()
        }
        if let busy, !force {
            return ["restart": "after the call", "waitingFor": .string(busy)]
        }
        return ["restart": "now"]
    }
}
