import Display
import Testing

struct TypesetterTests {
    let typesetter = Typesetter()

    @Test(arguments: Language.supported)
    func everyStringOfEveryLanguageHasRealGlyphs(_ language: Language) {
        let strings = Strings(language: language)
        for key in Strings.Key.allCases {
            let block = typesetter.layout(strings[key], style: TextStyle(pixelSize: 24), width: 600)
            #expect(block.unknownGlyphCount == 0, "\(language) \(key): \(strings[key])")
        }
    }

    @Test func textBeyondItsLinesIsEllipsized() {
        let style = TextStyle(pixelSize: 20, maximumLines: 2)
        let block = typesetter.layout(String(repeating: "Grundsteuer und Hundesteuer ", count: 40), style: style, width: 300)
        #expect(block.lineCount == 2)
        #expect(block.isEllipsized)
        let short = typesetter.layout("Kurz", style: style, width: 300)
        #expect(short.lineCount == 1 && !short.isEllipsized)
    }

    @Test func aHugeStringIsCutNotChoked() {
        let block = typesetter.layout(String(repeating: "长", count: 1_000_000), style: TextStyle(pixelSize: 20, maximumLines: 3), width: 400)
        #expect(block.lineCount == 3 && block.isEllipsized)
        #expect(block.size.width <= 400)
    }
}
