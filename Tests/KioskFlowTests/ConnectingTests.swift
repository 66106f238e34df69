import KioskFlow
import Testing

/// Connecting → ringing / queued → answered, or the reasons it is not: no answer, busy, unavailable,
/// unusable answers, the customer cancelling; then the ended screen and idle.
@Suite struct ConnectingTests {
    let languages = [english, german, chinese]

    @Test func ringingShowsThatAnAgentsPhoneRings() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        driver.wait(.seconds(2))
        #expect(driver.send(.call(id, .ringing)) == [.show(.connecting(category: passports, ringing: true))])
        guard case .ringing = driver.state else { Issue.record("not ringing: \(driver.state)"); return }
    }

    @Test func queuedShowsThePositionAndTheQueueLimitReplacesTheRingLimit() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        driver.wait(.seconds(2))
        #expect(driver.send(.call(id, .queued(position: 3, estimatedWait: .seconds(120))))
            == [.show(.waitingInQueue(position: 3, estimatedWait: .seconds(120))), .startTimer(.answer, .seconds(600))])
        driver.wait(.seconds(50))
        // A newer position: the screen follows, the limit still counts from the first time queued.
        #expect(driver.send(.call(id, .queued(position: 1, estimatedWait: nil))) == [.show(.waitingInQueue(position: 1, estimatedWait: nil))])
        // The ring limit's old deadline (60 s after placing) has passed: nothing happens then.
        driver.wait(.seconds(20))
        #expect(driver.send(.timer(.answer)) == [])
        let actions = try driver.fire(.answer)
        // Placed, queued 2 s later, given up 600 s after that (the driver places at 7.1 s and returns at 7.2 s).
        #expect(driver.elapsed == .seconds(7) + .milliseconds(200) + .seconds(2) + .seconds(600))
        #expect(actions.first == .cancelCall(id))
        let record = try #require(driver.state.endedRecord)
        #expect(record.cause == .noAnswer && record.outcome == .noAnswer && record.queuedAt != nil)
    }

    @Test func queuedThenOfferedToAnAgentRings() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        driver.send(.call(id, .queued(position: nil, estimatedWait: nil)))
        driver.wait(.seconds(90))
        #expect(driver.send(.call(id, .ringing)) == [.show(.connecting(category: passports, ringing: true))])
        #expect(driver.timers[.answer] != nil)
    }

    @Test func noAnswerInTheConfiguredTimeCancelsTellsTheCustomerThenIdle() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        let placedAt = driver.now - .milliseconds(100)
        driver.wait(.seconds(1))
        driver.send(.call(id, .ringing))
        let actions = try driver.fire(.answer)
        #expect(driver.now == placedAt + .seconds(60))
        let record = try #require(actions.records.first)
        #expect(actions == [.cancelCall(id), .record(record), .show(.callEnded(.init(duration: nil, cause: .noAnswer))),
                            .startTimer(.endedScreen, .seconds(8))])
        #expect(record.id == id && record.placedAt == placedAt && record.endedAt == driver.now && record.answeredAt == nil)
        #expect(record.outcome == .noAnswer && record.endedBy == .kiosk && record.waitDuration == .seconds(60))
        #expect(try driver.fire(.endedScreen) == [.show(.idle(languages: languages))])
        #expect(driver.state == .idle)
    }

    @Test(arguments: [
        (KioskFlow.CallFailure.busy, KioskFlow.CallEndCause.busy, KioskFlow.CallOutcome.busy),
        (.unavailable(code: 503), .unavailable, .failed),
        (.noAnswer, .noAnswer, .noAnswer),
        (.noUsableMedia("the answer has no SDP"), .noUsableMedia, .failed),
        (.noUsableMedia("no common codec (agent offers H264, PCMU)"), .noUsableMedia, .failed),
        (.rejected(code: 404, reason: "Not Found"), .callFailed, .failed),
        (.unreachable("no response"), .callFailed, .failed),
    ])
    func aFailedCallShowsAClearMessageThenIdle(failure: KioskFlow.CallFailure, cause: KioskFlow.CallEndCause,
                                               outcome: KioskFlow.CallOutcome) throws {
        var driver = FlowDriver()
        let id = try driver.placeCall(language: 1)
        driver.wait(.seconds(3))
        let actions = driver.send(.call(id, .failed(failure)))
        let record = try #require(actions.records.first)
        // The engine ended its side itself: no CANCEL.
        #expect(actions == [.cancelTimer(.answer), .record(record), .show(.callEnded(.init(duration: nil, cause: cause))),
                            .startTimer(.endedScreen, .seconds(8))])
        #expect(record.cause == cause && record.outcome == outcome && record.language == german)
        driver.wait(.seconds(2))
        // Presses on the ended screen do nothing (an angry burst must not call again).
        #expect(driver.tap(.call) == [])
        #expect(try driver.fire(.endedScreen) == [.setLanguage("en"), .show(.idle(languages: languages))])
    }

    @Test(arguments: [(486, "busy"), (600, "busy"), (503, "unavailable"), (480, "unavailable"), (408, "noAnswer"),
                      (488, "noUsableMedia"), (606, "noUsableMedia"), (404, "rejected"), (500, "rejected")])
    func statusCodesMapToFailures(code: Int, kind: String) {
        let failure = KioskFlow.CallFailure(statusCode: code, reason: "Reason")
        let name = switch failure {
        case .busy: "busy"
        case .unavailable: "unavailable"
        case .noAnswer: "noAnswer"
        case .noUsableMedia: "noUsableMedia"
        case .rejected: "rejected"
        case .unreachable: "unreachable"
        }
        #expect(name == kind)
    }

    @Test func aSecondPressWhileConnectingCancels() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        driver.wait(.seconds(2))
        let actions = driver.press(.call)
        let record = try #require(actions.records.first)
        #expect(actions == [.cancelCall(id), .cancelTimer(.answer), .record(record),
                            .show(.callEnded(.init(duration: nil, cause: .customerCancelled))), .startTimer(.endedScreen, .seconds(8))])
        #expect(record.outcome == .abandoned && record.endedBy == .customer)
    }

    @Test func aDoubleTapDoesNotCancelTheCallItPlaced() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        driver.wait(.milliseconds(500))  // 0.6 s after placing
        #expect(driver.tap(.call) == [])
        guard case .connecting = driver.state else { Issue.record("cancelled: \(driver.state)"); return }
        driver.wait(.milliseconds(400))  // 1.1 s after placing
        #expect(driver.press(.call).first == .cancelCall(id))
    }

    @Test func theHangUpKeyCancelsAtOnce() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        driver.wait(.milliseconds(300))
        #expect(driver.press(.hangUp).first == .cancelCall(id))
    }

    @Test func whileRingingOrQueuedASecondPressCancelsToo() throws {
        for news in [KioskFlow.CallEvent.ringing, .queued(position: 2, estimatedWait: nil)] {
            var driver = FlowDriver()
            let id = try driver.placeCall()
            driver.send(.call(id, news))
            driver.wait(.seconds(10))
            #expect(driver.press(.call).first == .cancelCall(id), "\(news)")
        }
    }

    @Test func choosingKeysDoNothingWhileConnecting() throws {
        var driver = FlowDriver()
        try driver.placeCall()
        for key in [KioskFlow.Key.up, .down, .select] {
            driver.wait(.seconds(2))
            #expect(driver.tap(key) == [], "\(key)")
        }
        guard case .connecting = driver.state else { Issue.record("left connecting: \(driver.state)"); return }
    }

    @Test func newsOfACancelledCallIsIgnored() throws {
        var driver = FlowDriver()
        let first = try driver.placeCall()
        driver.wait(.seconds(2))
        driver.press(.hangUp)
        // The 200 OK crossed the CANCEL: the engine deals with it; the flow has moved on.
        #expect(driver.send(.call(first, .answered(agentName: "Anna"))) == [])
        #expect(driver.send(.call(first, .agentAsksForCamera)) == [])
        try driver.fire(.endedScreen)
        let second = try driver.placeCall()
        #expect(driver.send(.call(first, .ringing)) == [])
        #expect(driver.send(.call(first, .failed(.busy))) == [])
        #expect(driver.send(.call(second, .ringing)).screens == [.connecting(category: passports, ringing: true)])
    }

    @Test func answeredShowsTheCallAndStopsTheAnswerLimit() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        driver.wait(.seconds(3))
        #expect(driver.send(.call(id, .answered(agentName: "Anna")))
            == [.cancelTimer(.answer), .show(.inCall(.init(agentName: "Anna")))])
        guard case let .inCall(call, _) = driver.state else { Issue.record("not in call: \(driver.state)"); return }
        #expect(call.answeredAt == driver.now)
    }

    @Test func answeredStartsTheCallLimitWhenOneIsConfigured() throws {
        var driver = FlowDriver(townHall { $0.maximumCallDuration = .seconds(1800) })
        let id = try driver.placeCall()
        #expect(driver.send(.call(id, .answered(agentName: nil)))
            == [.cancelTimer(.answer), .show(.inCall(.init())), .startTimer(.callLimit, .seconds(1800))])
    }

    @Test func inCallNewsBeforeTheAnswerIsIgnored() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        for news in [KioskFlow.CallEvent.mediaTimedOut, .agentAsksForCamera, .agentStoppedCamera, .chat("hello"),
                     .link(url: "https://example.org", caption: "Form"), .contentShared(true), .held(true)] {
            #expect(driver.send(.call(id, news)) == [], "\(news)")
        }
        guard case .connecting = driver.state else { Issue.record("left connecting: \(driver.state)"); return }
    }

    @Test func aHangUpBeforeTheAnswerIsAFailedCall() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        #expect(driver.send(.call(id, .agentHungUp)).screens == [.callEnded(.init(duration: nil, cause: .callFailed))])
    }
}
