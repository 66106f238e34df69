/// A planar YUV 4:2:0 picture (what the VP8 decoder gives): the Y plane (width×height), then U and V
/// ((width+1)/2 × (height+1)/2 each), packed with no row padding.
public struct I420Image: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public let bytes: [UInt8]

    /// Checks that the byte count matches the size; a wrong frame throws rather than reading out of bounds.
    public init(width: Int, height: Int, bytes: [UInt8]) throws {
        guard width > 0, height > 0, width <= Surface.maximumSide, height <= Surface.maximumSide else {
            throw DisplayError.invalidSize(width: width, height: height)
        }
        let expected = Self.byteCount(width: width, height: height)
        guard bytes.count == expected else {
            throw DisplayError.frameSizeMismatch(width: width, height: height, expected: expected, actual: bytes.count)
        }
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    public var chromaWidth: Int { (width + 1) / 2 }
    public var chromaHeight: Int { (height + 1) / 2 }

    /// Bytes an I420 picture of this size takes.
    public static func byteCount(width: Int, height: Int) -> Int {
        width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2)
    }

    var uOffset: Int { width * height }
    var vOffset: Int { width * height + chromaWidth * chromaHeight }
}
