/// A screen the kiosk draws on: the framebuffer device, or an off-screen stand-in that writes PNGs.
/// Screens are drawn into a `Surface` of the display's size, then presented.
public protocol Display: AnyObject {
    /// The visible size in pixels.
    var size: ScreenSize { get }
    /// Shows the surface. A surface of another size is drawn from its top-left corner, clipped.
    func present(_ surface: Surface) throws
}

extension Display {
    /// A black surface of the display's size to draw into.
    public func makeSurface() throws -> Surface {
        try Surface(width: size.width, height: size.height)
    }
}
