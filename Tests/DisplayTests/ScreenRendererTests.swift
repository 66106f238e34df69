import Display
import Testing

struct ScreenRendererTests {
    static let agentA = I420Image.colourBars(width: 320, height: 180)
    static let agentB = I420Image.slide(width: 320, height: 180)
    static let me = I420Image.portrait(width: 160, height: 120)

    func differingPixels(_ a: Surface, _ b: Surface) -> Int {
        var count = 0
        for y in 0..<a.height { for x in 0..<a.width where a.pixel(x: x, y: y) != b.pixel(x: x, y: y) { count += 1 } }
        return count
    }

    /// A later frame of the same model redraws only the video; the result must be exactly what a
    /// full redraw gives, including the dimming and the prompt over the video and the self-view.
    @Test(arguments: [ScreenSize(width: 640, height: 400), ScreenSize(width: 400, height: 640)], [false, true])
    func aNewFrameGivesTheSamePictureAsAFullRedraw(_ size: ScreenSize, consent: Bool) throws {
        let call = InCallScreen(agentName: "Anna", content: .insteadOfAgent, chat: [ChatMessage(sender: "Anna", text: "Hello")],
                                sharedLink: SharedLink(url: "https://example.org", caption: "Form"), cameraOn: true,
                                selfViewShown: true, consentRequested: consent)
        let model = ScreenModel(screen: .inCall(call), language: .german, kioskName: "Rathaus")
        let incremental = try Surface(width: size.width, height: size.height)
        let renderer = ScreenRenderer()
        renderer.render(model, frames: CallFrames(agent: Self.agentA, content: Self.agentB, selfView: Self.me), into: incremental)
        let before = try Surface(width: size.width, height: size.height)
        ScreenRenderer().render(model, frames: CallFrames(agent: Self.agentA, content: Self.agentB, selfView: Self.me), into: before)
        // Next frame: content and agent swap pictures, the self-view stops.
        renderer.render(model, frames: CallFrames(agent: Self.agentB, content: Self.agentA), into: incremental)
        renderer.render(model, frames: CallFrames(agent: Self.agentB, content: Self.agentA), into: incremental)
        let full = try Surface(width: size.width, height: size.height)
        ScreenRenderer().render(model, frames: CallFrames(agent: Self.agentB, content: Self.agentA), into: full)

        #expect(differingPixels(before, full) > 1000)  // the frames really differ
        #expect(differingPixels(incremental, full) == 0)
    }

    @Test func oddAndExtremeInputDrawsWithoutCrashing() throws {
        let renderer = ScreenRenderer()
        let long = String(repeating: "Sehr lange Kategorie ", count: 500)
        let screens: [Screen] = [
            .choosingCategory(categories: [], highlighted: 3),
            .choosingCategory(categories: (1...40).map { "\($0) \(long)" }, highlighted: 39),
            .choosingLanguage(languages: [], highlighted: -1),
            .waitingInQueue(position: 0, estimatedWait: .seconds(-5)),
            .waitingInQueue(position: 1_000_000, estimatedWait: .seconds(100_000)),
            .idle(languages: []),
            .callEnded(duration: .seconds(-1), reason: .agentHungUp),
            .callEnded(duration: nil, reason: .noUsableConnection),
            .outOfService(reason: long),
            .inCall(InCallScreen(agentName: long, content: .besideAgent, chat: Array(repeating: ChatMessage(sender: long, text: long), count: 100),
                                 sharedLink: SharedLink(url: String(repeating: "u", count: 9000), caption: long), cameraOn: true,
                                 selfViewShown: true, consentRequested: true)),
        ]
        for size in [ScreenSize(width: 1920, height: 1080), ScreenSize(width: 200, height: 120), ScreenSize(width: 1, height: 1)] {
            let surface = try Surface(width: size.width, height: size.height)
            for screen in screens {
                renderer.render(ScreenModel(screen: screen, language: .german, kioskName: long), frames: CallFrames(agent: Self.agentA), into: surface)
                // Something beyond the background was drawn (text, shapes), even at 200×120.
                var colours = Set<UInt32>()
                for y in stride(from: 0, to: size.height, by: 2) { for x in stride(from: 0, to: size.width, by: 2) { colours.insert(surface.pixel(x: x, y: y)) } }
                #expect(size.width < 200 || colours.count > 3, "\(size) \(screen)")
            }
        }
    }

    @Test func theCameraBadgeIsRedOnlyWhileTheCameraIsOn() throws {
        func redPixels(cameraOn: Bool) throws -> Int {
            let surface = try Surface(width: 1280, height: 800)
            let model = ScreenModel(screen: .inCall(InCallScreen(cameraOn: cameraOn)), language: .english, kioskName: "Kiosk")
            ScreenRenderer().render(model, into: surface)
            var count = 0
            for y in 0..<80 { for x in 900..<1280 where surface.pixel(x: x, y: y) == 0xE0303C { count += 1 } }
            return count
        }
        #expect(try redPixels(cameraOn: true) > 2000)
        #expect(try redPixels(cameraOn: false) == 0)
    }
}
