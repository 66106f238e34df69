import CYUV

/// Draws I420 frames into a surface, scaled with the aspect ratio kept (letterbox), through libyuv:
/// I420Scale to the target size, then I420ToARGB straight into the surface's memory (B, G, R, A bytes
/// on little-endian are cairo's xrgb8888). Keeps its scratch planes between frames.
public final class VideoScaler {
    private var scratch: [UInt8] = []
    /// Box filtering looks best when shrinking 720p into a smaller window and stays within budget
    /// (DisplayBenchmark).
    private let filter: FilterMode = kFilterBox

    public init() {}

    /// How a picture of another shape fills its rectangle.
    public enum Fit: Sendable, Hashable {
        /// All of the picture, bars around it (the agent, shared content: nothing may be cut off).
        case letterbox
        /// The whole rectangle, the picture's edges cut (small pictures such as the self-view).
        case crop
    }

    /// Draws `image` into `rect` (clamped to the surface): letterboxed with bars of `background`, or
    /// cropped to fill. Returns the pixel rectangle the picture took.
    @discardableResult
    public func draw(_ image: I420Image, into surface: Surface, fitting rect: Rect,
                     background: Colour = .black, fit: Fit = .letterbox) -> Rect {
        let area = Self.pixelAligned(rect, in: surface)
        guard area.width > 0, area.height > 0 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let areaRect = Rect(x: Double(area.x), y: Double(area.y), width: Double(area.width), height: Double(area.height))
        var source = (x: 0, y: 0, width: image.width, height: image.height)
        let picture: (x: Int, y: Int, width: Int, height: Int)
        switch fit {
        case .letterbox:
            let fitted = areaRect.fitting(aspectWidth: Double(image.width), aspectHeight: Double(image.height))
            picture = (x: Int(fitted.x.rounded()), y: Int(fitted.y.rounded()),
                       width: max(1, min(Int(fitted.width.rounded()), area.width)),
                       height: max(1, min(Int(fitted.height.rounded()), area.height)))
        case .crop:
            picture = area
            // The middle of the picture with the area's shape; even offsets keep chroma aligned.
            let scale = max(Double(area.width) / Double(image.width), Double(area.height) / Double(image.height))
            let width = max(1, min(image.width, Int((Double(area.width) / scale).rounded())))
            let height = max(1, min(image.height, Int((Double(area.height) / scale).rounded())))
            source = (x: ((image.width - width) / 2) & ~1, y: ((image.height - height) / 2) & ~1, width: width, height: height)
        }
        let pictureRect = Rect(x: Double(picture.x), y: Double(picture.y), width: Double(picture.width), height: Double(picture.height))
        fillBars(around: pictureRect, in: areaRect, surface: surface, colour: background)

        surface.withMutablePixels(dirty: picture) { pixels, stride in
            let destination = pixels.advanced(by: picture.y * stride + picture.x * 4).assumingMemoryBound(to: UInt8.self)
            image.bytes.withUnsafeBufferPointer { bytes in
                let base = bytes.baseAddress!
                let y = base + source.y * image.width + source.x
                let u = base + image.uOffset + (source.y / 2) * image.chromaWidth + source.x / 2
                let v = base + image.vOffset + (source.y / 2) * image.chromaWidth + source.x / 2
                if picture.width == source.width, picture.height == source.height {
                    I420ToARGB(y, Int32(image.width), u, Int32(image.chromaWidth), v, Int32(image.chromaWidth),
                               destination, Int32(stride), Int32(picture.width), Int32(picture.height))
                    return
                }
                let chromaWidth = (picture.width + 1) / 2, chromaHeight = (picture.height + 1) / 2
                let needed = picture.width * picture.height + 2 * chromaWidth * chromaHeight
                if scratch.count < needed { scratch = [UInt8](repeating: 0, count: needed) }
                scratch.withUnsafeMutableBufferPointer { planes in
                    let sy = planes.baseAddress!, su = sy + picture.width * picture.height, sv = su + chromaWidth * chromaHeight
                    I420Scale(y, Int32(image.width), u, Int32(image.chromaWidth), v, Int32(image.chromaWidth),
                              Int32(source.width), Int32(source.height),
                              sy, Int32(picture.width), su, Int32(chromaWidth), sv, Int32(chromaWidth),
                              Int32(picture.width), Int32(picture.height), filter)
                    I420ToARGB(sy, Int32(picture.width), su, Int32(chromaWidth), sv, Int32(chromaWidth),
                               destination, Int32(stride), Int32(picture.width), Int32(picture.height))
                }
            }
        }
        return pictureRect
    }

    /// `rect` rounded to whole pixels and clipped to the surface.
    static func pixelAligned(_ rect: Rect, in surface: Surface) -> (x: Int, y: Int, width: Int, height: Int) {
        guard rect.x.isFinite, rect.y.isFinite, rect.maxX.isFinite, rect.maxY.isFinite else { return (0, 0, 0, 0) }
        let x0 = max(0, min(surface.width, Int(rect.x.rounded()))), y0 = max(0, min(surface.height, Int(rect.y.rounded())))
        let x1 = max(x0, min(surface.width, Int(rect.maxX.rounded()))), y1 = max(y0, min(surface.height, Int(rect.maxY.rounded())))
        return (x0, y0, x1 - x0, y1 - y0)
    }

    private func fillBars(around picture: Rect, in area: Rect, surface: Surface, colour: Colour) {
        surface.fill(Rect(x: area.x, y: area.y, width: area.width, height: picture.y - area.y), colour)
        surface.fill(Rect(x: area.x, y: picture.maxY, width: area.width, height: area.maxY - picture.maxY), colour)
        surface.fill(Rect(x: area.x, y: picture.y, width: picture.x - area.x, height: picture.height), colour)
        surface.fill(Rect(x: picture.maxX, y: picture.y, width: area.maxX - picture.maxX, height: picture.height), colour)
    }
}
