/// A camera for machines without one: a scrolling colour pattern, a bouncing box and the frame number in
/// seven-segment digits, so a receiver can tell frames apart and a test can compare what it decoded with
/// `frame(number:)`. Frames are built by copying rows out of a pattern twice the frame's width, which keeps
/// generation far below the encoder's cost even at 720p.
public final class SyntheticCamera: VideoSource, @unchecked Sendable {
    public let size: FrameSize
    public let framesPerSecond: Int
    public var name: String { "synthetic" }

    // The background is separable, so only one row of each is kept: luma is a triangle wave across the
    // width (seamless where it repeats) plus a ramp down the height; chroma is eight colour bars. Frames
    // copy each row in two pieces around the scroll position.
    private let lumaRow: [UInt8]
    private let lumaRamp: [UInt8]
    private let uRow: [UInt8]
    private let vRow: [UInt8]
    /// The last frame's storage, written in place when the previous frame has been let go (the pipeline
    /// encodes a frame before asking for the next), so a live source allocates nothing per frame.
    private var buffer: [UInt8] = []
    private var delivered = 0
    private var startNanos: UInt64?
    /// Whether nextFrame waits for the frame's time (a live source) or returns at once (benchmarks).
    private let paced: Bool

    public init(size: FrameSize, framesPerSecond: Int, paced: Bool = true) {
        self.size = size
        self.framesPerSecond = max(1, framesPerSecond)
        self.paced = paced
        let w = size.width, h = size.height, cw = (w + 1) / 2
        lumaRow = (0..<w).map { x in
            let phase = Double(x) / Double(w)
            return UInt8(40.0 + 150.0 * (phase < 0.5 ? phase * 2 : (1 - phase) * 2))
        }
        lumaRamp = (0..<h).map { y in UInt8(40 * y / h) }  // at most 190 + 40: no overflow, stays below 235
        let bars: [(UInt8, UInt8)] = [(128, 128), (44, 142), (156, 44), (72, 58), (184, 198), (100, 212), (212, 114), (128, 128)]
        uRow = (0..<cw).map { x in bars[(x * bars.count) / cw].0 }
        vRow = (0..<cw).map { x in bars[(x * bars.count) / cw].1 }
    }

    public func nextFrame(timeoutMillis: Int) throws(CaptureError) -> VideoFrame? {
        let now = MonotonicClock.nowNanos()
        let start = startNanos ?? now
        startNanos = start
        let due = start + UInt64(delivered) * 1_000_000_000 / UInt64(framesPerSecond)
        if paced && due > now {
            if due - now > UInt64(timeoutMillis) * 1_000_000 { return nil }
            MonotonicClock.sleep(until: due)
        }
        let count = VideoFrame.byteCount(width: size.width, height: size.height)
        if buffer.count != count { buffer = [UInt8](repeating: 0, count: count) }
        render(number: delivered, into: &buffer)
        let frame = VideoFrame(width: size.width, height: size.height, bytes: buffer,
                               captureTimeNanos: paced ? max(due, now) : MonotonicClock.nowNanos(), sequence: delivered)
        delivered += 1
        return frame
    }

    public func close() {}

    /// The picture for frame `number`, the same every time it is asked for.
    public func frame(number: Int) -> VideoFrame {
        var bytes = [UInt8](repeating: 0, count: VideoFrame.byteCount(width: size.width, height: size.height))
        render(number: number, into: &bytes)
        return VideoFrame(width: size.width, height: size.height, bytes: bytes, captureTimeNanos: 0, sequence: number)
    }

    /// Draws frame `number` over every byte of `bytes` (an I420 buffer of this camera's size).
    private func render(number: Int, into bytes: inout [UInt8]) {
        let w = size.width, h = size.height, cw = (w + 1) / 2, ch = (h + 1) / 2
        let shift = (number * 4) % w, chromaShift = min(cw - 1, shift / 2)
        bytes.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            lumaRow.withUnsafeBufferPointer { row in
                let src = row.baseAddress!
                for y in 0..<h {
                    let dst = base + y * w, ramp = lumaRamp[y]
                    // The ramp steps only every few rows: a row like the one above is a plain copy.
                    if y > 0 && lumaRamp[y - 1] == ramp {
                        dst.update(from: dst - w, count: w)
                        continue
                    }
                    for x in 0..<(w - shift) { dst[x] = src[x + shift] &+ ramp }
                    for x in 0..<shift { dst[w - shift + x] = src[x] &+ ramp }
                }
            }
            func copyChroma(_ row: [UInt8], to plane: UnsafeMutablePointer<UInt8>) {
                row.withUnsafeBufferPointer { src in
                    for y in 0..<ch {
                        let dst = plane + y * cw
                        dst.update(from: src.baseAddress! + chromaShift, count: cw - chromaShift)
                        (dst + cw - chromaShift).update(from: src.baseAddress!, count: chromaShift)
                    }
                }
            }
            copyChroma(uRow, to: base + w * h)
            copyChroma(vRow, to: base + w * h + cw * ch)
        }
        let painter = I420Painter(width: w, height: h)
        // A box bouncing across the picture.
        let box = max(8, h / 6) & ~1
        let travelX = max(1, w - box), travelY = max(1, h - box)
        let bx = bounce(number * 7, travelX) & ~1, by = bounce(number * 5, travelY) & ~1
        painter.fill(&bytes, x: bx, y: by, width: box, height: box, y: 235, u: 128, v: 128)
        // The frame number, six seven-segment digits on a dark panel, top left.
        painter.drawCounter(&bytes, number: number, x: 8, y: 8, digitHeight: max(16, h / 8) & ~1)
    }

    private func bounce(_ t: Int, _ range: Int) -> Int {
        let p = t % (2 * range)
        return p < range ? p : 2 * range - p
    }
}

/// Draws solid rectangles and seven-segment digits straight into an I420 buffer.
struct I420Painter {
    let width: Int
    let height: Int

    func fill(_ bytes: inout [UInt8], x: Int, y: Int, width rw: Int, height rh: Int, y luma: UInt8, u: UInt8, v: UInt8) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + rw), y1 = min(height, y + rh)
        guard x0 < x1, y0 < y1 else { return }
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        bytes.withUnsafeMutableBufferPointer { out in
            for row in y0..<y1 {
                (out.baseAddress! + row * width + x0).update(repeating: luma, count: x1 - x0)
            }
            let uBase = width * height, vBase = uBase + cw * ch
            for row in (y0 / 2)..<((y1 + 1) / 2) {
                let cx0 = x0 / 2, cx1 = (x1 + 1) / 2
                (out.baseAddress! + uBase + row * cw + cx0).update(repeating: u, count: cx1 - cx0)
                (out.baseAddress! + vBase + row * cw + cx0).update(repeating: v, count: cx1 - cx0)
            }
        }
    }

    // Segments a-g of each digit, as bits 0...6.
    private static let segments: [UInt8] = [0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F]

    func drawCounter(_ bytes: inout [UInt8], number: Int, x: Int, y: Int, digitHeight dh: Int) {
        let digits = 6, dw = dh / 2, t = max(2, dh / 8) & ~1, gap = t * 2
        let panelW = digits * (dw + gap) + gap, panelH = dh + 2 * gap
        fill(&bytes, x: x, y: y, width: panelW, height: panelH, y: 16, u: 128, v: 128)
        var n = max(0, number) % 1_000_000
        for i in (0..<digits).reversed() {
            let mask = Self.segments[n % 10]
            n /= 10
            let dx = x + gap + i * (dw + gap), dy = y + gap, half = dh / 2
            let bars: [(Int, Int, Int, Int)] = [
                (dx, dy, dw, t), (dx + dw - t, dy, t, half), (dx + dw - t, dy + half, t, half),
                (dx, dy + dh - t, dw, t), (dx, dy + half, t, half), (dx, dy, t, half), (dx, dy + half - t / 2, dw, t),
            ]
            for (bit, bar) in bars.enumerated() where mask & (1 << bit) != 0 {
                fill(&bytes, x: bar.0, y: bar.1, width: bar.2, height: bar.3, y: 235, u: 128, v: 128)
            }
        }
    }
}
