import KioskFlow
import Testing

/// The customer's camera: asked by the agent, agreed only by the customer's press on the prompt,
/// withdrawn when the agreement ends, the live indicator following the camera's own reports.
@Suite struct CameraConsentTests {
    let anna = KioskFlow.InCallScreen(agentName: "Anna")

    func prompted(_ change: (inout KioskFlow.Configuration) -> Void = { _ in }) throws -> (FlowDriver, CallID) {
        var driver = FlowDriver(townHall(change))
        let id = try driver.answeredCall()
        driver.wait(.seconds(20))
        driver.send(.call(id, .agentAsksForCamera))
        return (driver, id)
    }

    func screen(_ change: (inout KioskFlow.InCallScreen) -> Void) -> Screen {
        var screen = anna
        change(&screen)
        return .inCall(screen)
    }

    @Test func theAgentAskingShowsThePromptAndNothingElse() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        #expect(driver.send(.call(id, .agentAsksForCamera))
            == [.show(screen { $0.consentRequested = true }), .startTimer(.consent, .seconds(30))])
        // Asking again while the prompt shows changes nothing.
        driver.wait(.seconds(1))
        #expect(driver.send(.call(id, .agentAsksForCamera)) == [])
    }

    @Test func theCustomerAgreesWithSelectAndTheIndicatorWaitsForFrames() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(2))
        // Agreed: the engine opens the camera; the indicator is still off, no frame has been captured.
        #expect(driver.tap(.select) == [.cancelTimer(.consent), .agreeToCamera(id), .show(.inCall(anna))])
        driver.wait(.milliseconds(400))
        #expect(driver.send(.cameraCapturing(true)) == [.show(screen { $0.cameraLive = true })])
        #expect(driver.state.inCallState?.consent == .agreed)
        driver.wait(.seconds(60))
        let actions = driver.press(.hangUp)
        #expect(Array(actions.prefix(2)) == [.hangUp(id), .withdrawCamera])
        #expect(actions.records.first?.cameraShared == true)
    }

    @Test func theCustomerAgreesWithAShortPressOfTheCallKey() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(2))
        #expect(driver.press(.call) == [.startTimer(.longPress, .milliseconds(1500))])
        driver.wait(.milliseconds(300))
        #expect(driver.release(.call) == [.cancelTimer(.longPress), .cancelTimer(.consent), .agreeToCamera(id), .show(.inCall(anna))])
        #expect(driver.state.isInCall)
    }

    @Test func aPressTooSoonAfterThePromptAppearedDoesNotAgree() throws {
        var (driver, _) = try prompted()
        driver.wait(.milliseconds(200))
        #expect(driver.tap(.select) == [])
        guard case .asked = driver.state.inCallState?.consent else { Issue.record("prompt gone: \(driver.state)"); return }

        var (other, _) = try prompted()
        other.wait(.milliseconds(300))
        // Neither an agreement nor a hang-up (the short press of the call key).
        #expect(other.tap(.call) == [.startTimer(.longPress, .milliseconds(1500)), .cancelTimer(.longPress)])
        guard case .asked = other.state.inCallState?.consent else { Issue.record("prompt gone: \(other.state)"); return }
    }

    @Test func aCallKeyPressBegunBeforeThePromptNeitherAgreesNorHangsUp() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        driver.wait(.seconds(20))
        driver.press(.call)  // meant to hang up…
        driver.wait(.milliseconds(100))
        driver.send(.call(id, .agentAsksForCamera))  // …but the prompt appeared first
        driver.wait(.milliseconds(700))
        #expect(driver.release(.call) == [.cancelTimer(.longPress)])
        #expect(driver.state.isInCall)
        guard case .asked = driver.state.inCallState?.consent else { Issue.record("prompt gone: \(driver.state)"); return }
        #expect(!driver.log.contains(.agreeToCamera(id)))
    }

    @Test func aLongPressOnThePromptHangsUpWithoutAgreeing() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(2))
        driver.press(.call)
        let actions = try driver.fire(.longPress)
        #expect(actions.first == .hangUp(id))
        #expect(!driver.log.contains(.agreeToCamera(id)) && !actions.contains(.withdrawCamera))
    }

    @Test func theHangUpKeyOnThePromptHangsUp() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(2))
        let actions = driver.press(.hangUp)
        let record = try #require(actions.records.first)
        #expect(actions == [.hangUp(id), .cancelTimer(.consent), .record(record),
                            .show(.callEnded(.init(duration: .seconds(22), cause: .customerHungUp))), .startTimer(.endedScreen, .seconds(8))])
        #expect(!record.cameraShared)
    }

    @Test(arguments: [KioskFlow.Key.up, .down])
    func upOrDownDeclines(key: KioskFlow.Key) throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(2))
        #expect(driver.tap(key) == [.cancelTimer(.consent), .declineCamera(id), .show(.inCall(anna))])
        #expect(driver.state.inCallState?.consent == .declined)
        // A later select is not an agreement: there is no prompt.
        driver.wait(.seconds(2))
        #expect(driver.tap(.select) == [])
        // The agent may ask again; the prompt comes back.
        driver.wait(.seconds(30))
        #expect(driver.send(.call(id, .agentAsksForCamera)).screens == [screen { $0.consentRequested = true }])
    }

    @Test func anUnansweredPromptCountsAsDeclined() throws {
        var (driver, id) = try prompted()
        #expect(try driver.fire(.consent) == [.declineCamera(id), .show(.inCall(anna))])
        #expect(driver.state.inCallState?.consent == .declined)
        driver.wait(.seconds(1))
        #expect(driver.tap(.select) == [])
    }

    @Test func theAgentStoppingVideoWithdrawsTheCameraAndTheIndicatorFollowsTheCamera() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(1))
        driver.tap(.select)
        driver.send(.cameraCapturing(true))
        driver.wait(.seconds(60))
        // Withdrawn; the indicator stays on until the camera says it stopped capturing.
        #expect(driver.send(.call(id, .agentStoppedCamera)) == [.withdrawCamera])
        #expect(driver.state.inCallState?.consent == .notAsked)
        #expect(driver.send(.cameraCapturing(false)) == [.show(.inCall(anna))])
    }

    @Test func theAgentWithdrawingTheQuestionRemovesThePrompt() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(5))
        #expect(driver.send(.call(id, .agentStoppedCamera)) == [.cancelTimer(.consent), .show(.inCall(anna))])
        driver.wait(.seconds(1))
        #expect(driver.tap(.select) == [])
        #expect(!driver.log.contains(.agreeToCamera(id)))
    }

    @Test func theCustomerTakesTheCameraBackWithSelect() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(1))
        driver.tap(.select)
        driver.send(.cameraCapturing(true))
        driver.wait(.seconds(30))
        #expect(driver.tap(.select) == [.withdrawCamera])
        #expect(driver.state.inCallState?.consent == .declined)
        #expect(driver.send(.cameraCapturing(false)) == [.show(.inCall(anna))])
        // Asked again later: a new prompt, a new press needed.
        driver.wait(.seconds(30))
        driver.send(.call(id, .agentAsksForCamera))
        #expect(driver.log.filter { $0 == .agreeToCamera(id) }.count == 1)
    }

    @Test func theAgentAskingWhileTheCameraIsAgreedChangesNothing() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(1))
        driver.tap(.select)
        #expect(driver.send(.call(id, .agentAsksForCamera)) == [])
    }

    @Test func theAgentHangingUpWithdrawsAnAgreedCamera() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(1))
        driver.tap(.select)
        driver.send(.cameraCapturing(true))
        driver.wait(.seconds(10))
        let actions = driver.send(.call(id, .agentHungUp))
        #expect(actions.first == .withdrawCamera)
        #expect(actions.records.first?.cameraShared == true)
    }

    @Test func anAgreedCameraIsWithdrawnAtTheEndEvenBeforeItsFirstFrame() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(1))
        driver.tap(.select)  // agreed; the camera is still opening
        driver.wait(.milliseconds(200))
        let actions = driver.press(.hangUp)
        let record = try #require(actions.records.first)
        #expect(actions == [.hangUp(id), .withdrawCamera, .record(record),
                            .show(.callEnded(.init(duration: .milliseconds(21_300), cause: .customerHungUp))),
                            .startTimer(.endedScreen, .seconds(8))])
    }

    @Test func networkLossWithTheCameraOnHangsUpAndWithdraws() throws {
        var (driver, id) = try prompted()
        driver.wait(.seconds(1))
        driver.tap(.select)
        driver.send(.cameraCapturing(true))
        #expect(Array(driver.send(.call(id, .mediaTimedOut)).prefix(2)) == [.hangUp(id), .withdrawCamera])
    }

    @Test func framesWithoutAnAgreementCloseTheCameraAtOnce() throws {
        var driver = FlowDriver()
        // Idle: nothing to show, the camera is closed.
        #expect(driver.send(.cameraCapturing(true)) == [.withdrawCamera])
        driver.send(.cameraCapturing(false))
        let id = try driver.answeredCall()
        // In a call, not agreed: closed, and the indicator tells the truth meanwhile.
        #expect(driver.send(.cameraCapturing(true)) == [.withdrawCamera, .show(screen { $0.cameraLive = true })])
        driver.send(.call(id, .agentAsksForCamera))
        driver.wait(.seconds(1))
        // The prompt shows but nobody agreed yet: still closed.
        #expect(driver.send(.cameraCapturing(true)).first == .withdrawCamera)
        #expect(!driver.log.contains(.agreeToCamera(id)))
    }
}
