import CCairo

extension Surface {
    /// Fills the whole surface.
    public func fill(_ colour: Colour) {
        cairo_save(context)
        setSource(colour)
        cairo_set_operator(context, CAIRO_OPERATOR_SOURCE)
        cairo_paint(context)
        cairo_restore(context)
    }

    /// Fills a rectangle, with rounded corners when `cornerRadius` > 0.
    public func fill(_ rect: Rect, _ colour: Colour, cornerRadius: Double = 0) {
        guard !rect.isEmpty else { return }
        setSource(colour)
        addPath(rect, cornerRadius: cornerRadius)
        cairo_fill(context)
    }

    /// Outlines a rectangle with a line of `lineWidth` inside its edge.
    public func stroke(_ rect: Rect, _ colour: Colour, lineWidth: Double, cornerRadius: Double = 0) {
        guard !rect.isEmpty else { return }
        setSource(colour)
        cairo_set_line_width(context, lineWidth)
        addPath(rect.inset(by: lineWidth / 2), cornerRadius: max(0, cornerRadius - lineWidth / 2))
        cairo_stroke(context)
    }

    /// Fills a circle.
    public func fillCircle(centreX: Double, centreY: Double, radius: Double, _ colour: Colour) {
        guard radius > 0 else { return }
        setSource(colour)
        cairo_new_path(context)
        cairo_arc(context, centreX, centreY, radius, 0, 2 * Double.pi)
        cairo_fill(context)
    }

    /// Strokes a circle (or an arc from `start` to `end`, radians, clockwise from 3 o'clock).
    public func strokeArc(centreX: Double, centreY: Double, radius: Double, lineWidth: Double, _ colour: Colour,
                          start: Double = 0, end: Double = 2 * Double.pi) {
        guard radius > 0 else { return }
        setSource(colour)
        cairo_set_line_width(context, lineWidth)
        cairo_new_path(context)
        cairo_arc(context, centreX, centreY, radius, start, end)
        cairo_stroke(context)
    }

    func setSource(_ colour: Colour) {
        cairo_set_source_rgba(context, colour.red, colour.green, colour.blue, colour.alpha)
    }

    func addPath(_ rect: Rect, cornerRadius: Double) {
        cairo_new_path(context)
        let radius = min(cornerRadius, rect.width / 2, rect.height / 2)
        guard radius > 0 else {
            cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
            return
        }
        let half = Double.pi / 2
        cairo_arc(context, rect.maxX - radius, rect.y + radius, radius, -half, 0)
        cairo_arc(context, rect.maxX - radius, rect.maxY - radius, radius, 0, half)
        cairo_arc(context, rect.x + radius, rect.maxY - radius, radius, half, 2 * half)
        cairo_arc(context, rect.x + radius, rect.y + radius, radius, 2 * half, 3 * half)
        cairo_close_path(context)
    }

    /// Paints another surface (an overlay sprite) with its top-left corner at (x, y).
    func paint(_ sprite: Surface, x: Double, y: Double, alpha: Double = 1) {
        cairo_save(context)
        cairo_set_source_surface(context, sprite.cairoSurface, x, y)
        if alpha >= 1 { cairo_paint(context) } else { cairo_paint_with_alpha(context, alpha) }
        cairo_restore(context)
    }
}
