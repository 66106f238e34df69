import KioskFlow
import Testing

/// In call: ending it (hang-up key, second press, long press, the agent, the network, the limit) and
/// what the agent adds to the screen (chat, links, content, hold).
@Suite struct InCallTests {
    let languages = [english, german, chinese]

    @Test func theHangUpKeyEndsTheCall() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        let answeredAt = driver.now
        driver.wait(.seconds(95))
        let actions = driver.press(.hangUp)
        let record = try #require(actions.records.first)
        #expect(actions == [.hangUp(id), .record(record), .show(.callEnded(.init(duration: .seconds(95), cause: .customerHungUp))),
                            .startTimer(.endedScreen, .seconds(8))])
        #expect(record.answeredAt == answeredAt && record.talkDuration == .seconds(95) && record.outcome == .answered)
        #expect(record.endedBy == .customer && !record.cameraShared)
        #expect(try driver.fire(.endedScreen) == [.show(.idle(languages: languages))])
    }

    @Test func aSecondShortPressOfTheCallKeyHangsUpOnRelease() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        driver.wait(.seconds(30))
        #expect(driver.press(.call) == [.startTimer(.longPress, .milliseconds(1500))])
        driver.wait(.milliseconds(200))
        let actions = driver.release(.call)
        let record = try #require(actions.records.first)
        #expect(actions == [.cancelTimer(.longPress), .hangUp(id), .record(record),
                            .show(.callEnded(.init(duration: .seconds(30) + .milliseconds(200), cause: .customerHungUp))),
                            .startTimer(.endedScreen, .seconds(8))])
    }

    @Test func aLongPressHangsUpWhileTheKeyIsStillHeld() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        driver.wait(.seconds(30))
        driver.press(.call)
        let actions = try driver.fire(.longPress)
        #expect(driver.keysHeldFor(.call) == .milliseconds(1500))
        #expect(actions.first == .hangUp(id))
        #expect(actions.screens == [.callEnded(.init(duration: .milliseconds(31_500), cause: .customerHungUp))])
        driver.wait(.seconds(1))
        #expect(driver.release(.call) == [])
    }

    @Test func aLongPressWhoseTimerIsLateHangsUpOnRelease() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        driver.press(.call)
        driver.wait(.seconds(2))
        let actions = driver.release(.call)
        #expect(Array(actions.prefix(2)) == [.cancelTimer(.longPress), .hangUp(id)])
        // The timer's event arrives after all: the call is over already.
        #expect(driver.send(.timer(.longPress)) == [])
    }

    @Test func theLongPressTimerDoesNothingAfterAShortPressWasReleased() throws {
        var driver = FlowDriver()
        try driver.answeredCall()
        driver.send(.call(driver.state.call!.id, .agentAsksForCamera))
        driver.wait(.seconds(1))
        driver.press(.call)
        driver.wait(.milliseconds(100))
        driver.release(.call)  // agrees to the camera
        driver.wait(.seconds(2))
        #expect(driver.send(.timer(.longPress)) == [])
        #expect(driver.state.isInCall)
    }

    @Test func theAgentHangingUpEndsTheCall() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        driver.wait(.seconds(200))
        let actions = driver.send(.call(id, .agentHungUp))
        let record = try #require(actions.records.first)
        #expect(actions == [.record(record), .show(.callEnded(.init(duration: .seconds(200), cause: .agentHungUp))),
                            .startTimer(.endedScreen, .seconds(8))])
        #expect(record.endedBy == .agent && record.outcome == .answered)
    }

    @Test func mediaTimeOutMidCallEndsCleanlyAndTellsTheCustomer() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        driver.wait(.seconds(40))
        let actions = driver.send(.call(id, .mediaTimedOut))
        let record = try #require(actions.records.first)
        #expect(actions == [.hangUp(id), .record(record), .show(.callEnded(.init(duration: .seconds(40), cause: .connectionLost))),
                            .startTimer(.endedScreen, .seconds(8))])
        #expect(record.endedBy == .network)
        #expect(try driver.fire(.endedScreen) == [.show(.idle(languages: languages))])
    }

    @Test func aBrokenDialogEndsTheCallWithoutABye() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        let actions = driver.send(.call(id, .failed(.unreachable("TCP connection closed"))))
        #expect(!actions.contains(.hangUp(id)))
        #expect(actions.screens == [.callEnded(.init(duration: .zero, cause: .connectionLost))])
    }

    @Test func theMaximumCallDurationHangsUp() throws {
        var driver = FlowDriver(townHall { $0.maximumCallDuration = .seconds(1200) })
        let id = try driver.answeredCall()
        let actions = try driver.fire(.callLimit)
        let record = try #require(actions.records.first)
        #expect(actions == [.hangUp(id), .record(record),
                            .show(.callEnded(.init(duration: .seconds(1200), cause: .maximumDurationReached))),
                            .startTimer(.endedScreen, .seconds(8))])
    }

    @Test func anEndBeforeTheLimitCancelsIt() throws {
        var driver = FlowDriver(townHall { $0.maximumCallDuration = .seconds(1200) })
        let id = try driver.answeredCall()
        #expect(driver.press(.hangUp).prefix(2) == [.hangUp(id), .cancelTimer(.callLimit)])
        #expect(driver.timers[.callLimit] == nil)
    }

    @Test func chatIsShownAndOnlyTheNewestLinesAreKept() throws {
        var driver = FlowDriver(townHall { $0.chatLinesKept = 2 })
        let id = try driver.answeredCall()
        #expect(driver.send(.call(id, .chat("Hello"))) == [.show(.inCall(.init(agentName: "Anna", chat: ["Hello"])))])
        driver.send(.call(id, .chat("Your passport number, please")))
        #expect(driver.send(.call(id, .chat("Thanks"))).screens.first?.inCall?.chat == ["Your passport number, please", "Thanks"])
    }

    /// Each line keeps who wrote it (a colleague may join the call); a line naming nobody keeps none.
    @Test func chatLinesKeepTheirSender() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        driver.send(.call(id, .chat("Hello", from: "Anna Smith")))
        driver.send(.call(id, .chat("I am from the passport office", from: "Ben Jones")))
        let chat = driver.send(.call(id, .chat("Line from nobody"))).screens.first?.inCall?.chat
        #expect(chat == [KioskFlow.ChatLine(sender: "Anna Smith", text: "Hello"),
                         KioskFlow.ChatLine(sender: "Ben Jones", text: "I am from the passport office"),
                         KioskFlow.ChatLine(sender: nil, text: "Line from nobody")])
    }

    @Test func aLinkIsShownAsTheSharedLink() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        let link = KioskFlow.SharedLink(url: "https://town.example/forms/passport.pdf", caption: "Passport form")
        #expect(driver.send(.call(id, .link(url: link.url, caption: link.caption)))
            == [.show(.inCall(.init(agentName: "Anna", sharedLink: link)))])
        let newer = KioskFlow.SharedLink(url: "https://town.example/appointments", caption: "Book an appointment")
        #expect(driver.send(.call(id, .link(url: newer.url, caption: newer.caption))).screens.first?.inCall?.sharedLink == newer)
    }

    @Test func sharedContentAndHoldFollowTheAgent() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        #expect(driver.send(.call(id, .contentShared(true))) == [.show(.inCall(.init(agentName: "Anna", contentShown: true)))])
        // The same again changes nothing on screen: nothing to redraw.
        #expect(driver.send(.call(id, .contentShared(true))) == [])
        #expect(driver.send(.call(id, .held(true))) == [.show(.inCall(.init(agentName: "Anna", contentShown: true, onHold: true)))])
        #expect(driver.send(.call(id, .held(false))).screens.first?.inCall?.onHold == false)
        #expect(driver.send(.call(id, .contentShared(false))) == [.show(.inCall(.init(agentName: "Anna")))])
    }

    @Test func repeatedResponsesAfterTheAnswerAreIgnored() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        #expect(driver.send(.call(id, .answered(agentName: "Someone else"))) == [])
        #expect(driver.send(.call(id, .ringing)) == [])
        #expect(driver.send(.call(id, .queued(position: 1, estimatedWait: nil))) == [])
        #expect(driver.state.inCallState?.agentName == "Anna")
    }

    @Test func choosingKeysDoNothingInACallWithoutThePrompt() throws {
        var driver = FlowDriver()
        try driver.answeredCall()
        for key in [KioskFlow.Key.up, .down, .select] {
            driver.wait(.seconds(1))
            #expect(driver.tap(key) == [], "\(key)")
        }
        #expect(driver.state.isInCall)
    }
}
