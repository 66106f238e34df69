import KioskFlow
import Testing

/// Idle → choosing a language → choosing a category → the call is placed; the way back to idle.
@Suite struct ChoosingTests {
    let languages = [english, german, chinese]
    let categories = [passports, taxes, other]

    @Test func callPressInIdleOffersTheLanguages() {
        var driver = FlowDriver()
        #expect(driver.press(.call) == [.show(.choosingLanguage(languages: languages, highlighted: 0)),
                                        .startTimer(.choice, .seconds(30))])
        #expect(driver.state == .choosingLanguage(highlighted: 0))
    }

    @Test func anyKeyButHangUpWakesTheKiosk() {
        for key in [KioskFlow.Key.up, .down, .select] {
            var driver = FlowDriver()
            #expect(driver.press(key).screens == [.choosingLanguage(languages: languages, highlighted: 0)], "\(key)")
        }
        var driver = FlowDriver()
        #expect(driver.press(.hangUp) == [])
        #expect(driver.state == .idle)
    }

    @Test func upAndDownMoveTheHighlightAndWrapAround() {
        var driver = FlowDriver()
        driver.tap(.call)
        driver.wait(.seconds(1))
        #expect(driver.tap(.down) == [.show(.choosingLanguage(languages: languages, highlighted: 1)),
                                      .startTimer(.choice, .seconds(30))])
        driver.wait(.seconds(1))
        driver.tap(.down)
        driver.wait(.seconds(1))
        #expect(driver.tap(.down).screens == [.choosingLanguage(languages: languages, highlighted: 0)])
        driver.wait(.seconds(1))
        #expect(driver.tap(.up).screens == [.choosingLanguage(languages: languages, highlighted: 2)])
    }

    @Test func choosingALanguageSwitchesTheScreensAndOffersTheCategories() {
        var driver = FlowDriver()
        driver.tap(.call)
        driver.wait(.seconds(1))
        driver.tap(.down)
        driver.wait(.seconds(1))
        #expect(driver.tap(.select) == [.setLanguage("de"), .show(.choosingCategory(categories: categories, highlighted: 0)),
                                        .startTimer(.choice, .seconds(30))])
        #expect(driver.flow.language == german)
    }

    @Test func choosingACategoryPlacesTheCallWithBothChoices() {
        var driver = FlowDriver()
        driver.tap(.call)
        driver.wait(.seconds(1))
        driver.tap(.down)
        driver.wait(.seconds(1))
        driver.tap(.select)
        driver.wait(.seconds(1))
        driver.tap(.down)
        driver.wait(.seconds(1))
        // The call key chooses like select does.
        let actions = driver.tap(.call)
        let id = CallID(1)
        #expect(actions == [.cancelTimer(.choice), .placeCall(.init(id: id, category: taxes, language: german)),
                            .show(.connecting(category: taxes, ringing: false)), .startTimer(.answer, .seconds(60))])
        guard case let .connecting(call) = driver.state else { Issue.record("not connecting: \(driver.state)"); return }
        // Placed on the press, not the release.
        #expect(call.id == id && call.placedAt == driver.now - .milliseconds(100))
    }

    @Test func eachCallGetsItsOwnNumber() throws {
        var driver = FlowDriver()
        let first = try driver.placeCall()
        driver.wait(.seconds(2))
        driver.press(.hangUp)
        try driver.fire(.endedScreen)
        let second = try driver.placeCall()
        #expect(first < second)
    }

    @Test func hangUpWhileChoosingGoesBackToIdleInTheKiosksLanguage() {
        var driver = FlowDriver()
        driver.tap(.call)
        driver.wait(.seconds(1))
        driver.tap(.up)
        driver.wait(.seconds(1))
        driver.tap(.select)
        #expect(driver.flow.language == chinese)
        driver.wait(.seconds(1))
        #expect(driver.tap(.hangUp) == [.cancelTimer(.choice), .setLanguage("en"), .show(.idle(languages: languages))])
        #expect(driver.state == .idle)
    }

    @Test func hangUpWhileChoosingTheLanguage() {
        var driver = FlowDriver()
        driver.tap(.call)
        driver.wait(.seconds(1))
        #expect(driver.tap(.hangUp) == [.cancelTimer(.choice), .show(.idle(languages: languages))])
    }

    @Test func noKeyForTheChoiceTimeOutMeansTheCustomerWalkedAway() throws {
        var driver = FlowDriver()
        driver.tap(.call)
        driver.wait(.seconds(1))
        driver.tap(.down)
        driver.wait(.seconds(1))
        driver.tap(.select)  // German
        let actions = try driver.fire(.choice)
        #expect(actions == [.setLanguage("en"), .show(.idle(languages: languages))])
        #expect(driver.elapsed == .seconds(32) + .milliseconds(200))
        #expect(driver.state == .idle)
    }

    @Test func everyKeyRestartsTheChoiceTimeOut() {
        var driver = FlowDriver()
        driver.press(.call)  // choice timer due at 30 s
        driver.wait(.seconds(20))
        driver.tap(.down)  // now due at 50 s
        driver.wait(.seconds(10))
        // The first timer's event, already on its way when it was restarted: stale, ignored.
        #expect(driver.send(.timer(.choice)) == [])
        #expect(driver.state == .choosingLanguage(highlighted: 1))
        driver.wait(.seconds(20))
        #expect(driver.send(.timer(.choice)).screens == [.idle(languages: languages)])
    }

    @Test func aTimerThatWasNeverStartedDoesNothing() {
        var driver = FlowDriver()
        driver.tap(.call)
        driver.wait(.seconds(100))
        for timer in KioskFlow.Timer.allCases where timer != .choice {
            #expect(driver.send(.timer(timer)) == [], "\(timer)")
        }
        #expect(driver.state == .choosingLanguage(highlighted: 0))
    }

    @Test func oneLanguageAndOneCategoryCallAtOnce() {
        var driver = FlowDriver(KioskFlow.Configuration(languages: [german], categories: [passports], waitsForRegistration: false))
        #expect(driver.press(.call) == [.placeCall(.init(id: CallID(1), category: passports, language: german)),
                                        .show(.connecting(category: passports, ringing: false)),
                                        .startTimer(.answer, .seconds(60))])
    }

    @Test func oneLanguageSkipsToTheCategories() {
        var driver = FlowDriver(KioskFlow.Configuration(languages: [english], categories: categories, waitsForRegistration: false))
        #expect(driver.press(.call) == [.show(.choosingCategory(categories: categories, highlighted: 0)),
                                        .startTimer(.choice, .seconds(30))])
    }

    @Test func oneCategorySkipsItsStep() {
        var driver = FlowDriver(KioskFlow.Configuration(languages: languages, categories: [taxes], waitsForRegistration: false))
        driver.tap(.call)
        driver.wait(.seconds(1))
        driver.tap(.down)
        driver.wait(.seconds(1))
        #expect(driver.tap(.select) == [.setLanguage("de"), .cancelTimer(.choice),
                                        .placeCall(.init(id: CallID(1), category: taxes, language: german)),
                                        .show(.connecting(category: taxes, ringing: false)), .startTimer(.answer, .seconds(60))])
    }

    @Test func noCategoriesCallTheDefaultTarget() {
        var driver = FlowDriver(KioskFlow.Configuration(languages: [english], categories: [], waitsForRegistration: false))
        #expect(driver.press(.call).first == .placeCall(.init(id: CallID(1), category: nil, language: english)))
    }

    @Test func singleChoicesAreShownWhenSkippingIsOff() {
        var driver = FlowDriver(KioskFlow.Configuration(languages: [english], categories: [taxes], skipsSingleChoice: false,
                                                        waitsForRegistration: false))
        #expect(driver.press(.call).screens == [.choosingLanguage(languages: [english], highlighted: 0)])
        driver.wait(.seconds(1))
        driver.release(.call)
        #expect(driver.tap(.down).screens == [.choosingLanguage(languages: [english], highlighted: 0)])
        driver.wait(.seconds(1))
        #expect(driver.tap(.select).screens == [.choosingCategory(categories: [taxes], highlighted: 0)])
    }
}
