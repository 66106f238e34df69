import Synchronization
import Systemd
import Testing

/// The keep-alive goes out only while the probe answers "healthy" in time.
@Suite(.serialized)
struct WatchdogKeepAliveTests {
    /// A probe whose answer the test sets: healthy, unhealthy, or hanging (never answering).
    final class ScriptedProbe: Sendable {
        enum Mode { case healthy(String), unhealthy, hanging }
        let mode: Mutex<Mode>
        init(_ mode: Mode) { self.mode = Mutex(mode) }

        func set(_ new: Mode) { mode.withLock { $0 = new } }

        func answer() async -> WatchdogKeepAlive.Health {
            switch mode.withLock({ $0 }) {
            case let .healthy(status): return .healthy(status: status)
            case .unhealthy: return .unhealthy(reason: "scripted")
            case .hanging:
                // Longer than any deadline here; a wedged actor looks the same from outside.
                try? await Task.sleep(for: .seconds(30))
                return .healthy(status: "too late")
            }
        }
    }

    func start(_ listener: NotifySocketListener, _ probe: ScriptedProbe, sendsKeepAlive: Bool = true) throws -> Task<Void, Never> {
        let keepAlive = WatchdogKeepAlive(notifier: SystemdNotifier(socket: try NotifySocketAddress(listener.address)),
                                          interval: .milliseconds(200), probeDeadline: .milliseconds(150),
                                          sendsKeepAlive: sendsKeepAlive)
        return Task { await keepAlive.run(probe: { await probe.answer() }) }
    }

    @Test func aHealthyDaemonIsKeptAliveAndItsStatusSentOnce() async throws {
        let listener = try NotifySocketListener(abstract: true)
        let probe = ScriptedProbe(.healthy("registered; idle"))
        let task = try start(listener, probe)
        defer { task.cancel() }
        // The first round, however long a loaded machine takes to get to it; then about 10 a second
        // (fewer when other tests hold the cores), the status only when it changed.
        #expect(await listener.next(milliseconds: 5000) == "STATUS=registered; idle\nWATCHDOG=1")
        // Counted until five keep-alives came (a loaded machine may take longer than a second for them).
        var messages: [String] = []
        while messages.count < 5, let message = await listener.next(milliseconds: 5000) { messages.append(message) }
        #expect(messages.count == 5 && messages.allSatisfy { $0 == "WATCHDOG=1" }, "\(messages)")

        probe.set(.healthy("registered; in call"))
        let next = await listener.receiveAll(milliseconds: 600)
        #expect(next.contains("STATUS=registered; in call\nWATCHDOG=1"), "\(next)")
    }

    @Test func aHangingProbeWithholdsTheKeepAliveUntilItAnswersAgain() async throws {
        let listener = try NotifySocketListener(abstract: false)
        let probe = ScriptedProbe(.healthy("idle"))
        let task = try start(listener, probe)
        defer { task.cancel() }
        #expect(await listener.next() == "STATUS=idle\nWATCHDOG=1")

        probe.set(.hanging)
        let wedged = await listener.receiveAll(milliseconds: 1500)
        // The status says why, once; from then on no keep-alive (one round may have begun before the change).
        let unhealthy = wedged.indices.filter { wedged[$0].hasPrefix("STATUS=unhealthy: the health probe did not answer") }
        #expect(unhealthy.count == 1, "\(wedged)")
        let since = unhealthy.first ?? 0
        #expect(since <= 1, "\(wedged)")
        #expect(!wedged[since...].contains { $0.contains("WATCHDOG=1") }, "\(wedged)")

        probe.set(.healthy("idle"))
        var recovered: [String] = []
        while recovered.count < 3, let message = await listener.next(milliseconds: 5000) { recovered.append(message) }
        #expect(recovered.first == "STATUS=idle\nWATCHDOG=1", "\(recovered)")
        #expect(recovered.count == 3 && recovered.allSatisfy { $0.contains("WATCHDOG=1") }, "\(recovered)")
    }

    @Test func anUnhealthyAnswerWithholdsTheKeepAlive() async throws {
        let listener = try NotifySocketListener(abstract: true)
        let probe = ScriptedProbe(.unhealthy)
        let task = try start(listener, probe)
        defer { task.cancel() }
        let messages = await listener.receiveAll(milliseconds: 1000)
        #expect(messages == ["STATUS=unhealthy: scripted"], "\(messages)")
    }

    @Test func withoutAWatchdogOnlyTheStatusIsSent() async throws {
        let listener = try NotifySocketListener(abstract: true)
        let probe = ScriptedProbe(.healthy("no registrar; idle"))
        let task = try start(listener, probe, sendsKeepAlive: false)
        defer { task.cancel() }
        #expect(await listener.receiveAll(milliseconds: 800) == ["STATUS=no registrar; idle"])
    }

    @Test func cancellingTheTaskEndsTheRounds() async throws {
        let listener = try NotifySocketListener(abstract: true)
        let task = try start(listener, ScriptedProbe(.healthy("idle")))
        #expect(await listener.next() != nil)
        task.cancel()
        await task.value
        _ = await listener.receiveAll(milliseconds: 50)
        #expect(await listener.receiveAll(milliseconds: 400).isEmpty)
    }
}
