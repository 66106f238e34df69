import CCairo

/// Draws a `ScreenModel` into a surface of any size. Everything that does not move is drawn once per
/// change of the model; each later frame of the same model only scales the new video pictures into
/// their places (and repaints what lies over them), so a frame costs little more than libyuv's work.
public final class ScreenRenderer {
    public let theme: Theme
    let typesetter = Typesetter()
    private let scaler = VideoScaler()

    private var drawnModel: ScreenModel?
    private weak var drawnSurface: Surface?
    private var plan = FramePlan()
    /// Per video slot: whether it showed a picture last frame (else its placeholder is already there).
    private var slotShowedPicture: [Bool] = []

    public init(theme: Theme = .dark) {
        self.theme = theme
    }

    /// Draws `model` with the latest pictures. Calling again with an equal model and the same surface
    /// redraws only the video.
    public func render(_ model: ScreenModel, frames: CallFrames = CallFrames(), into surface: Surface) {
        var redrawAll = false
        if model != drawnModel || surface !== drawnSurface {
            let metrics = ScreenMetrics(size: surface.size)
            let strings = Strings(language: model.language)
            cairo_reset_clip(surface.context)
            surface.fill(theme.background)
            plan = drawStatic(model, strings: strings, metrics: metrics, into: surface)
            drawnModel = model
            drawnSurface = surface
            slotShowedPicture = Array(repeating: false, count: plan.slots.count)
            redrawAll = true
        }
        drawVideo(frames, into: surface, redrawAll: redrawAll)
    }

    /// Forgets what was drawn, so the next render draws everything (after something else drew on the surface).
    public func invalidate() {
        drawnModel = nil
        drawnSurface = nil
    }

    private func drawStatic(_ model: ScreenModel, strings: Strings, metrics: ScreenMetrics, into surface: Surface) -> FramePlan {
        switch model.screen {
        case let .idle(languages):
            drawIdle(kioskName: model.kioskName, languages: languages, strings: strings, metrics: metrics, into: surface)
        case let .choosingCategory(categories, highlighted):
            drawChoice(title: strings[.chooseCategory], items: categories, highlighted: highlighted,
                       kioskName: model.kioskName, strings: strings, metrics: metrics, into: surface)
        case let .choosingLanguage(languages, highlighted):
            drawChoice(title: strings[.chooseLanguage], items: languages.map(\.nativeName), highlighted: highlighted,
                       kioskName: model.kioskName, strings: strings, metrics: metrics, into: surface)
        case let .connecting(category):
            drawConnecting(category: category, kioskName: model.kioskName, strings: strings, metrics: metrics, into: surface)
        case let .waitingInQueue(position, estimatedWait):
            drawWaiting(position: position, estimatedWait: estimatedWait, kioskName: model.kioskName,
                        strings: strings, metrics: metrics, into: surface)
        case let .inCall(call):
            return drawInCall(call, kioskName: model.kioskName, strings: strings, metrics: metrics, into: surface)
        case let .callEnded(duration, reason):
            drawCallEnded(duration: duration, reason: reason, kioskName: model.kioskName, strings: strings, metrics: metrics, into: surface)
        case let .outOfService(reason):
            drawOutOfService(reason: reason, kioskName: model.kioskName, strings: strings, metrics: metrics, into: surface)
        }
        return FramePlan()
    }

    private func drawVideo(_ frames: CallFrames, into surface: Surface, redrawAll: Bool) {
        guard !plan.slots.isEmpty else { return }
        var redrawn: [Rect] = []
        for (index, slot) in plan.slots.enumerated() {
            let picture = frames[keyPath: slot.picture]
            // A slot under one just redrawn (the self-view over the agent) must be drawn again too.
            let coveredByRedraw = redrawn.contains { $0.intersects(slot.rect) }
            if let picture {
                scaler.draw(picture, into: surface, fitting: slot.rect, background: theme.videoBackground, fit: slot.fit)
                slotShowedPicture[index] = true
            } else if redrawAll || slotShowedPicture[index] || coveredByRedraw {
                drawPlaceholder(slot, into: surface)
                slotShowedPicture[index] = false
            } else {
                continue
            }
            redrawn.append(slot.rect)
        }
        guard !redrawn.isEmpty, plan.dimVideo || !plan.overlays.isEmpty else { return }
        // What lies over the video is repainted only where the video was, so nothing is painted twice.
        let context = surface.context
        cairo_save(context)
        cairo_new_path(context)
        for rect in redrawn { cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height) }
        cairo_clip(context)
        if plan.dimVideo {
            surface.setSource(ScreenRenderer.dimming)
            cairo_paint(context)
        }
        for overlay in plan.overlays { surface.paint(overlay.sprite, x: overlay.x, y: overlay.y) }
        cairo_restore(context)
    }

    private func drawPlaceholder(_ slot: VideoSlot, into surface: Surface) {
        surface.fill(slot.rect, theme.videoBackground)
        if let text = slot.placeholder {
            surface.draw(text, centredVerticallyIn: slot.rect.inset(by: slot.rect.width * 0.05))
        }
    }

    /// Black at 60 %: behind the consent prompt, the call stays visible but steps back.
    static let dimming = Colour(red: 0, green: 0, blue: 0, alpha: 0.6)
}

/// What moves on a screen: video slots in drawing order, and what is painted over them.
struct FramePlan {
    var slots: [VideoSlot] = []
    var overlays: [Overlay] = []
    var dimVideo = false
}

struct VideoSlot {
    var picture: KeyPath<CallFrames, I420Image?>
    var rect: Rect
    var fit: VideoScaler.Fit = .letterbox
    /// Shown while there is no picture yet.
    var placeholder: TextBlock?
}

/// A piece drawn over the video (the self-view's frame, the consent prompt), kept as a transparent
/// surface so each frame paints it instead of laying out its text again.
struct Overlay {
    var sprite: Surface
    var x: Double
    var y: Double
}
