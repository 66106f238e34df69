// Idle and choosing: the customer wakes the kiosk, picks a language, then a category; the call is placed.
// Language comes first: a customer who does not read the kiosk's own language must be able to get to
// one they read before anything else is asked.
extension KioskFlow {
    /// Idle: any key but hang-up starts (the idle screen invites to press any key).
    mutating func idlePressed(_ key: Key, at now: ContinuousClock.Instant) -> [Action] {
        guard key != .hangUp else { return [] }
        if configuration.choosesLanguage {
            state = .choosingLanguage(highlighted: 0)
            return [.show(screen(for: state)), start(.choice, configuration.choiceTimeout, at: now)]
        }
        return chooseLanguage(0, at: now)
    }

    /// Choosing the language: up/down move the highlight, select or call take it, hang-up gives up.
    /// Every key restarts the choice time-out.
    mutating func choosingLanguagePressed(_ key: Key, highlighted: Int, at now: ContinuousClock.Instant) -> [Action] {
        let count = configuration.languages.count
        switch key {
        case .up, .down:
            state = .choosingLanguage(highlighted: moved(highlighted, key, count))
            return [.show(screen(for: state)), start(.choice, configuration.choiceTimeout, at: now)]
        case .select, .call:
            return chooseLanguage(highlighted, at: now)
        case .hangUp:
            return cancel(.choice) + enterIdle()
        }
    }

    /// Choosing the category: the same keys; choosing places the call.
    mutating func choosingCategoryPressed(_ key: Key, highlighted: Int, at now: ContinuousClock.Instant) -> [Action] {
        let count = configuration.categories.count
        switch key {
        case .up, .down:
            state = .choosingCategory(highlighted: moved(highlighted, key, count))
            return [.show(screen(for: state)), start(.choice, configuration.choiceTimeout, at: now)]
        case .select, .call:
            return cancel(.choice) + placeCall(category: configuration.categories[highlighted], at: now)
        case .hangUp:
            return cancel(.choice) + enterIdle()
        }
    }

    /// No key for the choice time-out: the customer walked away.
    mutating func choiceTimedOut() -> [Action] {
        enterIdle()
    }

    /// The language is taken: screens speak it; then the category (or the call if there is none to choose).
    private mutating func chooseLanguage(_ index: Int, at now: ContinuousClock.Instant) -> [Action] {
        var actions = switchLanguage(to: configuration.languages[index])
        if configuration.choosesCategory {
            state = .choosingCategory(highlighted: 0)
            actions += [.show(screen(for: state)), start(.choice, configuration.choiceTimeout, at: now)]
            return actions
        }
        return actions + cancel(.choice) + placeCall(category: configuration.categories.first, at: now)
    }

    /// Places a new call: the engine places it, the screen says so, the answer time-out runs.
    private mutating func placeCall(category: Choice?, at now: ContinuousClock.Instant) -> [Action] {
        lastCallNumber += 1
        let call = Call(id: CallID(lastCallNumber), category: category, language: language, placedAt: now)
        state = .connecting(call)
        return [.placeCall(call.request), .show(screen(for: state)), start(.answer, configuration.answerTimeout, at: now)]
    }

    /// Up and down wrap around, so one key alone reaches every entry.
    private func moved(_ index: Int, _ key: Key, _ count: Int) -> Int {
        guard count > 0 else { return 0 }
        return key == .up ? (index + count - 1) % count : (index + 1) % count
    }

    mutating func switchLanguage(to choice: Choice) -> [Action] {
        guard choice != language else { return [] }
        language = choice
        return [.setLanguage(choice.id)]
    }

    /// Back to idle (or out of service if a fault appeared meanwhile), in the kiosk's own language.
    mutating func enterIdle() -> [Action] {
        let actions = switchLanguage(to: configuration.languages[0])
        state = faults.isEmpty ? .idle : .outOfService(reason: Self.reason(for: faults))
        return actions + [.show(screen(for: state))]
    }
}
