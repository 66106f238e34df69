import CheckIn
import Testing

/// When check-ins happen: jittered around the interval, backing off while the server is unreachable, and
/// one log line at the start and one at the end of an outage.
struct CheckInScheduleTests {
    @Test func theFirstCheckInIsSoonAfterStart() {
        let schedule = CheckInSchedule(intervalSeconds: 300)
        #expect(schedule.firstDelay(random: 0) == 1)
        #expect(schedule.firstDelay(random: 1) == 2)
        #expect(CheckInSchedule(intervalSeconds: 1).firstDelay(random: 1) == 1)
    }

    @Test func theIntervalIsJitteredTenPercentEitherWay() {
        let schedule = CheckInSchedule(intervalSeconds: 300)
        #expect(abs(schedule.nextDelay(random: 0) - 270) < 1e-9)
        #expect(schedule.nextDelay(random: 0.5) == 300)
        #expect(abs(schedule.nextDelay(random: 1) - 330) < 1e-9)
    }

    @Test func failuresDoubleTheWaitUpToEightTimesAndLogOnce() {
        var schedule = CheckInSchedule(intervalSeconds: 10)
        var starts: [Bool] = []
        var waits: [Double] = []
        for _ in 0..<6 {
            starts.append(schedule.failed())
            waits.append(schedule.nextDelay(random: 0.5))
        }
        #expect(starts == [true, false, false, false, false, false])
        #expect(waits == [20, 40, 80, 80, 80, 80])
        // The server answers: the outage ends (once), the interval is back.
        let ended = schedule.succeeded(serverInterval: nil)
        #expect(ended)
        #expect(schedule.nextDelay(random: 0.5) == 10)
        let endedAgain = schedule.succeeded(serverInterval: nil)
        #expect(!endedAgain)
        // A second outage is logged again.
        let startedAgain = schedule.failed()
        #expect(startedAgain)
    }

    @Test func theServersIntervalReplacesTheConfiguredOneUntilItSaysOtherwise() {
        var schedule = CheckInSchedule(intervalSeconds: 300)
        _ = schedule.succeeded(serverInterval: 60)
        #expect(schedule.nextDelay(random: 0.5) == 60)
        _ = schedule.succeeded(serverInterval: nil)
        #expect(schedule.nextDelay(random: 0.5) == 60)
        _ = schedule.failed()
        #expect(schedule.nextDelay(random: 0.5) == 120)
    }
}
