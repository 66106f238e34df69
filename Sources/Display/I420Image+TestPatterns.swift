/// Deterministic synthetic pictures: the golden screens, the benchmark and the virtual board show them
/// where a real decoded frame would be.
extension I420Image {
    /// SMPTE-like colour bars over a grey ramp: easy to recognise, and colours land at known places.
    public static func colourBars(width: Int, height: Int) -> I420Image {
        // BT.601 limited-range Y, U, V of white, yellow, cyan, green, magenta, red, blue.
        let bars: [(UInt8, UInt8, UInt8)] = [(235, 128, 128), (210, 16, 146), (170, 166, 16), (145, 54, 34),
                                             (106, 202, 222), (81, 90, 240), (41, 240, 110)]
        return pattern(width: width, height: height) { x, y in
            if y * 4 < height * 3 { return bars[min(bars.count - 1, x * bars.count / width)] }
            return (UInt8(16 + (219 * x) / max(1, width - 1)), 128, 128)
        }
    }

    /// A "slide" as an agent shares it: a light page with a title bar and a few coloured blocks.
    public static func slide(width: Int, height: Int) -> I420Image {
        pattern(width: width, height: height) { x, y in
            let fx = Double(x) / Double(width), fy = Double(y) / Double(height)
            if fy < 0.16 { return (64, 170, 110) }                                  // blue title bar
            if fy > 0.28, fy < 0.36, fx > 0.08, fx < 0.7 { return (110, 128, 128) } // a line of "text"
            if fy > 0.44, fy < 0.52, fx > 0.08, fx < 0.55 { return (110, 128, 128) }
            if fy > 0.62, fy < 0.88, fx > 0.08, fx < 0.30 { return (145, 54, 34) }  // green chart bar
            if fy > 0.50, fy < 0.88, fx > 0.36, fx < 0.58 { return (81, 90, 240) }  // red chart bar
            if fy > 0.70, fy < 0.88, fx > 0.64, fx < 0.86 { return (170, 166, 16) } // cyan chart bar
            return (228, 128, 128)                                                  // near-white page
        }
    }

    /// A stand-in for the kiosk's own camera: a warm background with a head-and-shoulders silhouette.
    public static func portrait(width: Int, height: Int) -> I420Image {
        pattern(width: width, height: height) { x, y in
            let fx = Double(x) / Double(width) - 0.5, fy = Double(y) / Double(height)
            let head = (fx * fx) / 0.018 + ((fy - 0.4) * (fy - 0.4)) / 0.045 < 1
            let shoulders = fy > 0.72 && (fx * fx) / 0.12 + ((fy - 1.05) * (fy - 1.05)) / 0.12 < 1
            if head { return (150, 110, 160) }
            if shoulders { return (70, 150, 110) }
            return (120, 100, 140)
        }
    }

    /// Builds a picture from a function giving (Y, U, V) per pixel; chroma is sampled at the top-left
    /// pixel of each 2×2 block.
    static func pattern(width: Int, height: Int, _ yuv: (Int, Int) -> (UInt8, UInt8, UInt8)) -> I420Image {
        let width = max(1, width), height = max(1, height)
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        var bytes = [UInt8](repeating: 0, count: byteCount(width: width, height: height))
        let uBase = width * height, vBase = uBase + chromaWidth * chromaHeight
        for y in 0..<height {
            for x in 0..<width {
                let (luma, u, v) = yuv(x, y)
                bytes[y * width + x] = luma
                if x % 2 == 0, y % 2 == 0 {
                    bytes[uBase + (y / 2) * chromaWidth + x / 2] = u
                    bytes[vBase + (y / 2) * chromaWidth + x / 2] = v
                }
            }
        }
        // The size is valid and the count matches by construction.
        return try! I420Image(width: width, height: height, bytes: bytes)
    }
}
