import SIP
import Testing

struct KeepAliveTests {
    let configuration = SIPKeepAlive.Configuration(interval: .seconds(30), timeout: .seconds(5), missesBeforeLoss: 2)

    func probes(_ actions: [SIPKeepAlive.Action]) -> [UInt32] {
        actions.compactMap { if case let .sendProbe(n) = $0 { n } else { nil } }
    }

    @Test func probesEveryIntervalAndAnswersKeepTheRegistrarReachable() {
        var keepAlive = SIPKeepAlive(configuration: configuration)
        #expect(keepAlive.handle(.start) == [.startTimer(.probe, .seconds(30))])
        let first = keepAlive.handle(.timer(.probe))
        #expect(first == [.sendProbe(1), .startTimer(.timeout(probe: 1), .seconds(5)), .startTimer(.probe, .seconds(30))])
        #expect(keepAlive.handle(.answered(probe: 1)) == [.cancelTimer(.timeout(probe: 1))])
        #expect(keepAlive.reachability == .reachable)
        // A late timeout of an answered probe changes nothing.
        #expect(keepAlive.handle(.timer(.timeout(probe: 1))).isEmpty)
    }

    @Test func twoMissesInARowLoseTheNetworkAndTheNextAnswerRestoresIt() {
        var keepAlive = SIPKeepAlive(configuration: configuration)
        _ = keepAlive.handle(.start)
        _ = keepAlive.handle(.timer(.probe))
        _ = keepAlive.handle(.answered(probe: 1))
        _ = keepAlive.handle(.timer(.probe))
        // One lost datagram is not a lost network.
        #expect(!keepAlive.handle(.timer(.timeout(probe: 2))).contains(.networkLost))
        _ = keepAlive.handle(.timer(.probe))
        #expect(keepAlive.handle(.failed(probe: 3)).contains(.networkLost))
        #expect(keepAlive.reachability == .lost)
        // Still lost: said once only.
        _ = keepAlive.handle(.timer(.probe))
        #expect(!keepAlive.handle(.timer(.timeout(probe: 4))).contains(.networkLost))
        #expect(probes(keepAlive.handle(.timer(.probe))) == [5])
        // An answer to an older probe does not count; the current one's does.
        #expect(keepAlive.handle(.answered(probe: 4)).isEmpty)
        #expect(keepAlive.handle(.answered(probe: 5)) == [.cancelTimer(.timeout(probe: 5)), .networkRestored])
        #expect(keepAlive.reachability == .reachable)
    }

    @Test func anAnswerBetweenMissesResetsTheCount() {
        var keepAlive = SIPKeepAlive(configuration: configuration)
        _ = keepAlive.handle(.start)
        var lost = false
        for n in UInt32(1)...10 {
            _ = keepAlive.handle(.timer(.probe))
            let actions = n.isMultiple(of: 2) ? keepAlive.handle(.answered(probe: n)) : keepAlive.handle(.failed(probe: n))
            lost = lost || actions.contains(.networkLost)
        }
        #expect(!lost && keepAlive.reachability == .reachable)
    }

    @Test func stopCancelsEverythingAndIgnoresLateOutcomes() {
        var keepAlive = SIPKeepAlive(configuration: configuration)
        _ = keepAlive.handle(.start)
        _ = keepAlive.handle(.timer(.probe))
        #expect(keepAlive.handle(.stop) == [.cancelTimer(.probe), .cancelTimer(.timeout(probe: 1))])
        #expect(keepAlive.handle(.failed(probe: 1)).isEmpty)
        #expect(keepAlive.handle(.timer(.probe)).isEmpty)
    }

    @Test func theProbeIsAnOptionsToTheRegistrarOnTheRegistrationsTransport() {
        var registration = SIPRegistration(configuration: RegistrationTests.configuration, tokens: SIPTokenSource(seed: 9))
        let probe = registration.keepAliveProbe()
        let other = registration.keepAliveProbe()
        #expect(probe.method == .options && probe.requestURI == RegistrationTests.configuration.registrar)
        #expect(probe.topVia?.hasRFC3261Branch == true && probe.topVia?.rport != nil)
        #expect(probe.callID != other.callID && probe.topVia?.branch != other.topVia?.branch)
        #expect(probe.cseq?.method == .options)
    }
}
