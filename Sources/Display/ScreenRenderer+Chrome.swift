import CCairo

/// Pieces every screen uses: the header, key hints, icons, and columns of centred text.
extension ScreenRenderer {
    enum KeyIcon { case upDown, select }

    /// A vertical stack of centred items.
    enum ColumnItem {
        case text(TextBlock)
        case space(Double)
        case icon(height: Double, draw: (Rect) -> Void)

        var height: Double {
            switch self {
            case let .text(block): block.size.height
            case let .space(height): height
            case let .icon(height, _): height
            }
        }
    }

    func text(_ string: String, _ size: Double, weight: TextStyle.Weight = .regular, colour: Colour? = nil,
              alignment: TextStyle.Alignment = .centre, lines: Int? = 3, width: Double) -> TextBlock {
        typesetter.layout(string, style: TextStyle(pixelSize: size, weight: weight, colour: colour ?? theme.text,
                                                   alignment: alignment, maximumLines: lines), width: width)
    }

    /// Draws the items one under the other, the stack centred vertically in `rect`.
    func drawColumn(_ items: [ColumnItem], in rect: Rect, on surface: Surface) {
        let total = items.reduce(0) { $0 + $1.height }
        var y = rect.y + max(0, (rect.height - total) / 2)
        for item in items {
            switch item {
            case let .text(block): surface.draw(block, x: rect.x, y: y)
            case .space: break
            case let .icon(height, draw): draw(Rect(x: rect.x, y: y, width: rect.width, height: height))
            }
            y += item.height
        }
    }

    /// The kiosk's name at the top left, a thin line under it; `trailing` draws into the right part.
    func drawHeader(_ title: String, metrics: ScreenMetrics, on surface: Surface, trailingWidth: Double = 0) {
        let header = metrics.header
        let name = text(title, metrics.small, colour: theme.secondaryText, alignment: .leading, lines: 1,
                        width: header.width - trailingWidth - (trailingWidth > 0 ? metrics.gap : 0))
        surface.draw(name, centredVerticallyIn: header)
        surface.fill(Rect(x: header.x, y: header.maxY - max(1, metrics.unit * 0.25), width: header.width,
                          height: max(1, metrics.unit * 0.25)), theme.panelRaised)
    }

    /// Key hints: a drawn keycap, then what the key does; centred in `rect`. Labels keep their full
    /// width when the row fits, else each is cut to its share.
    func drawKeyHints(_ hints: [(KeyIcon, String)], in rect: Rect, metrics: ScreenMetrics, on surface: Surface) {
        guard !hints.isEmpty else { return }
        let cap = 6 * metrics.unit, spacing = 3 * metrics.gap
        var labels = hints.map { text($0.1, metrics.small, colour: theme.secondaryText, alignment: .leading, lines: 1, width: 0) }
        let fixed = Double(hints.count) * (cap + metrics.gap) + Double(hints.count - 1) * spacing
        if fixed + labels.reduce(0, { $0 + $1.size.width }) > rect.width {
            let share = max(metrics.unit, (rect.width - fixed) / Double(hints.count))
            labels = hints.map { text($0.1, metrics.small, colour: theme.secondaryText, alignment: .leading, lines: 1, width: share) }
        }
        let total = fixed + labels.reduce(0) { $0 + $1.boxWidth }
        var x = rect.x + max(0, (rect.width - total) / 2)
        for (hint, label) in zip(hints, labels) {
            drawKeycap(hint.0, in: Rect(x: x, y: rect.midY - cap / 2, width: cap, height: cap), metrics: metrics, on: surface)
            x += cap + metrics.gap
            surface.draw(label, x: x, y: rect.midY - label.size.height / 2)
            x += label.boxWidth + spacing
        }
    }

    func drawKeycap(_ icon: KeyIcon, in rect: Rect, metrics: ScreenMetrics, on surface: Surface) {
        // Outlined, so the key reads on the raised prompt card as on the background.
        surface.fill(rect, theme.panelRaised, cornerRadius: metrics.cornerRadius)
        surface.stroke(rect, theme.secondaryText.withAlpha(0.6), lineWidth: max(1, 0.3 * metrics.unit), cornerRadius: metrics.cornerRadius)
        let c = surface.context
        switch icon {
        case .select:
            surface.fillCircle(centreX: rect.midX, centreY: rect.midY, radius: rect.width * 0.22, theme.accent)
        case .upDown:
            let w = rect.width * 0.36, h = rect.height * 0.2
            surface.setSource(theme.text)
            cairo_new_path(c)
            cairo_move_to(c, rect.midX - w / 2, rect.midY - rect.height * 0.08)
            cairo_line_to(c, rect.midX + w / 2, rect.midY - rect.height * 0.08)
            cairo_line_to(c, rect.midX, rect.midY - rect.height * 0.08 - h)
            cairo_close_path(c)
            cairo_move_to(c, rect.midX - w / 2, rect.midY + rect.height * 0.08)
            cairo_line_to(c, rect.midX + w / 2, rect.midY + rect.height * 0.08)
            cairo_line_to(c, rect.midX, rect.midY + rect.height * 0.08 + h)
            cairo_close_path(c)
            cairo_fill(c)
        }
    }

    /// The red "camera on" badge: a pill with a white dot. Returns its width for layout.
    func cameraBadge(strings: Strings, metrics: ScreenMetrics) -> (width: Double, draw: (Rect, Surface) -> Void) {
        let label = text(strings[.cameraOn], metrics.small, weight: .bold, colour: .white, alignment: .leading, lines: 1, width: 0)
        let height = 6.4 * metrics.unit
        let dot = height * 0.2
        let width = min(label.size.width, 40 * metrics.unit) + height * 0.5 + 2 * dot + height * 0.35
        return (width, { rect, surface in
            let pill = Rect(x: rect.maxX - width, y: rect.midY - height / 2, width: width, height: height)
            surface.fill(pill, self.theme.cameraLive, cornerRadius: height / 2)
            surface.fillCircle(centreX: pill.x + height * 0.35 + dot, centreY: pill.midY, radius: dot, .white)
            surface.draw(label, x: pill.x + height * 0.35 + 2 * dot + height * 0.2, y: pill.midY - label.size.height / 2)
        })
    }

    // MARK: Icons

    /// The call button as drawn on the idle screen: a ring around a filled circle with a camera.
    func drawCallButtonIcon(in rect: Rect, on surface: Surface) {
        let radius = min(rect.width, rect.height) / 2
        surface.fillCircle(centreX: rect.midX, centreY: rect.midY, radius: radius, theme.accent.withAlpha(0.18))
        surface.fillCircle(centreX: rect.midX, centreY: rect.midY, radius: radius * 0.68, theme.accent)
        // A video camera: what pressing the button starts.
        let icon = radius * 0.62
        drawCameraIcon(in: Rect(x: rect.midX - icon / 2, y: rect.midY - icon / 2, width: icon, height: icon), on: surface,
                       colour: theme.textOnAccent, lens: theme.accent)
    }

    /// A still "busy" ring: a faint circle with a bright arc.
    func drawProgressIcon(in rect: Rect, on surface: Surface) {
        let radius = min(rect.width, rect.height) / 2 * 0.85, line = radius * 0.16
        surface.strokeArc(centreX: rect.midX, centreY: rect.midY, radius: radius, lineWidth: line, theme.panelRaised)
        cairo_set_line_cap(surface.context, CAIRO_LINE_CAP_ROUND)
        surface.strokeArc(centreX: rect.midX, centreY: rect.midY, radius: radius, lineWidth: line, theme.accent,
                          start: -Double.pi / 2, end: Double.pi / 4)
        cairo_set_line_cap(surface.context, CAIRO_LINE_CAP_BUTT)
    }

    func drawCheckIcon(in rect: Rect, on surface: Surface) {
        let radius = min(rect.width, rect.height) / 2
        surface.fillCircle(centreX: rect.midX, centreY: rect.midY, radius: radius, theme.accent)
        let c = surface.context
        surface.setSource(theme.textOnAccent)
        cairo_set_line_width(c, radius * 0.16)
        cairo_set_line_cap(c, CAIRO_LINE_CAP_ROUND)
        cairo_set_line_join(c, CAIRO_LINE_JOIN_ROUND)
        cairo_new_path(c)
        cairo_move_to(c, rect.midX - radius * 0.42, rect.midY + radius * 0.02)
        cairo_line_to(c, rect.midX - radius * 0.1, rect.midY + radius * 0.34)
        cairo_line_to(c, rect.midX + radius * 0.45, rect.midY - radius * 0.3)
        cairo_stroke(c)
        cairo_set_line_cap(c, CAIRO_LINE_CAP_BUTT)
        cairo_set_line_join(c, CAIRO_LINE_JOIN_MITER)
    }

    func drawWarningIcon(in rect: Rect, on surface: Surface) {
        let radius = min(rect.width, rect.height) / 2
        let amber = Colour(hex: 0xF0B429)
        surface.fillCircle(centreX: rect.midX, centreY: rect.midY, radius: radius, amber)
        surface.fill(Rect(x: rect.midX - radius * 0.09, y: rect.midY - radius * 0.55, width: radius * 0.18, height: radius * 0.7),
                     theme.textOnAccent, cornerRadius: radius * 0.09)
        surface.fillCircle(centreX: rect.midX, centreY: rect.midY + radius * 0.43, radius: radius * 0.11, theme.textOnAccent)
    }

    /// A circle with a number in it (the queue position).
    func drawNumberIcon(_ number: Int, in rect: Rect, metrics: ScreenMetrics, on surface: Surface) {
        let radius = min(rect.width, rect.height) / 2
        surface.strokeArc(centreX: rect.midX, centreY: rect.midY, radius: radius * 0.92, lineWidth: radius * 0.12, theme.accent)
        let digits = text(String(number), radius * 0.9, weight: .bold, lines: 1, width: rect.width)
        surface.draw(digits, centredVerticallyIn: rect)
    }
}
