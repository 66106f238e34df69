import Display
import Testing

/// The framebuffer's row conversion: xrgb8888 in, the device's layout out, bit-exact.
struct PixelConversionTests {
    // Pure red, green, blue, white, and a mid colour whose low bits show the truncation.
    static let row: [UInt32] = [0x00FF_0000, 0x0000_FF00, 0x0000_00FF, 0x00FF_FFFF, 0x0012_3456]

    func convert(_ format: PixelFormat, padding: Int = 0) -> [UInt8] {
        var output = [UInt8](repeating: 0xEE, count: Self.row.count * format.bytesPerPixel + padding)
        Self.row.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBytes { format.convertRow(source, into: $0) }
        }
        return output
    }

    @Test func rgb565PacksFiveSixFiveBitsLittleEndian() {
        let words = stride(from: 0, to: 10, by: 2).map { index in
            let bytes = convert(.rgb565)
            return UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
        }
        // 0x123456 → r 0x12>>3 = 2, g 0x34>>2 = 13, b 0x56>>3 = 10.
        #expect(words == [0xF800, 0x07E0, 0x001F, 0xFFFF, 2 << 11 | 13 << 5 | 10])
    }

    @Test func rgb888WritesThreeBytesBlueFirst() {
        #expect(convert(.rgb888) == [0, 0, 0xFF, 0, 0xFF, 0, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0x56, 0x34, 0x12])
    }

    @Test func xrgb8888IsCopiedAsIs() {
        let bytes = convert(.xrgb8888)
        #expect(Array(bytes[16..<20]) == [0x56, 0x34, 0x12, 0x00])
    }

    @Test func thirtyTwoBitsWithRedAndBlueSwappedHonoursTheOffsets() {
        let xbgr = PixelFormat(bitsPerPixel: 32, red: .init(offset: 0, length: 8), green: .init(offset: 8, length: 8),
                               blue: .init(offset: 16, length: 8))
        let bytes = convert(xbgr)
        #expect(Array(bytes[0..<4]) == [0xFF, 0, 0, 0])        // red in the lowest byte
        #expect(Array(bytes[16..<20]) == [0x12, 0x34, 0x56, 0])
    }

    @Test func twentyFourBitsRedFirstHonoursTheOffsets() {
        #expect(convert(.bgr888) == [0xFF, 0, 0, 0, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x12, 0x34, 0x56])
    }

    /// A layout libyuv has no converter for (RGB555) takes the general loop.
    @Test func otherLayoutsAreConvertedByTheirBitfields() {
        let rgb555 = PixelFormat(bitsPerPixel: 16, red: .init(offset: 10, length: 5), green: .init(offset: 5, length: 5),
                                 blue: .init(offset: 0, length: 5))
        let bytes = convert(rgb555)
        let words = stride(from: 0, to: 10, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
        #expect(words == [0x7C00, 0x03E0, 0x001F, 0x7FFF, 2 << 10 | 6 << 5 | 10])
    }

    @Test func aShortDestinationIsFilledAsFarAsItGoesAndNoFurther() {
        var output = [UInt8](repeating: 0xEE, count: 5)  // room for two RGB565 pixels and a stray byte
        Self.row.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBytes { PixelFormat.rgb565.convertRow(source, into: $0) }
        }
        #expect(output == [0x00, 0xF8, 0xE0, 0x07, 0xEE])
    }
}
