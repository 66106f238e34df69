import KioskFlow
import Testing

/// A configuration change reaches the flow only between customers: while one chooses or calls, the
/// flow refuses it (the owner offers it again once the kiosk is idle).
@Suite struct ReconfigureTests {
    @Test func idleTakesNewLanguagesAndCategoriesAndShowsTheIdleScreenAgain() {
        var driver = FlowDriver()
        let changed = townHall { $0.languages = [german, english]; $0.categories = [taxes] }
        let actions = driver.flow.reconfigure(changed)
        #expect(actions == [.setLanguage("de"), .show(.idle(languages: [german, english]))])
        #expect(driver.flow.language == german)
        // The next customer meets the new choices.
        #expect(driver.press(.call).screens == [.choosingLanguage(languages: [german, english], highlighted: 0)])
    }

    @Test func aCustomerChoosingOrCallingKeepsTheOldConfigurationUntilIdle() {
        var driver = FlowDriver()
        driver.tap(.call)
        #expect(driver.flow.reconfigure(townHall { $0.categories = [taxes] }) == nil)
        #expect(driver.flow.configuration.categories == [passports, taxes, other])
        // Back to idle (the customer walked away): now it is taken.
        driver.wait(.seconds(31))
        driver.send(.timer(.choice))
        #expect(driver.state == .idle)
        #expect(driver.flow.reconfigure(townHall { $0.categories = [taxes] }) != nil)
        #expect(driver.flow.configuration.categories == [taxes])
    }

    @Test func waitingForTheRegistrationStaysAsItStarted() {
        var flow = KioskFlow(configuration: townHall { $0.waitsForRegistration = true })
        guard case .outOfService = flow.state else { Issue.record("\(flow.state)"); return }
        let actions = flow.reconfigure(townHall { $0.waitsForRegistration = false; $0.languages = [chinese] })
        #expect(actions?.count == 2)
        #expect(flow.configuration.waitsForRegistration)
        guard case .outOfService = flow.state else { Issue.record("\(flow.state)"); return }
    }
}
