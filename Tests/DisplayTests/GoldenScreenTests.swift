import Display
import Foundation
import Testing

/// Every screen in every language at a landscape and a portrait size, compared with the reference PNGs
/// in Golden/. `KIOSKD_RECORD_GOLDEN=1` rewrites the references (look at them before committing).
struct GoldenScreenTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let scenario: ScreenScenario
        let language: Language
        let size: ScreenSize
        var fileName: String { "\(scenario.name)-\(language.code)-\(size.width)x\(size.height).png" }
        var testDescription: String { fileName }
    }

    static let sizes = [ScreenSize(width: 1280, height: 800), ScreenSize(width: 800, height: 1280)]
    static let cases: [Case] = ScreenScenario.all.flatMap { scenario in
        Language.supported.flatMap { language in sizes.map { Case(scenario: scenario, language: language, size: $0) } }
    }

    static let goldenDirectory = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Golden")
    static let recording = ProcessInfo.processInfo.environment["KIOSKD_RECORD_GOLDEN"] == "1"

    @Test(arguments: cases)
    func screenMatchesItsGoldenPicture(_ golden: Case) throws {
        let surface = try Surface(width: golden.size.width, height: golden.size.height)
        let model = ScreenModel(screen: golden.scenario.screen(golden.language), language: golden.language,
                                kioskName: ScreenScenario.kioskName(golden.language))
        ScreenRenderer().render(model, frames: golden.scenario.frames(), into: surface)

        let referencePath = Self.goldenDirectory.appending(path: golden.fileName).path
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try surface.writePNG(to: referencePath)
            return
        }
        guard FileManager.default.fileExists(atPath: referencePath) else {
            Issue.record("no reference \(referencePath); run with KIOSKD_RECORD_GOLDEN=1 and look at it")
            return
        }
        let comparison = PictureDifference(actual: surface, reference: try Surface.readPNG(from: referencePath),
                                           strongThreshold: GoldenTolerance.strongThreshold)
        if !GoldenTolerance.accepts(comparison) {
            let directory = FileManager.default.temporaryDirectory.appending(path: "kioskd-golden")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let actualPath = directory.appending(path: golden.fileName).path
            let diffPath = directory.appending(path: "diff-" + golden.fileName).path
            try surface.writePNG(to: actualPath)
            try comparison.differencePicture?.writePNG(to: diffPath)
            Issue.record("""
                \(golden.fileName) differs from its reference: mean difference \(comparison.meanAbsoluteDifference) \
                (at most \(GoldenTolerance.meanAbsoluteDifference)), \(comparison.strongDifferenceFraction * 100) % of pixels \
                off by more than \(GoldenTolerance.strongThreshold) (at most \(GoldenTolerance.strongDifferenceFraction * 100) %). \
                Actual: \(actualPath), difference: \(diffPath)
                """)
        }
    }
}
