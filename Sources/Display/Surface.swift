import CCairo

/// A drawing canvas: a cairo image surface in CAIRO_FORMAT_RGB24 (xrgb8888, 32 bits per pixel, blue
/// in the lowest byte on little-endian) with its cairo context. Screens draw into it; a `Display`
/// presents it. Not thread-safe: one owner draws and presents.
public final class Surface {
    public let width: Int
    public let height: Int
    /// The cairo surface and context, for drawing code in this module.
    let cairoSurface: OpaquePointer
    let context: OpaquePointer

    /// cairo's own limit on an image surface's side.
    public static let maximumSide = 32767

    /// A screen-format (xrgb8888) surface, black.
    public convenience init(width: Int, height: Int) throws {
        try self.init(width: width, height: height, format: CAIRO_FORMAT_RGB24)
    }

    /// `CAIRO_FORMAT_ARGB32` surfaces carry transparency; the renderer keeps overlays in them.
    init(width: Int, height: Int, format: cairo_format_t) throws {
        guard (1...Self.maximumSide).contains(width), (1...Self.maximumSide).contains(height) else {
            throw DisplayError.invalidSize(width: width, height: height)
        }
        guard let surface = cairo_image_surface_create(format, Int32(width), Int32(height)),
              cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw DisplayError.invalidSize(width: width, height: height)
        }
        guard let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw DisplayError.invalidSize(width: width, height: height)
        }
        self.width = width
        self.height = height
        self.cairoSurface = surface
        self.context = context
    }

    /// A screen-format surface holding `pixels` (row-major 0x00RRGGBB, width×height of them): for
    /// pictures made elsewhere, such as a comparison's difference image.
    public convenience init(width: Int, height: Int, pixels: [UInt32]) throws {
        try self.init(width: width, height: height)
        guard pixels.count == width * height else {
            throw DisplayError.frameSizeMismatch(width: width, height: height, expected: width * height * 4, actual: pixels.count * 4)
        }
        withMutablePixels(dirty: (0, 0, width, height)) { data, stride in
            pixels.withUnsafeBytes { source in
                for row in 0..<height {
                    (data + row * stride).copyMemory(from: source.baseAddress! + row * width * 4, byteCount: width * 4)
                }
            }
        }
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(cairoSurface)
    }

    /// Bytes from one row to the next (cairo may pad rows).
    public var stride: Int { Int(cairo_image_surface_get_stride(cairoSurface)) }

    public var size: ScreenSize { ScreenSize(width: width, height: height) }

    /// The whole surface as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: Double(width), height: Double(height)) }

    /// Reads the pixels (xrgb8888 rows, `stride` bytes apart) after cairo has finished drawing.
    public func withPixels<Result>(_ body: (UnsafeRawBufferPointer, _ stride: Int) throws -> Result) rethrows -> Result {
        cairo_surface_flush(cairoSurface)
        let data = cairo_image_surface_get_data(cairoSurface)!
        return try body(UnsafeRawBufferPointer(start: data, count: stride * height), stride)
    }

    /// Writes pixels directly (video frames): cairo is flushed before and told afterwards which
    /// region changed, so its caches stay right.
    func withMutablePixels<Result>(dirty region: (x: Int, y: Int, width: Int, height: Int),
                                   _ body: (UnsafeMutableRawPointer, _ stride: Int) throws -> Result) rethrows -> Result {
        cairo_surface_flush(cairoSurface)
        let data = cairo_image_surface_get_data(cairoSurface)!
        defer {
            cairo_surface_mark_dirty_rectangle(cairoSurface, Int32(region.x), Int32(region.y),
                                               Int32(region.width), Int32(region.height))
        }
        return try body(UnsafeMutableRawPointer(data), stride)
    }

    /// The pixel at (x, y) as 0x00RRGGBB; for tests and checks.
    public func pixel(x: Int, y: Int) -> UInt32 {
        precondition((0..<width).contains(x) && (0..<height).contains(y), "pixel (\(x), \(y)) outside \(width)×\(height)")
        return withPixels { bytes, stride in
            bytes.load(fromByteOffset: y * stride + x * 4, as: UInt32.self) & 0x00FF_FFFF
        }
    }

    /// Writes the surface as a PNG file.
    public func writePNG(to path: String) throws {
        cairo_surface_flush(cairoSurface)
        let status = cairo_surface_write_to_png(cairoSurface, path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw DisplayError.cannotWritePNG(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
    }

    /// Reads a PNG into a new screen-format surface (for golden comparisons and the lead's screendumps).
    public static func readPNG(from path: String) throws -> Surface {
        guard let png = cairo_image_surface_create_from_png(path) else {
            throw DisplayError.cannotWritePNG(path: path, reason: "out of memory")
        }
        defer { cairo_surface_destroy(png) }
        let status = cairo_surface_status(png)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw DisplayError.cannotWritePNG(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
        let surface = try Surface(width: Int(cairo_image_surface_get_width(png)), height: Int(cairo_image_surface_get_height(png)))
        cairo_save(surface.context)
        cairo_set_source_surface(surface.context, png, 0, 0)
        cairo_set_operator(surface.context, CAIRO_OPERATOR_SOURCE)
        cairo_paint(surface.context)
        cairo_restore(surface.context)
        return surface
    }
}

/// A screen's size in pixels.
public struct ScreenSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
    public var isPortrait: Bool { height > width }
    public var description: String { "\(width)x\(height)" }
}
