import Input
import Testing

/// `struct input_event` as bytes: what evdev's read(2) hands out on a 64-bit Linux.
struct InputEventTests {
    /// The bytes of one event, built field by field here (not by the code under test).
    static func bytes(seconds: Int64, microseconds: Int64, type: UInt16, code: UInt16, value: Int32) -> [UInt8] {
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        return le(seconds) + le(microseconds) + le(type) + le(code) + le(value)
    }

    @Test func aKeyPressParses() throws {
        let e = try InputEvent(bytes: Self.bytes(seconds: 12, microseconds: 345_678, type: 1, code: 28, value: 1))
        #expect(e == InputEvent(time: .seconds(12) + .microseconds(345_678), type: 1, code: 28, value: 1))
        #expect(e.keyLevel == .pressed)
    }

    @Test func valuesMapToLevels() throws {
        for (value, level) in [(0, ButtonDebouncer.Level.released), (1, .pressed), (2, .autorepeat)] as [(Int32, ButtonDebouncer.Level)] {
            #expect(try InputEvent(bytes: Self.bytes(seconds: 0, microseconds: 0, type: 1, code: 57, value: value)).keyLevel == level)
        }
        #expect(try InputEvent(bytes: Self.bytes(seconds: 0, microseconds: 0, type: 1, code: 57, value: 3)).keyLevel == nil)
        #expect(try InputEvent(bytes: Self.bytes(seconds: 0, microseconds: 0, type: 1, code: 57, value: -1)).keyLevel == nil)
    }

    @Test func extremeFieldsParse() throws {
        let e = try InputEvent(bytes: Self.bytes(seconds: Int64(Int32.max) * 4, microseconds: 999_999, type: 0xFFFF, code: 0xFFFF, value: Int32.min))
        #expect(e.type == 0xFFFF && e.code == 0xFFFF && e.value == Int32.min)
        #expect(e.time == .seconds(Int64(Int32.max) * 4) + .microseconds(999_999))
    }

    @Test func bytesRoundTrip() throws {
        let raw = Self.bytes(seconds: 98_765, microseconds: 1, type: 1, code: 103, value: 2)
        #expect(try InputEvent(bytes: raw).bytes == raw)
    }

    @Test(arguments: [0, 1, 16, 23, 25, 48])
    func aBufferOfTheWrongSizeIsNotAnEvent(size: Int) {
        #expect(throws: InputEventError.wrongSize(size)) { try InputEvent(bytes: [UInt8](repeating: 0, count: size)) }
    }

    @Test func badTimestampsAreRefused() {
        #expect(throws: InputEventError.badMicroseconds(1_000_000)) {
            try InputEvent(bytes: Self.bytes(seconds: 1, microseconds: 1_000_000, type: 1, code: 28, value: 1))
        }
        #expect(throws: InputEventError.badMicroseconds(-1)) {
            try InputEvent(bytes: Self.bytes(seconds: 1, microseconds: -1, type: 1, code: 28, value: 1))
        }
        #expect(throws: InputEventError.negativeTime(-5)) {
            try InputEvent(bytes: Self.bytes(seconds: -5, microseconds: 0, type: 1, code: 28, value: 1))
        }
    }

    @Test func aReadOfSeveralEventsParsesEachAndCountsTheBadOnes() {
        let press = Self.bytes(seconds: 1, microseconds: 0, type: 1, code: 28, value: 1)
        let syn = Self.bytes(seconds: 1, microseconds: 0, type: 0, code: 0, value: 0)
        let bad = Self.bytes(seconds: 1, microseconds: 2_000_000, type: 1, code: 28, value: 0)
        let release = Self.bytes(seconds: 1, microseconds: 500_000, type: 1, code: 28, value: 0)
        let (events, malformed) = InputEvent.parse(press + syn + bad + release + [1, 2, 3])
        #expect(events.map(\.code) == [28, 0, 28] && events.map(\.value) == [1, 0, 0])
        #expect(malformed == 2, "one bad timestamp and a 3-byte tail")
        #expect(InputEvent.parse([UInt8]()).events.isEmpty && InputEvent.parse([UInt8]()).malformed == 0)
    }

    @Test func randomBytesNeverCrashTheParser() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let (events, malformed) = InputEvent.parse(bytes)
            #expect(events.count + malformed == (bytes.count + InputEvent.size - 1) / InputEvent.size)
        }
    }
}
