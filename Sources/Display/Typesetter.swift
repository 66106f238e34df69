import CCairo

/// Lays out text with pango. One pango context (font map, font options) is shared by every layout it
/// makes, so layouts can be made once and drawn on many frames. Pango objects are not thread-safe: a
/// typesetter and its blocks belong to one owner (the renderer) at a time.
public final class Typesetter {
    private let pangoContext: OpaquePointer

    /// Text longer than this is cut before layout: a chat message or reason of megabytes must not
    /// stall the screen (it is ellipsized on screen long before this anyway).
    public static let maximumCharacters = 2000

    public init() {
        let fontMap = pango_cairo_font_map_get_default()
        pangoContext = pango_font_map_create_context(fontMap)!
        // Grey antialiasing, no hinting: the same glyph shapes at every size and on every machine with
        // the same fonts, which keeps the golden pictures stable.
        let options = cairo_font_options_create()
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        pango_cairo_context_set_font_options(pangoContext, options)
        cairo_font_options_destroy(options)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(pangoContext)) }

    /// Lays out `text` in `style`, wrapped to `width` pixels (and ellipsized after the style's
    /// maximum lines). A width of 0 or less means one line without wrapping.
    public func layout(_ text: String, style: TextStyle, width: Double) -> TextBlock {
        let layout = pango_layout_new(pangoContext)!
        let description = pango_font_description_from_string(TextStyle.fontFamilies)
        pango_font_description_set_absolute_size(description, max(1, style.pixelSize) * Double(PANGO_SCALE))
        pango_font_description_set_weight(description, style.weight == .bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)

        let clipped = text.count > Self.maximumCharacters ? String(text.prefix(Self.maximumCharacters)) + "…" : text
        pango_layout_set_text(layout, clipped, -1)
        if width > 0 {
            pango_layout_set_width(layout, Int32(min(width, 30000) * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
        // A negative height is a number of lines for pango's ellipsizing.
        pango_layout_set_height(layout, Int32(-(style.maximumLines ?? 1000)))
        let alignment: PangoAlignment = switch style.alignment {
        case .leading: PANGO_ALIGN_LEFT
        case .centre: PANGO_ALIGN_CENTER
        case .trailing: PANGO_ALIGN_RIGHT
        }
        pango_layout_set_alignment(layout, alignment)
        return TextBlock(layout: layout, colour: style.colour, wrapWidth: width)
    }
}

/// Text laid out once, ready to draw any number of times.
public final class TextBlock {
    let layout: OpaquePointer
    public let colour: Colour
    private let wrapWidth: Double

    init(layout: OpaquePointer, colour: Colour, wrapWidth: Double) {
        self.layout = layout
        self.colour = colour
        self.wrapWidth = wrapWidth
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    /// The ink-independent size of the laid-out text in pixels (logical extents).
    public var size: (width: Double, height: Double) {
        var width: Int32 = 0, height: Int32 = 0
        pango_layout_get_pixel_size(layout, &width, &height)
        return (Double(width), Double(height))
    }

    /// How many lines the text took.
    public var lineCount: Int { Int(pango_layout_get_line_count(layout)) }

    /// Whether pango had to cut the text with an ellipsis.
    public var isEllipsized: Bool { pango_layout_is_ellipsized(layout) != 0 }

    /// Characters no font had a glyph for (drawn as boxes); 0 when every script found its font.
    public var unknownGlyphCount: Int { Int(pango_layout_get_unknown_glyphs_count(layout)) }

    /// The width the block occupies when placed: the wrap width when wrapping, else its own width.
    var boxWidth: Double { wrapWidth > 0 ? wrapWidth : size.width }
}

extension Surface {
    /// Draws a laid-out block with its top-left corner at (x, y); alignment happens inside the wrap width.
    public func draw(_ block: TextBlock, x: Double, y: Double) {
        setSource(block.colour)
        cairo_move_to(context, x, y)
        pango_cairo_show_layout(context, block.layout)
    }

    /// Draws a block vertically centred in `rect` (horizontally by the block's own alignment).
    public func draw(_ block: TextBlock, centredVerticallyIn rect: Rect) {
        draw(block, x: rect.x, y: rect.y + (rect.height - block.size.height) / 2)
    }
}
