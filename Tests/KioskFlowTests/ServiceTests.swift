import KioskFlow
import Testing

/// Out of service and back (registration, devices, maintenance), and the daemon stopping in every state.
@Suite struct ServiceTests {
    let languages = [english, german, chinese]
    let notRegistered = "not registered with the contact center"

    @Test func aKioskThatWaitsForRegistrationStartsOutOfService() {
        var driver = FlowDriver(townHall { $0.waitsForRegistration = true })
        #expect(driver.send(.start) == [.show(.outOfService(reason: notRegistered))])
        driver.wait(.seconds(1))
        #expect(driver.tap(.call) == [])
        #expect(driver.send(.available(.notRegistered)) == [.show(.idle(languages: languages))])
        driver.wait(.seconds(1))
        #expect(driver.tap(.call).screens == [.choosingLanguage(languages: languages, highlighted: 0)])
    }

    @Test func startShowsIdleWhenNothingIsWaitedFor() {
        var driver = FlowDriver()
        #expect(driver.send(.start) == [.show(.idle(languages: languages))])
    }

    @Test func startShowsTheScreenOfTheStateTheFlowIsIn() throws {
        // The owner may restart its screen mid-call (the display service came back): nothing but the screen.
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        driver.send(.call(id, .chat("Hello")))
        #expect(driver.send(.start) == [.show(.inCall(.init(agentName: "Anna", chat: ["Hello"])))])
        #expect(driver.state.isInCall)
    }

    @Test func faultsTakeTheIdleKioskOutOfServiceUntilAllAreCleared() {
        var driver = FlowDriver()
        #expect(driver.send(.unavailable(.notRegistered)) == [.show(.outOfService(reason: notRegistered))])
        #expect(driver.send(.unavailable(.notRegistered)) == [])
        #expect(driver.send(.unavailable(.device("audio")))
            == [.show(.outOfService(reason: notRegistered + "; audio failed"))])
        #expect(driver.send(.available(.notRegistered)) == [.show(.outOfService(reason: "audio failed"))])
        #expect(driver.send(.available(.maintenance("never reported"))) == [])
        #expect(driver.send(.available(.device("audio"))) == [.show(.idle(languages: languages))])
        #expect(driver.flow.faults.isEmpty)
    }

    @Test func aFaultWhileChoosingEndsTheChoice() {
        var driver = FlowDriver()
        driver.tap(.call)
        driver.wait(.seconds(1))
        driver.tap(.down)
        driver.wait(.seconds(1))
        driver.tap(.select)  // German
        #expect(driver.send(.unavailable(.maintenance("technician on site")))
            == [.cancelTimer(.choice), .setLanguage("en"), .show(.outOfService(reason: "maintenance: technician on site"))])
    }

    @Test func aFaultMidCallLetsTheCallFinishThenTakesTheKioskOutOfService() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        driver.wait(.seconds(30))
        #expect(driver.send(.unavailable(.notRegistered)) == [])
        driver.wait(.seconds(30))
        #expect(driver.send(.call(id, .chat("still here"))).screens.count == 1)
        driver.send(.call(id, .agentHungUp))
        #expect(try driver.fire(.endedScreen) == [.show(.outOfService(reason: notRegistered))])
        #expect(driver.send(.available(.notRegistered)) == [.show(.idle(languages: languages))])
    }

    @Test func aFaultClearedBeforeTheCallEndsLeavesNoTrace() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        driver.send(.unavailable(.device("camera")))
        driver.send(.available(.device("camera")))
        driver.send(.call(id, .failed(.busy)))
        #expect(try driver.fire(.endedScreen) == [.show(.idle(languages: languages))])
    }

    @Test func shutdownMidCallHangsUpWithdrawsTheCameraAndRecords() throws {
        var driver = FlowDriver(townHall { $0.maximumCallDuration = .seconds(3600) })
        let id = try driver.answeredCall()
        driver.wait(.seconds(5))
        driver.send(.call(id, .agentAsksForCamera))
        driver.wait(.seconds(5))
        driver.tap(.select)
        driver.send(.cameraCapturing(true))
        driver.wait(.seconds(50))
        let actions = driver.send(.shutdown)
        let record = try #require(actions.records.first)
        #expect(actions == [.hangUp(id), .withdrawCamera, .cancelTimer(.callLimit), .record(record)])
        #expect(record.cause == .shutdown && record.outcome == .answered && record.cameraShared)
        #expect(driver.state == .stopped)
        // Nothing happens after: not the engine's news, not keys, not timers.
        #expect(driver.send(.call(id, .agentHungUp)) == [])
        #expect(driver.tap(.call) == [])
        #expect(driver.send(.timer(.endedScreen)) == [])
        #expect(driver.send(.available(.notRegistered)) == [])
    }

    @Test func shutdownWhileConnectingCancels() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        let actions = driver.send(.shutdown)
        let record = try #require(actions.records.first)
        #expect(actions == [.cancelCall(id), .cancelTimer(.answer), .record(record)])
        #expect(record.cause == .shutdown && record.outcome == .failed && record.endedBy == .kiosk)
    }

    @Test func shutdownElsewhereOnlyStopsTheTimers() throws {
        var idle = FlowDriver()
        #expect(idle.send(.shutdown) == [])
        var choosing = FlowDriver()
        choosing.tap(.call)
        #expect(choosing.send(.shutdown) == [.cancelTimer(.choice)])
        var ended = FlowDriver()
        let id = try ended.placeCall()
        ended.send(.call(id, .failed(.busy)))
        #expect(ended.send(.shutdown) == [.cancelTimer(.endedScreen)])
        var capturing = FlowDriver()
        capturing.send(.cameraCapturing(true))
        #expect(capturing.send(.shutdown) == [.withdrawCamera])
    }
}
