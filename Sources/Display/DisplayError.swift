#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What can go wrong with the screen. Device errors name the device and the system's reason, so a
/// technician reading the log knows which device and why.
public enum DisplayError: Error, Equatable, CustomStringConvertible {
    /// The device could not be opened (missing, no permission, …).
    case cannotOpenDevice(path: String, reason: String)
    /// The device opened but answered FBIOGET_VSCREENINFO/FSCREENINFO with an error: not a framebuffer.
    case notAFramebuffer(path: String, reason: String)
    /// The framebuffer uses a pixel depth this renderer does not write.
    case unsupportedDepth(path: String, bitsPerPixel: Int)
    /// The framebuffer memory could not be mapped.
    case cannotMapMemory(path: String, reason: String)
    /// A surface or frame size that cannot be drawn (zero, negative, absurdly large).
    case invalidSize(width: Int, height: Int)
    /// An I420 frame whose byte count does not match its size.
    case frameSizeMismatch(width: Int, height: Int, expected: Int, actual: Int)
    /// A PNG could not be written.
    case cannotWritePNG(path: String, reason: String)
    /// libqrencode could not encode the text (too long for a QR code, or out of memory).
    case cannotEncodeQRCode(length: Int, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpenDevice(path, reason): "cannot open \(path): \(reason)"
        case let .notAFramebuffer(path, reason): "\(path) is not a framebuffer: \(reason)"
        case let .unsupportedDepth(path, bpp): "\(path) uses \(bpp) bits per pixel; supported are 16, 24 and 32"
        case let .cannotMapMemory(path, reason): "cannot map the memory of \(path): \(reason)"
        case let .invalidSize(width, height): "invalid size \(width)×\(height)"
        case let .frameSizeMismatch(width, height, expected, actual):
            "an I420 frame of \(width)×\(height) needs \(expected) bytes, got \(actual)"
        case let .cannotWritePNG(path, reason): "cannot write PNG \(path): \(reason)"
        case let .cannotEncodeQRCode(length, reason): "cannot encode \(length) bytes as a QR code: \(reason)"
        }
    }

    /// The text of the current `errno` (strerror), for the error's reason.
    static func errnoText(_ code: Int32 = errno) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
