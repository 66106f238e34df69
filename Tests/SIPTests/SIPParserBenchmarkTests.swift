import Testing
import SIP

/// Not a pass/fail timing test: prints how many parse + serialize rounds of a typical INVITE
/// (~1 KB, 12 header fields, SDP) run per second, for the benchmark suite to pick up. Meaningful
/// in a release build: `swift test -c release --filter SIPParserBenchmark`.
@Suite struct SIPParserBenchmarkTests {
    @Test func parseAndSerializeRate() throws {
        let bytes = Wire.invite
        let rounds = 20_000
        var checksum = 0
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<rounds {
                let message = try SIPMessageParser.parse(bytes)
                checksum &+= message.serialized().count
            }
        }
        #expect(checksum == rounds * bytes.count)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(rounds) / seconds
        print("SIP parse+serialize: \(rounds) rounds of a \(bytes.count)-byte INVITE in \(elapsed): \(Int(rate)) per second")

        // Parse alone, and parse plus the typed accessors a transaction layer reads.
        let parseOnly = try clock.measure {
            for _ in 0..<rounds { checksum &+= try SIPMessageParser.parse(bytes).headers.count }
        }
        let withAccessors = try clock.measure {
            for _ in 0..<rounds {
                let request = try #require(try SIPMessageParser.parse(bytes).request)
                checksum &+= Int(request.cseq?.sequenceNumber ?? 0) &+ (request.topVia?.branch?.utf8.count ?? 0)
            }
        }
        print("SIP parse only: \(parseOnly); parse + cseq/topVia: \(withAccessors) for \(rounds) rounds")
    }
}
