import CCairo

/// The in-call screen: the agent's video large; shared content beside it (landscape), below it
/// (portrait) or in its place; the chat; the QR code of a link the agent sent; the red camera badge
/// while the kiosk's camera is on; the self-view; and the consent prompt when the agent asks to see
/// the customer.
extension ScreenRenderer {
    /// Where each part of the in-call screen goes, for a screen size and what is shown.
    struct InCallLayout {
        var main: Rect
        var content: Rect?
        var chat = Rect(x: 0, y: 0, width: 0, height: 0)
        var link: Rect?
        var thumbnail: Rect?
        var selfView: Rect?

        init(_ call: InCallScreen, metrics: ScreenMetrics) {
            let body = metrics.content, gap = metrics.gap
            let hasLink = call.sharedLink != nil
            var rest: Rect
            switch (metrics.isPortrait, call.content == .besideAgent) {
            case (false, false):
                // Video left, a sidebar with the chat over the QR code on the right.
                let (sidebar, videoArea) = body.splitRight(body.width * 0.3, gap: gap)
                main = videoArea
                rest = sidebar
                if hasLink {
                    let (card, chatArea) = sidebar.splitBottom(min(sidebar.height * 0.56, sidebar.width * 1.2), gap: gap)
                    link = card
                    chat = chatArea
                } else {
                    chat = sidebar
                }
            case (false, true):
                // Agent and content side by side on top; chat and QR code below.
                let half = (body.width - gap) / 2
                let (top, bottom) = body.splitTop(min(body.height * 0.6, half * 9 / 16), gap: gap)
                let (agent, shared) = top.splitLeft(half, gap: gap)
                main = agent
                content = shared
                rest = bottom
            case (true, let beside):
                // Video across the top (content below it when shared beside); chat and QR code under them.
                // Two pictures stacked leave the chat too little room at full width: shrink both a little.
                let videoWidth = body.width * (beside ? 0.9 : 1), videoHeight = videoWidth * 9 / 16
                let (agent, below) = body.splitTop(videoHeight, gap: gap)
                main = Rect(x: body.midX - videoWidth / 2, y: agent.y, width: videoWidth, height: videoHeight)
                rest = below
                if beside {
                    let (shared, bottom) = below.splitTop(videoHeight, gap: gap)
                    content = Rect(x: body.midX - videoWidth / 2, y: shared.y, width: videoWidth, height: videoHeight)
                    rest = bottom
                }
            }
            if metrics.isPortrait || call.content == .besideAgent {
                if hasLink {
                    let wide = rest.width > rest.height * 2.2
                    let cardWidth = wide ? min(rest.width * 0.5, rest.height * 2.4) : rest.width * 0.42
                    let (card, chatArea) = rest.splitRight(cardWidth, gap: gap)
                    link = card
                    chat = chatArea
                } else {
                    chat = rest
                }
            }
            // Small pictures in the main video's corners: the agent when content took its place (top
            // left), the customer's own picture (bottom right).
            let inset = 1.5 * metrics.unit
            let smallWidth = max(main.width * 0.26, 16 * metrics.unit), smallHeight = smallWidth * 9 / 16
            if call.content == .insteadOfAgent {
                thumbnail = Rect(x: main.x + inset, y: main.y + inset, width: smallWidth, height: smallHeight)
            }
            if call.selfViewShown {
                selfView = Rect(x: main.maxX - inset - smallWidth, y: main.maxY - inset - smallHeight, width: smallWidth, height: smallHeight)
            }
        }
    }

    func drawInCall(_ call: InCallScreen, kioskName: String, strings: Strings, metrics: ScreenMetrics,
                    into surface: Surface) -> FramePlan {
        let badge = call.cameraOn ? cameraBadge(strings: strings, metrics: metrics) : nil
        let title = [strings[.inCall], call.agentName].compactMap { $0 }.joined(separator: " · ")
        drawHeader(title, metrics: metrics, on: surface, trailingWidth: badge?.width ?? 0)
        badge?.draw(metrics.header, surface)

        let layout = InCallLayout(call, metrics: metrics)
        drawChat(call.chat, in: layout.chat, strings: strings, metrics: metrics, on: surface)
        if let card = layout.link, let link = call.sharedLink {
            drawSharedLink(link, in: card, strings: strings, metrics: metrics, on: surface)
        }

        var plan = FramePlan()
        let placeholderWidth = { (rect: Rect) in rect.width * 0.9 }
        func placeholder(_ key: Strings.Key, _ rect: Rect, size: Double) -> TextBlock {
            text(strings[key], size, colour: theme.secondaryText, lines: 2, width: placeholderWidth(rect))
        }
        plan.slots.append(VideoSlot(picture: call.content == .insteadOfAgent ? \CallFrames.content : \CallFrames.agent,
                                    rect: layout.main,
                                    placeholder: placeholder(call.content == .insteadOfAgent ? .sharedContent : .agentPictureStarting,
                                                             layout.main, size: metrics.body)))
        if let rect = layout.content {
            plan.slots.append(VideoSlot(picture: \CallFrames.content, rect: rect,
                                        placeholder: placeholder(.sharedContent, rect, size: metrics.body)))
        }
        if let rect = layout.thumbnail {
            plan.slots.append(VideoSlot(picture: \CallFrames.agent, rect: rect, fit: .crop, placeholder: nil))
            if let frame = pictureFrame(label: call.agentName, size: rect, metrics: metrics) { plan.overlays.append(frame) }
        }
        if let rect = layout.selfView {
            plan.slots.append(VideoSlot(picture: \CallFrames.selfView, rect: rect, fit: .crop, placeholder: nil))
            if let frame = pictureFrame(label: strings[.selfView], size: rect, metrics: metrics,
                                        border: call.cameraOn ? theme.cameraLive : theme.text) {
                plan.overlays.append(frame)
            }
        }
        if call.consentRequested {
            surface.fill(metrics.bounds, ScreenRenderer.dimming)
            plan.dimVideo = true
            if let prompt = consentPrompt(strings: strings, metrics: metrics) { plan.overlays.append(prompt) }
        }
        for overlay in plan.overlays { surface.paint(overlay.sprite, x: overlay.x, y: overlay.y) }
        return plan
    }

    /// The chat panel: a title, then the newest messages that fit, oldest first.
    func drawChat(_ chat: [ChatMessage], in rect: Rect, strings: Strings, metrics: ScreenMetrics, on surface: Surface) {
        guard !rect.isEmpty else { return }
        surface.fill(rect, theme.panel, cornerRadius: metrics.cornerRadius)
        let inner = rect.inset(by: 2.5 * metrics.unit)
        let heading = text(strings[.messages], metrics.small, weight: .bold, colour: theme.secondaryText, alignment: .leading,
                           lines: 1, width: inner.width)
        surface.draw(heading, x: inner.x, y: inner.y)
        let area = Rect(x: inner.x, y: inner.y + heading.size.height + 1.5 * metrics.unit, width: inner.width,
                        height: inner.height - heading.size.height - 1.5 * metrics.unit)
        guard !chat.isEmpty else {
            surface.draw(text(strings[.noMessagesYet], metrics.caption, colour: theme.secondaryText, alignment: .leading,
                              lines: 3, width: area.width), x: area.x, y: area.y)
            return
        }
        let spacing = 1.8 * metrics.unit
        var shown: [(sender: TextBlock, body: TextBlock)] = []
        var used = 0.0
        for message in chat.suffix(12).reversed() {
            let sender = text(message.sender, metrics.caption, weight: .bold, colour: theme.accent, alignment: .leading,
                              lines: 1, width: area.width)
            let body = text(message.text, metrics.small, alignment: .leading, lines: 4, width: area.width)
            let height = sender.size.height + body.size.height + (shown.isEmpty ? 0 : spacing)
            if used + height > area.height, !shown.isEmpty { break }
            shown.append((sender, body))
            used += height
        }
        // Clip, so the newest message, even when taller than the panel, never spills out of it.
        cairo_save(surface.context)
        cairo_rectangle(surface.context, area.x, area.y, area.width, area.height)
        cairo_clip(surface.context)
        var y = area.y
        for message in shown.reversed() {
            surface.draw(message.sender, x: area.x, y: y)
            y += message.sender.size.height
            surface.draw(message.body, x: area.x, y: y)
            y += message.body.size.height + spacing
        }
        cairo_restore(surface.context)
    }

    /// The card with the QR code of a link or document, its caption and "scan with your phone".
    func drawSharedLink(_ link: SharedLink, in rect: Rect, strings: Strings, metrics: ScreenMetrics, on surface: Surface) {
        guard !rect.isEmpty else { return }
        surface.fill(rect, theme.panel, cornerRadius: metrics.cornerRadius)
        let inner = rect.inset(by: 2.5 * metrics.unit)
        let code = try? QRCode(link.url)
        let wide = inner.width > inner.height * 1.5
        if wide {
            let side = code == nil ? 0 : inner.height
            let texts = Rect(x: inner.x + side + (side > 0 ? metrics.gap : 0), y: inner.y,
                             width: inner.width - side - (side > 0 ? metrics.gap : 0), height: inner.height)
            if let code { surface.draw(code, fitting: Rect(x: inner.x, y: inner.y, width: side, height: side)) }
            drawLinkTexts(link, code: code, in: texts, alignment: .leading, strings: strings, metrics: metrics, on: surface)
        } else {
            let caption = linkTexts(link, code: code, width: inner.width, alignment: .centre, strings: strings, metrics: metrics)
            let textHeight = caption.reduce(0) { $0 + $1.height }
            if let code {
                // The code and its caption as one group, centred in the card.
                let side = max(0, min(inner.width, inner.height - textHeight - metrics.gap))
                let top = inner.y + max(0, (inner.height - side - metrics.gap - textHeight) / 2)
                let square = surface.draw(code, fitting: Rect(x: inner.x, y: top, width: inner.width, height: side))
                drawColumn(caption, in: Rect(x: inner.x, y: square.maxY + metrics.gap, width: inner.width, height: textHeight),
                           on: surface)
            } else {
                drawColumn(caption, in: inner, on: surface)
            }
        }
    }

    private func linkTexts(_ link: SharedLink, code: QRCode?, width: Double, alignment: TextStyle.Alignment,
                           strings: Strings, metrics: ScreenMetrics) -> [ColumnItem] {
        var items: [ColumnItem] = [.text(text(link.caption, metrics.small, weight: .bold, alignment: alignment, lines: 3, width: width))]
        // Without a code (too long to encode) the address itself is the only way to reach it.
        let hint = code == nil ? link.url : strings[.scanWithPhone]
        items += [.space(0.8 * metrics.unit),
                  .text(text(hint, metrics.caption, colour: theme.secondaryText, alignment: alignment, lines: 2, width: width))]
        return items
    }

    private func drawLinkTexts(_ link: SharedLink, code: QRCode?, in rect: Rect, alignment: TextStyle.Alignment,
                               strings: Strings, metrics: ScreenMetrics, on surface: Surface) {
        drawColumn(linkTexts(link, code: code, width: rect.width, alignment: alignment, strings: strings, metrics: metrics),
                   in: rect, on: surface)
    }

    /// The frame drawn over a small picture: a thin border and a label chip in its corner.
    private func pictureFrame(label: String?, size rect: Rect, metrics: ScreenMetrics, border: Colour? = nil) -> Overlay? {
        let x = rect.x.rounded(.down), y = rect.y.rounded(.down)
        guard let sprite = try? Surface(width: Int((rect.maxX - x).rounded(.up)), height: Int((rect.maxY - y).rounded(.up)),
                                        format: CAIRO_FORMAT_ARGB32) else { return nil }
        let local = Rect(x: rect.x - x, y: rect.y - y, width: rect.width, height: rect.height)
        sprite.stroke(local, border ?? theme.text, lineWidth: max(2, 0.5 * metrics.unit))
        if let label {
            let name = text(label, metrics.caption, weight: .bold, alignment: .leading, lines: 1, width: 0)
            let padding = metrics.unit
            let width = min(name.size.width, local.width - 4 * padding)
            let chip = Rect(x: local.x + padding, y: local.maxY - padding - name.size.height - padding,
                            width: width + 2 * padding, height: name.size.height + padding)
            sprite.fill(chip, theme.background.withAlpha(0.75), cornerRadius: padding)
            let fitted = name.size.width > width ? text(label, metrics.caption, weight: .bold, alignment: .leading, lines: 1, width: width) : name
            sprite.draw(fitted, x: chip.x + padding, y: chip.y + padding / 2)
        }
        return Overlay(sprite: sprite, x: x, y: y)
    }

    /// The consent prompt card, centred: what the agent asks, what the button does, the key hints.
    private func consentPrompt(strings: Strings, metrics: ScreenMetrics) -> Overlay? {
        let bounds = metrics.bounds
        let width = metrics.isPortrait ? bounds.width - 2 * metrics.margin : min(bounds.width - 2 * metrics.margin, 125 * metrics.unit)
        let padding = 5 * metrics.unit
        let inner = width - 2 * padding
        let icon = 12 * metrics.unit
        let title = text(strings[.consentTitle], metrics.title, weight: .bold, lines: 3, width: inner)
        let body = text(strings[.consentBody], metrics.body, lines: 3, width: inner)
        let hintsHeight = 9 * metrics.unit
        let height = padding + icon + 3 * metrics.unit + title.size.height + 2 * metrics.unit + body.size.height
            + 4 * metrics.unit + hintsHeight + padding
        guard let sprite = try? Surface(width: Int(width.rounded(.up)), height: Int(height.rounded(.up)), format: CAIRO_FORMAT_ARGB32) else {
            return nil
        }
        let card = Rect(x: 0, y: 0, width: width, height: height)
        sprite.fill(card, theme.panelRaised, cornerRadius: 2 * metrics.cornerRadius)
        drawCameraIcon(in: Rect(x: card.midX - icon / 2, y: padding, width: icon, height: icon), on: sprite)
        var y = padding + icon + 3 * metrics.unit
        sprite.draw(title, x: padding, y: y)
        y += title.size.height + 2 * metrics.unit
        sprite.draw(body, x: padding, y: y)
        y += body.size.height + 4 * metrics.unit
        drawKeyHints([(.select, strings[.consentAccept]), (.upDown, strings[.consentDecline])],
                     in: Rect(x: padding, y: y, width: inner, height: hintsHeight), metrics: metrics, on: sprite)
        return Overlay(sprite: sprite, x: (bounds.midX - width / 2).rounded(), y: (bounds.midY - height / 2).rounded())
    }

    /// A camera: a rounded body and a lens, in the live colour unless told otherwise.
    func drawCameraIcon(in rect: Rect, on surface: Surface, colour: Colour? = nil, lens: Colour? = nil) {
        let colour = colour ?? theme.cameraLive, lens = lens ?? theme.panelRaised
        let body = Rect(x: rect.x, y: rect.y + rect.height * 0.22, width: rect.width * 0.72, height: rect.height * 0.56)
        surface.fill(body, colour, cornerRadius: rect.height * 0.1)
        let c = surface.context
        surface.setSource(colour)
        cairo_new_path(c)
        cairo_move_to(c, body.maxX + rect.width * 0.02, rect.midY)
        cairo_line_to(c, rect.maxX, rect.y + rect.height * 0.26)
        cairo_line_to(c, rect.maxX, rect.y + rect.height * 0.74)
        cairo_close_path(c)
        cairo_fill(c)
        surface.fillCircle(centreX: body.midX, centreY: body.midY, radius: body.height * 0.26, lens)
    }
}
