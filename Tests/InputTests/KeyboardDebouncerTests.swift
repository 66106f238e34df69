import Input
import Testing

/// A device's keys through the key map, each debounced on its own.
struct KeyboardDebouncerTests {
    static let timing = InputTiming(debounce: .milliseconds(20), heldDownWarning: .seconds(10))
    static func key(_ code: UInt16, _ value: Int32, _ ms: Int) -> InputEvent {
        InputEvent(time: .milliseconds(ms), type: InputEvent.key, code: code, value: value)
    }
    static func syn(_ ms: Int) -> InputEvent { InputEvent(time: .milliseconds(ms), type: 0, code: 0, value: 0) }
    static func event(_ key: KioskKey, _ pressed: Bool, _ ms: Int) -> KeyboardDebouncer.Output {
        .key(KeyEvent(key: key, isPressed: pressed, time: .milliseconds(ms)))
    }

    static func run(_ events: [InputEvent], end: Int, keysDown: Set<UInt16> = []) -> [KeyboardDebouncer.Output] {
        var k = KeyboardDebouncer(keyMap: .standard, timing: timing, keysDown: keysDown)
        var out: [KeyboardDebouncer.Output] = []
        for e in events { out += k.handle(e) }
        return out + k.advance(to: .milliseconds(end))
    }

    @Test func mappedKeysBecomeKioskKeysAndOthersAreIgnored() {
        let out = Self.run([Self.key(28, 1, 0), Self.syn(0), Self.key(30, 1, 5), Self.key(28, 0, 100), Self.key(30, 0, 105),
                            Self.key(103, 1, 200), Self.key(103, 0, 300), Self.key(1, 1, 400), Self.key(1, 0, 450)], end: 1000)
        #expect(out == [Self.event(.call, true, 0), Self.event(.call, false, 100), Self.event(.up, true, 200),
                        Self.event(.up, false, 300), Self.event(.hangUp, true, 400), Self.event(.hangUp, false, 450)])
    }

    @Test func twoKeysBouncingAtOnceAreDebouncedEachOnItsOwn() {
        let out = Self.run([Self.key(103, 1, 0), Self.key(108, 1, 1), Self.key(103, 0, 3), Self.key(108, 0, 4),
                            Self.key(103, 1, 6), Self.key(108, 1, 8)], end: 100)
        #expect(out == [Self.event(.up, true, 6), Self.event(.down, true, 8)])
    }

    @Test func nonKeyEventsAndOddValuesAreIgnored() {
        let out = Self.run([InputEvent(time: .zero, type: 2, code: 28, value: 1),   // EV_REL with a key's code
                            Self.key(28, 7, 0), Self.key(28, -1, 0), Self.key(28, 2, 10)], end: 1000)
        #expect(out.isEmpty)
    }

    @Test func aKeyHeldAtStartIsNotPressedAndItsReleaseIsIgnored() {
        let out = Self.run([Self.key(28, 2, 100), Self.key(28, 0, 200), Self.key(28, 1, 400), Self.key(28, 0, 500)],
                           end: 1000, keysDown: [28])
        #expect(out == [Self.event(.call, true, 400), Self.event(.call, false, 500)])
    }

    @Test func aKeyHeldPastTheWarningIsSaidOnce() {
        var k = KeyboardDebouncer(keyMap: .standard, timing: Self.timing)
        _ = k.handle(Self.key(28, 1, 0))
        #expect(k.advance(to: .milliseconds(50)) == [Self.event(.call, true, 0)])
        #expect(k.nextDeadline == .seconds(10))
        #expect(k.advance(to: .seconds(11)) == [.heldDown(.call, code: 28, since: .zero)])
        #expect(k.advance(to: .seconds(60)).isEmpty)
    }

    @Test func lostEventsAreMadeUpFromTheDevicesKeyState() {
        // A press was seen, its release lost with the kernel's queue; the device says nothing is down now.
        var k = KeyboardDebouncer(keyMap: .standard, timing: Self.timing)
        _ = k.handle(Self.key(28, 1, 0))
        #expect(k.advance(to: .milliseconds(50)) == [Self.event(.call, true, 0)])
        #expect(k.resynchronize(keysDown: [103], at: .milliseconds(500)).isEmpty, "not settled yet")
        #expect(k.advance(to: .milliseconds(520)) == [Self.event(.call, false, 500), Self.event(.up, true, 500)])
    }

    @Test func aDeviceGoneReleasesWhatWasPressed() {
        var k = KeyboardDebouncer(keyMap: .standard, timing: Self.timing)
        _ = k.handle(Self.key(108, 1, 0))
        _ = k.advance(to: .milliseconds(50))
        #expect(k.releaseAll(at: .milliseconds(700)) == [KeyEvent(key: .down, isPressed: false, time: .milliseconds(700))])
        #expect(k.releaseAll(at: .milliseconds(800)).isEmpty, "released once")
    }

    @Test func aDeviceGoneWithAKeyHeldSinceStartReleasesNothing() {
        var k = KeyboardDebouncer(keyMap: .standard, timing: Self.timing, keysDown: [28])
        #expect(k.releaseAll(at: .milliseconds(700)).isEmpty)
    }

    @Test func aFloodOfRepeatsAndBouncesStaysOnePressPerKey() {
        var events: [InputEvent] = [Self.key(28, 1, 0)]
        for i in 1...5000 { events.append(Self.key(28, 2, i)); if i % 7 == 0 { events.append(Self.syn(i)) } }
        events.append(Self.key(28, 0, 6000))
        #expect(Self.run(events, end: 7000) == [Self.event(.call, true, 0), Self.event(.call, false, 6000)])
    }
}

extension KeyboardDebouncerTests {
    @Test func eventsAtTheSameTimeComeReleasesFirstThenByCode() {
        // Whatever order the keys are kept in: run it many times, with the keys in several orders.
        for _ in 0..<50 {
            var k = KeyboardDebouncer(keyMap: .standard, timing: Self.timing)
            for code in [108, 1, 57].shuffled() as [UInt16] { _ = k.handle(Self.key(code, 1, 0)) }
            #expect(k.advance(to: .milliseconds(30)) == [Self.event(.hangUp, true, 0), Self.event(.call, true, 0), Self.event(.down, true, 0)])
            _ = k.handle(Self.key(108, 0, 100))
            _ = k.handle(Self.key(103, 1, 100))
            _ = k.handle(Self.key(1, 0, 100))
            #expect(k.advance(to: .milliseconds(130)) == [Self.event(.hangUp, false, 100), Self.event(.down, false, 100), Self.event(.up, true, 100)])
        }
    }
}

extension KeyboardDebouncerTests {
    @Test func twoCodesForOneKioskKeyAreOneKey() {
        // Space pressed, Enter pressed while Space is down, Space released, Enter released: one call press,
        // one call release, when the last of them goes up.
        let out = Self.run([Self.key(57, 1, 0), Self.key(28, 1, 100), Self.key(57, 0, 200), Self.key(28, 0, 300)], end: 1000)
        #expect(out == [Self.event(.call, true, 0), Self.event(.call, false, 300)])
        // Both down at the same time and released at the same time.
        let together = Self.run([Self.key(57, 1, 0), Self.key(28, 1, 0), Self.key(28, 0, 100), Self.key(57, 0, 100)], end: 1000)
        #expect(together == [Self.event(.call, true, 0), Self.event(.call, false, 100)])
    }

    @Test func aDeviceGoneWithTwoCodesOfOneKeyDownReleasesItOnce() {
        var k = KeyboardDebouncer(keyMap: .standard, timing: Self.timing)
        _ = k.handle(Self.key(57, 1, 0))
        _ = k.handle(Self.key(28, 1, 0))
        #expect(k.advance(to: .milliseconds(50)) == [Self.event(.call, true, 0)])
        #expect(k.releaseAll(at: .milliseconds(700)) == [KeyEvent(key: .call, isPressed: false, time: .milliseconds(700))])
    }
}
