#if canImport(Glibc)
import Glibc
#endif
import Systemd
import Testing

struct SystemdNotifierTests {
    @Test(arguments: [false, true])
    func sendsToTheSocketGivenAsAnInitParameter(abstract: Bool) throws {
        let listener = try NotifySocketListener(abstract: abstract)
        let address = try NotifySocketAddress(listener.address)
        #expect(address.kind == (abstract ? .abstract : .path))
        let notifier = SystemdNotifier(socket: address)
        #expect(notifier.isActive)
        try notifier.send(.ready, .status("registered; idle"))
        #expect(listener.receive() == "READY=1\nSTATUS=registered; idle")
        try notifier.send(.watchdog)
        #expect(listener.receive() == "WATCHDOG=1")
        try notifier.send(.stopping)
        #expect(listener.receive() == "STOPPING=1")
        try notifier.send(.errno(5))
        #expect(listener.receive() == "ERRNO=5")
    }

    @Test(arguments: [false, true])
    func findsTheSocketInTheEnvironment(abstract: Bool) throws {
        let listener = try NotifySocketListener(abstract: abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address], processID: getpid())
        #expect(notifier.problems.isEmpty)
        #expect(notifier.socket?.description == listener.address)
        #expect(notifier.watchdog == nil)
        try notifier.send(.watchdog)
        #expect(listener.receive() == "WATCHDOG=1")
    }

    @Test func reloadingCarriesTheMonotonicClock() throws {
        let listener = try NotifySocketListener(abstract: true)
        var before = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        try SystemdNotifier(socket: try NotifySocketAddress(listener.address)).reloading()
        let message = try #require(listener.receive())
        let lines = message.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let usec = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        #expect(lines.last?.hasPrefix("MONOTONIC_USEC=") == true)
        let beforeUSec = UInt64(before.tv_sec) * 1_000_000 + UInt64(before.tv_nsec) / 1000
        #expect(usec >= beforeUSec && usec < beforeUSec + 5_000_000)
    }

    @Test func withoutANotifySocketNothingIsSent() throws {
        let notifier = SystemdNotifier(environment: [:], processID: getpid())
        #expect(!notifier.isActive)
        #expect(notifier.problems.isEmpty)
        try notifier.send(.ready)  // returns at once, no error
    }

    @Test func aSocketNobodyListensOnIsAnError() throws {
        let notifier = SystemdNotifier(socket: try NotifySocketAddress("/tmp/kioskd-no-such-notify-socket-\(getpid())"))
        #expect(throws: SystemdNotifyError.self) { try notifier.send(.ready) }
    }

    @Test func statusTextStaysOnOneLine() {
        #expect(SystemdNotification.status("a\nb\r\nc").line == "STATUS=a b c")
        #expect(SystemdNotification.message([.status("x"), .watchdog]) == "STATUS=x\nWATCHDOG=1")
        #expect(SystemdNotification.extendTimeoutUSec(5_000_000).line == "EXTEND_TIMEOUT_USEC=5000000")
    }

    @Test(arguments: ["", "/", "@", "relative/path", "vsock:2:1234", "/" + String(repeating: "x", count: 107)])
    func unusableNotifySocketsAreRefused(value: String) {
        #expect(throws: SystemdEnvironmentProblem.self) { try NotifySocketAddress(value) }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": value], processID: getpid())
        #expect(!notifier.isActive)
        #expect(notifier.problems.count == 1)
    }

    @Test func theLongestPathFits() throws {
        let address = try NotifySocketAddress("/" + String(repeating: "x", count: 106))
        #expect(address.kind == .path)
    }
}
