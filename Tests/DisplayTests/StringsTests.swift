import Display
import Testing

struct StringsTests {
    @Test(arguments: Language.supported)
    func everyLanguageHasItsOwnTextForEveryKey(_ language: Language) {
        let strings = Strings(language: language), english = Strings(language: .english)
        for key in Strings.Key.allCases {
            #expect(!strings[key].isEmpty)
            // Only the English table may be English (a copied entry would be a missed translation).
            if language != .english, key != .selfView { #expect(strings[key] != english[key], "\(language) \(key)") }
        }
    }

    @Test func anUnknownLanguageFallsBackToEnglish() {
        #expect(Strings(language: Language(code: "fr"))[.welcome] == "Welcome")
    }

    @Test func templatesAreFilledIn() {
        let german = Strings(language: .german)
        #expect(german.queuePosition(3) == "Sie sind an Position 3 der Warteschlange")
        #expect(german.queuePosition(1) == "Sie sind als Nächstes an der Reihe")
        #expect(german.estimatedWait(.seconds(250)) == "Voraussichtliche Wartezeit: etwa 5 Min.")
        #expect(Strings(language: .chinese).estimatedWait(.seconds(30)) == "预计等待时间：不到一分钟")
        #expect(Strings(language: .english).callDuration(.seconds(462)) == "Call duration: 7:42")
        #expect(Strings(language: .english).callDuration(.seconds(3723)) == "Call duration: 1:02:03")
        #expect(Strings(language: .english).format(.topic, [:]) == "Topic: {category}")
    }
}
