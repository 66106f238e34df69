import Testing
@testable import RTP

@Suite struct NTPTimestampTests {
    @Test func unixEpochIsNineteenHundredPlusOffset() {
        let epoch = NTPTimestamp(unixSeconds: 0.0)
        #expect(epoch.seconds == 2_208_988_800)
        #expect(epoch.fraction == 0)
    }

    @Test func fractionIsBinary() {
        let t = NTPTimestamp(unixSeconds: 1.5)
        #expect(t.seconds == 2_208_988_801)
        #expect(t.fraction == 0x8000_0000)
        #expect(t.rawValue == 0x83AA_7E81_8000_0000)
    }

    @Test func secondsAndNanosecondsMatchTheDoubleInit() {
        let fromParts = NTPTimestamp(unixSeconds: 1_700_000_000, nanoseconds: 250_000_000)
        #expect(fromParts.seconds == 3_908_988_800)
        #expect(fromParts.fraction == 0x4000_0000)
        #expect(fromParts == NTPTimestamp(unixSeconds: 1_700_000_000.25))
        #expect(fromParts.unixSeconds == 1_700_000_000.25)
    }

    @Test func middleBitsAreWhatLSRCarries() {
        let t = NTPTimestamp(seconds: 0x1234_5678, fraction: 0x9ABC_DEF0)
        #expect(t.middle32 == 0x5678_9ABC)
    }

    @Test func nonsenseInputsGiveZeroInsteadOfTrapping() {
        #expect(NTPTimestamp(unixSeconds: .nan).rawValue == 0)
        #expect(NTPTimestamp(unixSeconds: -.infinity).rawValue == 0)
        #expect(NTPTimestamp(unixSeconds: -3_000_000_000).rawValue == 0)
        // Far future wraps into a later NTP era rather than trapping.
        #expect(NTPTimestamp(unixSeconds: 1e300).fraction <= UInt32.max)
        #expect(NTPTimestamp(unixSeconds: 1, nanoseconds: 4_000_000_000).fraction == NTPTimestamp(unixSeconds: 1, nanoseconds: 999_999_999).fraction)
    }

    @Test func ordersByValue() {
        #expect(NTPTimestamp(unixSeconds: 10.0) < NTPTimestamp(unixSeconds: 10.5))
    }
}
