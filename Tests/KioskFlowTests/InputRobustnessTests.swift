import KioskFlow
import Testing

/// Bad input from people and hardware: a key held down, autorepeat, bursts of presses, lost and stray
/// releases. Debouncing contacts is the Input layer's; these are what is left for the flow.
@Suite struct InputRobustnessTests {
    let languages = [english, german, chinese]
    let categories = [passports, taxes, other]
    /// Long enough a choice time-out that holding keys for 40–60 s does not meet it.
    let patient = townHall { $0.choiceTimeout = .seconds(120) }

    @Test func aHeldKeyActsOnceHoweverOftenItIsReportedDown() {
        var driver = FlowDriver(patient)
        #expect(driver.press(.call).screens == [.choosingLanguage(languages: languages, highlighted: 0)])
        // Autorepeat for 40 s (longer than the lost-release limit): none of it chooses a language.
        for _ in 0..<400 {
            driver.wait(.milliseconds(100))
            #expect(driver.press(.call) == [])
        }
        #expect(driver.state == .choosingLanguage(highlighted: 0))
        driver.release(.call)
        driver.wait(.seconds(1))
        // Released and pressed again: that counts.
        #expect(driver.press(.call) == [.show(.choosingCategory(categories: categories, highlighted: 0)),
                                        .startTimer(.choice, .seconds(120))])
    }

    @Test func aBurstOfPressesActsOnce() {
        var driver = FlowDriver()
        driver.tap(.call)
        driver.wait(.seconds(1))
        // Five presses of down 60 ms apart: one step.
        var screens: [Screen] = []
        for _ in 0..<5 {
            screens += driver.tap(.down, held: .milliseconds(30)).screens
            driver.wait(.milliseconds(30))
        }
        #expect(screens == [.choosingLanguage(languages: languages, highlighted: 1)])
        // After the guard, presses count again.
        driver.wait(.milliseconds(300))
        #expect(driver.tap(.down).screens == [.choosingLanguage(languages: languages, highlighted: 2)])
    }

    @Test func aBurstOfCallPressesInIdleDoesNotRushThroughTheChoices() {
        var driver = FlowDriver()
        for _ in 0..<6 {
            driver.tap(.call, held: .milliseconds(20))
            driver.wait(.milliseconds(20))
        }
        #expect(driver.state == .choosingLanguage(highlighted: 0))
        #expect(driver.log.filter { if case .placeCall = $0 { true } else { false } }.isEmpty)
    }

    @Test func aKeyWhoseReleaseWasLostCountsAgainAfterSilence() {
        var driver = FlowDriver(patient)
        driver.press(.call)  // the release never comes (the device was reopened)
        driver.wait(.seconds(29))
        #expect(driver.press(.call) == [])  // within the limit: taken as autorepeat
        driver.wait(.seconds(31))  // silent for longer than the limit
        driver.flowStillChoosingLanguage()
        #expect(driver.press(.call) == [.show(.choosingCategory(categories: categories, highlighted: 0)),
                                        .startTimer(.choice, .seconds(120))])
    }

    @Test func releasesWithoutAPressDoNothing() throws {
        var driver = FlowDriver()
        for key in KioskFlow.Key.allCases { #expect(driver.release(key) == [], "\(key)") }
        let id = try driver.answeredCall()
        driver.wait(.seconds(10))
        for key in KioskFlow.Key.allCases { #expect(driver.release(key) == [], "\(key)") }
        #expect(driver.state.call?.id == id)
    }

    @Test func aPressFromBeforeTheAnswerReleasedInTheCallDoesNotHangUp() throws {
        var driver = FlowDriver()
        let id = try driver.placeCall()
        driver.wait(.milliseconds(400))
        driver.press(.call)  // within the second-press guard: ignored while connecting
        driver.wait(.milliseconds(500))
        driver.send(.call(id, .answered(agentName: nil)))
        driver.wait(.milliseconds(300))
        #expect(driver.release(.call) == [])
        #expect(driver.state.isInCall)
    }

    @Test func aPressInsideABurstInTheCallDoesNotHangUpOnRelease() throws {
        var driver = FlowDriver()
        let id = try driver.answeredCall()
        driver.wait(.seconds(10))
        driver.tap(.select, held: .milliseconds(50))  // counted, does nothing without the prompt
        driver.wait(.milliseconds(50))
        // 100 ms after the select: part of the burst; neither the press nor its release acts.
        #expect(driver.tap(.call, held: .milliseconds(100)) == [])
        #expect(driver.state.call?.id == id)
    }

    @Test func pressesOnTheEndedScreenAreIgnored() throws {
        var driver = FlowDriver()
        try driver.answeredCall()
        driver.press(.hangUp)
        driver.release(.hangUp)
        for key in KioskFlow.Key.allCases {
            driver.wait(.seconds(1))
            #expect(driver.tap(key) == [], "\(key)")
        }
        #expect(driver.state.endedRecord != nil)
    }
}

extension FlowDriver {
    func flowStillChoosingLanguage(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(state == .choosingLanguage(highlighted: 0), sourceLocation: sourceLocation)
    }
}
