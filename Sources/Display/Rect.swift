/// A rectangle in surface pixels (doubles, as cairo measures; video and QR placement round to whole
/// pixels themselves).
public struct Rect: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// Shrunk by `amount` on every side.
    public func inset(by amount: Double) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// The largest rectangle of the aspect ratio `width`:`height` centred in this one (letterbox).
    public func fitting(aspectWidth: Double, aspectHeight: Double) -> Rect {
        guard aspectWidth > 0, aspectHeight > 0, !isEmpty else { return Rect(x: midX, y: midY, width: 0, height: 0) }
        let scale = min(width / aspectWidth, height / aspectHeight)
        let w = aspectWidth * scale, h = aspectHeight * scale
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }

    /// Splits off a slice of `amount` from the top, returning (slice, rest) with `gap` between them.
    public func splitTop(_ amount: Double, gap: Double = 0) -> (Rect, Rect) {
        (Rect(x: x, y: y, width: width, height: min(amount, height)),
         Rect(x: x, y: y + amount + gap, width: width, height: height - amount - gap))
    }

    public func splitBottom(_ amount: Double, gap: Double = 0) -> (Rect, Rect) {
        (Rect(x: x, y: maxY - amount, width: width, height: min(amount, height)),
         Rect(x: x, y: y, width: width, height: height - amount - gap))
    }

    public func splitLeft(_ amount: Double, gap: Double = 0) -> (Rect, Rect) {
        (Rect(x: x, y: y, width: min(amount, width), height: height),
         Rect(x: x + amount + gap, y: y, width: width - amount - gap, height: height))
    }

    public func splitRight(_ amount: Double, gap: Double = 0) -> (Rect, Rect) {
        (Rect(x: maxX - amount, y: y, width: min(amount, width), height: height),
         Rect(x: x, y: y, width: width - amount - gap, height: height))
    }

    public func intersects(_ other: Rect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }

    public var description: String { "(\(x), \(y)) \(width)×\(height)" }
}
