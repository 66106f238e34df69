import Display
import Testing

/// The golden tolerance must catch a real change and let antialiasing noise through.
struct PictureDifferenceTests {
    func idle(_ language: Language, kioskName: String = "Riverside Town Hall") throws -> Surface {
        let surface = try Surface(width: 1280, height: 800)
        ScreenRenderer().render(ScreenModel(screen: .idle(languages: Language.supported), language: language, kioskName: kioskName), into: surface)
        return surface
    }

    @Test func aChangedWordIsCaughtButIdenticalRenderingsMatch() throws {
        let reference = try idle(.english)
        #expect(GoldenTolerance.accepts(PictureDifference(actual: try idle(.english), reference: reference)))
        let changed = PictureDifference(actual: try idle(.german), reference: reference)
        #expect(!GoldenTolerance.accepts(changed))
        // The difference picture marks the title ("Welcome" vs "Willkommen") red, and not the header line.
        let marks = try #require(changed.differencePicture)
        #expect((400..<460).contains { y in (400..<880).contains { x in marks.pixel(x: x, y: y) == 0xFF0000 } })
        #expect(!(0..<1280).contains { x in marks.pixel(x: x, y: 79) == 0xFF0000 })
    }

    /// The smallest text on the screens (the kiosk's name in the header) changing must be caught too.
    @Test func aChangedKioskNameInTheSmallHeaderIsCaught() throws {
        let reference = try idle(.english, kioskName: "Riverside Town Hall – Citizens' Office")
        let renamed = PictureDifference(actual: try idle(.english, kioskName: "Riverside Town Hall – Registry Office"), reference: reference)
        #expect(!GoldenTolerance.accepts(renamed))
    }

    @Test func differentSizesNeverMatch() throws {
        let difference = PictureDifference(actual: try Surface(width: 10, height: 10), reference: try Surface(width: 10, height: 11))
        #expect(!difference.sizesMatch && !GoldenTolerance.accepts(difference))
    }
}
