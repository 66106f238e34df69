/// The screen's colours. Dark and calm: the video stands out, the text is high-contrast.
public struct Theme: Sendable, Hashable {
    public var background: Colour
    public var panel: Colour
    public var panelRaised: Colour
    public var text: Colour
    public var secondaryText: Colour
    public var accent: Colour
    public var textOnAccent: Colour
    public var cameraLive: Colour
    public var videoBackground: Colour

    public static let dark = Theme(
        background: Colour(hex: 0x0F1A24), panel: Colour(hex: 0x182634), panelRaised: Colour(hex: 0x22354A),
        text: Colour(hex: 0xF2F5F8), secondaryText: Colour(hex: 0x9DB0C2), accent: Colour(hex: 0x4DA8E8),
        textOnAccent: Colour(hex: 0x07121C), cameraLive: Colour(hex: 0xE0303C), videoBackground: Colour(hex: 0x000000))
}
