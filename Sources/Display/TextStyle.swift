/// How a piece of text looks: its size in pixels (renderers derive it from the screen size), weight,
/// colour, alignment and how many lines it may take before it is ellipsized.
public struct TextStyle: Sendable, Hashable {
    public enum Weight: Sendable, Hashable { case regular, bold }
    public enum Alignment: Sendable, Hashable { case leading, centre, trailing }

    public var pixelSize: Double
    public var weight: Weight
    public var colour: Colour
    public var alignment: Alignment
    /// Lines before the text is cut with an ellipsis; nil wraps without limit.
    public var maximumLines: Int?

    public init(pixelSize: Double, weight: Weight = .regular, colour: Colour = .white,
                alignment: Alignment = .leading, maximumLines: Int? = nil) {
        self.pixelSize = pixelSize
        self.weight = weight
        self.colour = colour
        self.alignment = alignment
        self.maximumLines = maximumLines
    }

    /// Latin (with umlauts) from DejaVu Sans, CJK from WenQuanYi Micro Hei: both Debian font packages
    /// (fonts-dejavu-core, fonts-wqy-microhei); fontconfig falls back along the list per character.
    public static let fontFamilies = "DejaVu Sans,WenQuanYi Micro Hei"
}
