#if canImport(Glibc)
import Glibc
#endif
import Systemd
import Testing

struct SystemdWatchdogTests {
    @Test func theKeepAliveIntervalIsHalfTheTimeout() throws {
        let watchdog = try #require(try SystemdWatchdog.parse(watchdogUSec: "30000000", watchdogPID: "4242", processID: 4242).get())
        #expect(watchdog.timeout == .seconds(30))
        #expect(watchdog.keepAliveInterval == .seconds(15))
    }

    @Test func withoutWatchdogPIDThePIDIsNotChecked() throws {
        let watchdog = try SystemdWatchdog.parse(watchdogUSec: "2000000", watchdogPID: nil, processID: 4242).get()
        #expect(watchdog?.keepAliveInterval == .seconds(1))
    }

    @Test func aWatchdogMeantForAnotherProcessIsIgnored() throws {
        #expect(try SystemdWatchdog.parse(watchdogUSec: "2000000", watchdogPID: "4243", processID: 4242).get() == nil)
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"], processID: getpid())
        #expect(notifier.watchdog == nil)
        #expect(notifier.problems.isEmpty)
    }

    @Test func noWatchdogWithoutWatchdogUSec() throws {
        #expect(try SystemdWatchdog.parse(watchdogUSec: nil, watchdogPID: "4242", processID: 4242).get() == nil)
    }

    @Test(arguments: ["", "0", "abc", "-5", "+5", " 5", "5 ", "1e6", "2.5", "18446744073709551615", "99999999999999999999999"])
    func badWatchdogUSecIsAProblem(value: String) {
        let result = SystemdWatchdog.parse(watchdogUSec: value, watchdogPID: nil, processID: 4242)
        #expect(throws: SystemdEnvironmentProblem.badWatchdogUSec(value)) { try result.get() }
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": value, "WATCHDOG_PID": "\(getpid())"], processID: getpid())
        #expect(notifier.watchdog == nil)
        #expect(notifier.problems == [.badWatchdogUSec(value)])
    }

    @Test(arguments: ["", "0", "x", "-1", "2147483648"])
    func badWatchdogPIDIsAProblem(value: String) {
        let result = SystemdWatchdog.parse(watchdogUSec: "1000000", watchdogPID: value, processID: 4242)
        #expect(throws: SystemdEnvironmentProblem.badWatchdogPID(value)) { try result.get() }
    }

    @Test func theEnvironmentArmsTheWatchdogForThisProcess() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "500000", "WATCHDOG_PID": "\(getpid())"],
                                       processID: getpid())
        #expect(notifier.watchdog?.keepAliveInterval == .milliseconds(250))
        #expect(notifier.problems.isEmpty)
    }
}
