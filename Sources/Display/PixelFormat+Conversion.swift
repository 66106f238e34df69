import CYUV

extension PixelFormat {
    /// Bytes one pixel takes in memory.
    public var bytesPerPixel: Int { (bitsPerPixel + 7) / 8 }

    /// Whether the framebuffer can take cairo's rows as they are (32 bpp, red at 16, green at 8, blue at 0).
    public var isXRGB8888: Bool {
        bitsPerPixel == 32 && red == PixelFormat.xrgb8888.red && green == PixelFormat.xrgb8888.green
            && blue == PixelFormat.xrgb8888.blue
    }

    /// Converts one row of xrgb8888 pixels (cairo's format) into this format, little-endian, each
    /// channel cut to its length and shifted to its offset. Writes `min(source.count, destination
    /// bytes / bytesPerPixel)` pixels; a destination too short for the row is filled as far as it goes.
    public func convertRow(_ source: UnsafeBufferPointer<UInt32>, into destination: UnsafeMutableRawBufferPointer) {
        let bytes = bytesPerPixel
        let count = min(source.count, destination.count / max(1, bytes))
        guard count > 0, let base = destination.baseAddress else { return }
        if isXRGB8888 {
            base.copyMemory(from: source.baseAddress!, byteCount: count * 4)
            return
        }
        // The common layouts go through libyuv's SIMD row converters; others take the general loop.
        let sourceBytes = UnsafeRawPointer(source.baseAddress!).assumingMemoryBound(to: UInt8.self)
        let destinationBytes = base.assumingMemoryBound(to: UInt8.self)
        let width = Int32(count)
        switch self {
        case .rgb565: ARGBToRGB565(sourceBytes, 0, destinationBytes, 0, width, 1); return
        case .rgb888: ARGBToRGB24(sourceBytes, 0, destinationBytes, 0, width, 1); return
        case .bgr888: ARGBToRAW(sourceBytes, 0, destinationBytes, 0, width, 1); return
        case .xbgr8888: ARGBToABGR(sourceBytes, 0, destinationBytes, 0, width, 1); return
        default: break
        }
        // Precomputed per channel: keep the top `length` bits of the 8-bit value, move them to `offset`.
        let redShift = 8 - min(8, red.length), greenShift = 8 - min(8, green.length), blueShift = 8 - min(8, blue.length)
        let redOffset = red.offset, greenOffset = green.offset, blueOffset = blue.offset
        for index in 0..<count {
            let pixel = source[index]
            let r = (pixel >> 16) & 0xFF, g = (pixel >> 8) & 0xFF, b = pixel & 0xFF
            let value = (r >> redShift) << redOffset | (g >> greenShift) << greenOffset | (b >> blueShift) << blueOffset
            let out = base + index * bytes
            switch bytes {
            case 2:
                out.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, as: UInt16.self)
            case 3:
                out.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
                out.storeBytes(of: UInt8(truncatingIfNeeded: value >> 8), toByteOffset: 1, as: UInt8.self)
                out.storeBytes(of: UInt8(truncatingIfNeeded: value >> 16), toByteOffset: 2, as: UInt8.self)
            default:
                out.storeBytes(of: value.littleEndian, as: UInt32.self)
            }
        }
    }
}
