/// One picture in I420 (planar Y, then U and V at half resolution), the format every camera source
/// delivers and the VP8 encoder takes. Planes are packed without padding so the buffer can be handed to
/// libvpx as it is.
public struct VideoFrame: Sendable {
    public let width: Int
    public let height: Int
    /// Y plane (width x height), then U and V ((width+1)/2 x (height+1)/2 each).
    public var bytes: [UInt8]
    /// When the frame was captured, in nanoseconds of the monotonic clock.
    public var captureTimeNanos: UInt64
    /// The source's count of frames it has delivered, starting at 0.
    public var sequence: Int

    public init(width: Int, height: Int, bytes: [UInt8], captureTimeNanos: UInt64, sequence: Int) {
        precondition(bytes.count == VideoFrame.byteCount(width: width, height: height), "I420 buffer size")
        self.width = width
        self.height = height
        self.bytes = bytes
        self.captureTimeNanos = captureTimeNanos
        self.sequence = sequence
    }

    public var chromaWidth: Int { (width + 1) / 2 }
    public var chromaHeight: Int { (height + 1) / 2 }
    public var lumaCount: Int { width * height }
    public var chromaCount: Int { chromaWidth * chromaHeight }

    public static func byteCount(width: Int, height: Int) -> Int {
        width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2)
    }
}

/// A frame size, parsed from and printed as `WIDTHxHEIGHT`.
public struct FrameSize: Sendable, Hashable, CustomStringConvertible, Codable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }

    public init?(parsing text: String) {
        let parts = text.split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]),
              (16...7680).contains(w), (16...4320).contains(h), w % 2 == 0, h % 2 == 0 else { return nil }
        self.init(width: w, height: h)
    }

    public var description: String { "\(width)x\(height)" }
}
