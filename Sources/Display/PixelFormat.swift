/// How a framebuffer stores a pixel: bits per pixel and where red, green and blue sit in it (from
/// FBIOGET_VSCREENINFO's bitfields). The off-screen surface is always `xrgb8888`.
public struct PixelFormat: Sendable, Hashable, CustomStringConvertible {
    public struct Channel: Sendable, Hashable {
        public var offset: Int
        public var length: Int
        public init(offset: Int, length: Int) { self.offset = offset; self.length = length }
    }

    public var bitsPerPixel: Int
    public var red: Channel
    public var green: Channel
    public var blue: Channel

    public init(bitsPerPixel: Int, red: Channel, green: Channel, blue: Channel) {
        self.bitsPerPixel = bitsPerPixel
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// 32 bpp, one byte each, blue lowest: cairo's CAIRO_FORMAT_RGB24 in memory on little-endian.
    public static let xrgb8888 = PixelFormat(bitsPerPixel: 32, red: .init(offset: 16, length: 8),
                                             green: .init(offset: 8, length: 8), blue: .init(offset: 0, length: 8))
    /// 24 bpp packed, blue first in memory.
    public static let rgb888 = PixelFormat(bitsPerPixel: 24, red: .init(offset: 16, length: 8),
                                           green: .init(offset: 8, length: 8), blue: .init(offset: 0, length: 8))
    /// 24 bpp packed, red first in memory.
    public static let bgr888 = PixelFormat(bitsPerPixel: 24, red: .init(offset: 0, length: 8),
                                           green: .init(offset: 8, length: 8), blue: .init(offset: 16, length: 8))
    /// 32 bpp, red lowest.
    public static let xbgr8888 = PixelFormat(bitsPerPixel: 32, red: .init(offset: 0, length: 8),
                                             green: .init(offset: 8, length: 8), blue: .init(offset: 16, length: 8))
    /// 16 bpp RGB565.
    public static let rgb565 = PixelFormat(bitsPerPixel: 16, red: .init(offset: 11, length: 5),
                                           green: .init(offset: 5, length: 6), blue: .init(offset: 0, length: 5))

    public var description: String { "\(bitsPerPixel) bpp (R\(red.length)@\(red.offset) G\(green.length)@\(green.offset) B\(blue.length)@\(blue.offset))" }
}
