/// The Linux framebuffer's ioctl numbers and screen-info structures (linux/fb.h), declared here rather
/// than in a C shim. The structures are kept as raw bytes with the kernel's field offsets, so their
/// layout does not depend on how Swift lays out a struct.
enum FramebufferIoctl {
    static let getVariableScreenInfo: UInt = 0x4600  // FBIOGET_VSCREENINFO
    static let putVariableScreenInfo: UInt = 0x4601  // FBIOPUT_VSCREENINFO
    static let getFixedScreenInfo: UInt = 0x4602     // FBIOGET_FSCREENINFO
    static let panDisplay: UInt = 0x4606             // FBIOPAN_DISPLAY
}

/// struct fb_var_screeninfo: forty 32-bit fields, 160 bytes on every architecture.
struct FramebufferVariableScreenInfo {
    static let byteCount = 160
    var words = [UInt32](repeating: 0, count: 40)

    // Field indices in the kernel's order.
    var xres: Int { Int(words[0]) }
    var yres: Int { Int(words[1]) }
    var xresVirtual: Int { Int(words[2]) }
    var yresVirtual: Int { get { Int(words[3]) } set { words[3] = UInt32(newValue) } }
    var xoffset: Int { get { Int(words[4]) } set { words[4] = UInt32(newValue) } }
    var yoffset: Int { get { Int(words[5]) } set { words[5] = UInt32(newValue) } }
    var bitsPerPixel: Int { Int(words[6]) }
    // red, green, blue, transp: (offset, length, msb_right) each, from word 8.
    var red: PixelFormat.Channel { .init(offset: Int(words[8]), length: Int(words[9])) }
    var green: PixelFormat.Channel { .init(offset: Int(words[11]), length: Int(words[12])) }
    var blue: PixelFormat.Channel { .init(offset: Int(words[14]), length: Int(words[15])) }
    var activate: UInt32 { get { words[21] } set { words[21] = newValue } }

    var pixelFormat: PixelFormat { PixelFormat(bitsPerPixel: bitsPerPixel, red: red, green: green, blue: blue) }
}

/// struct fb_fix_screeninfo: its `unsigned long` fields make the offsets depend on the word size.
struct FramebufferFixedScreenInfo {
    static let byteCount = MemoryLayout<UInt>.size == 8 ? 80 : 68
    var bytes = [UInt8](repeating: 0, count: byteCount)

    private func u32(at offset: Int) -> Int {
        bytes.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    private static let long = MemoryLayout<UInt>.size
    /// char id[16], unsigned long smem_start, __u32 smem_len, type, type_aux, visual, __u16 xpanstep,
    /// ypanstep, ywrapstep, (padding), __u32 line_length.
    var memoryLength: Int { u32(at: 16 + Self.long) }
    var yPanStep: Int { bytes.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: 16 + Self.long + 18, as: UInt16.self)) } }
    var lineLength: Int { u32(at: 16 + Self.long + 24) }
    var identifier: String {
        String(decoding: bytes[0..<16].prefix { $0 != 0 }, as: UTF8.self)
    }
}
