/// Render cost of the screens, for the benchmark program.
public enum DisplayBenchmark {
    /// Mean time to composite one in-call frame: a 1280×720 agent picture scaled into a 1280×800
    /// (or `screen`) xrgb8888 surface beside the chat, under the camera badge, with a QR code. The
    /// first frame (which lays out the static parts) is not counted; two alternating pictures make
    /// sure every frame really converts new pixels.
    public static func inCallCompositing(frames: Int = 300, screen: ScreenSize = ScreenSize(width: 1280, height: 800)) throws -> Duration {
        let surface = try Surface(width: screen.width, height: screen.height)
        let renderer = ScreenRenderer()
        let pictures = [I420Image.colourBars(width: 1280, height: 720), I420Image.slide(width: 1280, height: 720)]
        let call = InCallScreen(
            agentName: "Anna Smith",
            chat: [ChatMessage(sender: "Anna Smith", text: "Hello! I'm Anna. How can I help you today?"),
                   ChatMessage(sender: "Anna Smith", text: "I've sent you the form – scan the code with your phone.")],
            sharedLink: SharedLink(url: "https://riverside.example/forms/address-registration", caption: "Form: registering your address"),
            cameraOn: true)
        let model = ScreenModel(screen: .inCall(call), language: .english, kioskName: "Riverside Town Hall")
        renderer.render(model, frames: CallFrames(agent: pictures[1]), into: surface)

        let clock = ContinuousClock()
        let count = max(1, frames)
        let elapsed = clock.measure {
            for index in 0..<count {
                renderer.render(model, frames: CallFrames(agent: pictures[index % 2]), into: surface)
            }
        }
        return elapsed / count
    }

    /// Mean time to write a full screen into framebuffer memory of `format` (what `FramebufferDisplay.present`
    /// does besides the pan), into an ordinary buffer, so it runs without a device.
    public static func framebufferWrite(format: PixelFormat, frames: Int = 100,
                                        screen: ScreenSize = ScreenSize(width: 1280, height: 800)) throws -> Duration {
        let surface = try Surface(width: screen.width, height: screen.height)
        ScreenRenderer().render(ScreenModel(screen: .idle(languages: Language.supported), language: .english, kioskName: "Kiosk"),
                                into: surface)
        let lineLength = screen.width * format.bytesPerPixel
        let page = UnsafeMutableRawBufferPointer.allocate(byteCount: lineLength * screen.height, alignment: 16)
        defer { page.deallocate() }
        let count = max(1, frames)
        let elapsed = ContinuousClock().measure {
            for _ in 0..<count {
                FramebufferDisplay.write(surface, into: page, lineLength: lineLength, size: screen, format: format)
            }
        }
        return elapsed / count
    }
}
