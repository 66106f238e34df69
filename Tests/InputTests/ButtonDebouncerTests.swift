import Input
import Testing

/// The debouncer on its own: raw level changes with times in, clean presses and releases out.
struct ButtonDebouncerTests {
    typealias Level = ButtonDebouncer.Level
    static func ms(_ v: Int) -> Duration { .milliseconds(v) }

    /// Feeds `changes` (level, ms) then advances to `end` ms; returns every event in order.
    static func run(_ changes: [(Level, Int)], end: Int, settle: Int = 25, stuck: Int? = nil,
                    initiallyDown: Bool = false) -> [ButtonDebouncer.Event] {
        var d = ButtonDebouncer(settle: ms(settle), stuckAfter: stuck.map(ms), initiallyDown: initiallyDown)
        var events: [ButtonDebouncer.Event] = []
        for (level, t) in changes { events += d.change(level, at: ms(t)) }
        events += d.advance(to: ms(end))
        return events
    }

    @Test func aCleanPressAndReleaseAreReportedWithTheirTimesOnceSettled() {
        var d = ButtonDebouncer(settle: Self.ms(25), stuckAfter: nil)
        #expect(d.change(.pressed, at: Self.ms(100)) == [])
        #expect(d.nextDeadline == Self.ms(125))
        #expect(d.advance(to: Self.ms(124)) == [], "not settled yet")
        #expect(d.advance(to: Self.ms(125)) == [.pressed(at: Self.ms(100))])
        #expect(d.isDown && d.nextDeadline == nil)
        #expect(d.change(.released, at: Self.ms(400)) == [])
        #expect(d.advance(to: Self.ms(500)) == [.released(at: Self.ms(400))])
        #expect(!d.isDown)
    }

    @Test func contactBounceOnPressAndOnReleaseGivesOnePressAndOneRelease() {
        let bouncy: [(Level, Int)] = [
            (.pressed, 0), (.released, 2), (.pressed, 5), (.released, 7), (.pressed, 11),   // press bounce
            (.released, 300), (.pressed, 303), (.released, 306), (.pressed, 310), (.released, 318),  // release bounce
        ]
        #expect(Self.run(bouncy, end: 1000) == [.pressed(at: Self.ms(11)), .released(at: Self.ms(318))])
    }

    @Test func aGlitchShorterThanTheSettleTimeReportsNothing() {
        #expect(Self.run([(.pressed, 10), (.released, 20)], end: 1000) == [])
        #expect(Self.run([(.pressed, 10), (.released, 34)], end: 1000) == [], "24 ms < 25 ms")
        #expect(Self.run([(.pressed, 10), (.released, 35)], end: 1000) == [.pressed(at: Self.ms(10)), .released(at: Self.ms(35))],
                "25 ms held: a (short) press")
    }

    @Test func aKeyHeldDownWithAutorepeatReportsOnePress() {
        var changes: [(Level, Int)] = [(.pressed, 0)]
        for t in stride(from: 250, through: 5000, by: 33) { changes.append((.autorepeat, t)) }
        changes.append((.released, 5010))
        #expect(Self.run(changes, end: 6000) == [.pressed(at: .zero), .released(at: Self.ms(5010))])
    }

    @Test func aRepeatedPressWithoutReleaseInBetweenKeepsTheFirstTime() {
        #expect(Self.run([(.pressed, 0), (.pressed, 10), (.pressed, 20)], end: 100) == [.pressed(at: .zero)])
    }

    @Test func autorepeatAloneNeverMakesAPress() {
        #expect(Self.run([(.autorepeat, 0), (.autorepeat, 33), (.autorepeat, 66)], end: 1000) == [])
    }

    @Test func aReleaseWithoutAPressIsIgnored() {
        #expect(Self.run([(.released, 5), (.released, 50)], end: 1000) == [])
    }

    @Test func aButtonDownWhenReadingStartsIsNotAPressAndItsReleaseIsIgnored() {
        #expect(Self.run([(.released, 500)], end: 1000, initiallyDown: true) == [])
        // The next press after it is reported as usual.
        #expect(Self.run([(.released, 500), (.pressed, 700), (.released, 800)], end: 1000, initiallyDown: true)
                == [.pressed(at: Self.ms(700)), .released(at: Self.ms(800))])
    }

    @Test func aBurstOfPressesEachLongerThanTheSettleTimeIsReportedPressForPress() {
        var changes: [(Level, Int)] = []
        for i in 0..<10 { changes += [(.pressed, i * 80), (.released, i * 80 + 40)] }
        let events = Self.run(changes, end: 2000)
        #expect(events.count == 20)
        for i in 0..<10 {
            #expect(events[2 * i] == .pressed(at: Self.ms(i * 80)))
            #expect(events[2 * i + 1] == .released(at: Self.ms(i * 80 + 40)))
        }
    }

    @Test func aBurstFasterThanTheSettleTimeIsOnePress() {
        // Hammered every 10 ms for 200 ms, then held: one press, when the hammering stopped.
        var changes: [(Level, Int)] = []
        for i in 0..<20 { changes += [(.pressed, i * 10), (.released, i * 10 + 5)] }
        changes.append((.pressed, 200))
        #expect(Self.run(changes, end: 1000) == [.pressed(at: Self.ms(200))])
    }

    @Test func aLateChangeFirstSettlesWhatWasPending() {
        // The reader was late: the press settled long before the release arrives; both come out, in order.
        var d = ButtonDebouncer(settle: Self.ms(25), stuckAfter: nil)
        _ = d.change(.pressed, at: Self.ms(0))
        #expect(d.change(.released, at: Self.ms(900)) == [.pressed(at: .zero)])
        #expect(d.advance(to: Self.ms(925)) == [.released(at: Self.ms(900))])
    }

    @Test func timeGoingBackwardsDoesNotUnsettleOrCrash() {
        var d = ButtonDebouncer(settle: Self.ms(25), stuckAfter: nil)
        _ = d.change(.pressed, at: Self.ms(1000))
        #expect(d.change(.released, at: Self.ms(10)) == [], "a stamp from the past counts as now: a bounce")
        #expect(d.advance(to: Self.ms(5000)) == [])
        #expect(!d.isDown)
    }

    @Test func zeroSettleReportsAtOnce() {
        var d = ButtonDebouncer(settle: .zero, stuckAfter: nil)
        #expect(d.change(.pressed, at: Self.ms(7)) == [.pressed(at: Self.ms(7))])
        #expect(d.change(.released, at: Self.ms(8)) == [.released(at: Self.ms(8))])
    }

    @Test func aNegativeSettleIsTakenAsZero() {
        #expect(ButtonDebouncer(settle: .milliseconds(-5)).settle == .zero)
    }

    @Test func aPressHeldPastTheStuckTimeIsSaidOnceAndTheReleaseStillComes() {
        var d = ButtonDebouncer(settle: Self.ms(25), stuckAfter: .seconds(30))
        _ = d.change(.pressed, at: Self.ms(0))
        #expect(d.advance(to: Self.ms(100)) == [.pressed(at: .zero)])
        #expect(d.nextDeadline == .seconds(30))
        #expect(d.advance(to: .seconds(29)) == [])
        #expect(d.advance(to: .seconds(31)) == [.heldDown(since: .zero)])
        #expect(d.advance(to: .seconds(120)) == [], "said once")
        #expect(d.nextDeadline == nil)
        _ = d.change(.released, at: .seconds(121))
        #expect(d.advance(to: .seconds(122)) == [.released(at: .seconds(121))])
    }

    @Test func aButtonStuckDownAtStartIsSaidAsHeldDownToo() {
        #expect(Self.run([], end: 31_000, stuck: 30_000, initiallyDown: true) == [.heldDown(since: .zero)])
    }

    @Test func aPendingReleaseIsNotHeldDown() {
        // Released at 29.99 s; the warning's time passes while the release settles: no warning.
        var d = ButtonDebouncer(settle: Self.ms(25), stuckAfter: .seconds(30))
        _ = d.change(.pressed, at: .zero)
        _ = d.advance(to: Self.ms(30))
        _ = d.change(.released, at: Self.ms(29_990))
        #expect(d.advance(to: Self.ms(30_020)) == [.released(at: Self.ms(29_990))])
    }
}
