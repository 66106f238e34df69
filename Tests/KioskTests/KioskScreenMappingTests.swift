import Display
import KioskFlow
import SIP
import Testing
@testable import Kiosk

/// What the flow decides reaches the screen whole: why the call ended, and who wrote each chat line.
struct KioskScreenMappingTests {
    @Test(arguments: [
        (KioskFlow.CallEndCause.customerHungUp, CallEndReason.customerHungUp), (.customerCancelled, .customerCancelled),
        (.agentHungUp, .agentHungUp), (.noAnswer, .noAnswer), (.busy, .busy), (.unavailable, .unavailable),
        (.noUsableMedia, .noUsableConnection), (.callFailed, .callFailed), (.connectionLost, .connectionLost),
        (.maximumDurationReached, .timeLimitReached), (.shutdown, .shutdown),
    ])
    func theCallEndedScreenSaysWhy(_ cause: KioskFlow.CallEndCause, _ reason: CallEndReason) {
        let answered = KioskController.displayScreen(.callEnded(.init(duration: .seconds(65), cause: cause)), categoryNames: [:])
        #expect(answered == .callEnded(duration: .seconds(65), reason: reason))
        // A call never answered shows no talking time (not 0:00).
        let unanswered = KioskController.displayScreen(.callEnded(.init(duration: nil, cause: cause)), categoryNames: [:])
        #expect(unanswered == .callEnded(duration: nil, reason: reason))
    }

    /// `kioskd call` follows the engine alone: SIP's end reasons map to the same customer reasons.
    @Test func theEngineFollowerSaysWhyToo() {
        #expect(CallScreenFollower.endReason(.rejected(486, "Busy Here"), answered: false) == .busy)
        #expect(CallScreenFollower.endReason(.rejected(503, "Service Unavailable"), answered: false) == .unavailable)
        #expect(CallScreenFollower.endReason(.rejected(488, "Not Acceptable Here"), answered: false) == .noUsableConnection)
        #expect(CallScreenFollower.endReason(.rejected(404, "Not Found"), answered: false) == .callFailed)
        #expect(CallScreenFollower.endReason(.noAnswer, answered: false) == .noAnswer)
        #expect(CallScreenFollower.endReason(.remoteHangUp, answered: true) == .agentHungUp)
        #expect(CallScreenFollower.endReason(.failed("transport"), answered: true) == .connectionLost)
        #expect(CallScreenFollower.endReason(.failed("no response"), answered: false) == .callFailed)
    }

    @Test func chatLinesShowWhoWroteThem() {
        let screen = KioskController.displayScreen(.inCall(.init(agentName: "Service desk", chat: [
            KioskFlow.ChatLine(sender: "Anna Smith", text: "Hello"), KioskFlow.ChatLine(sender: nil, text: "Queue notice"),
        ])), categoryNames: [:])
        guard case let .inCall(call) = screen else {
            Issue.record("not the in-call screen: \(screen)")
            return
        }
        // A line naming nobody is the agent's, as far as the customer can tell.
        #expect(call.chat == [ChatMessage(sender: "Anna Smith", text: "Hello"), ChatMessage(sender: "Service desk", text: "Queue notice")])
    }
}
