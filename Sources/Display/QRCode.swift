import CQREncode
import CCairo
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A QR code for a link or document the agent sent: the module matrix from libqrencode (8-bit mode,
/// error correction level M, so a scuffed or reflective screen still scans).
public struct QRCode: Sendable, Hashable {
    /// The text encoded.
    public let text: String
    /// Modules per side.
    public let size: Int
    /// Row-major, true for a dark module.
    public let modules: [Bool]

    /// The quiet zone the QR standard asks for around the symbol, in modules.
    public static let quietZone = 4

    public init(_ text: String) throws {
        let length = text.utf8.count
        guard length > 0 else { throw DisplayError.cannotEncodeQRCode(length: 0, reason: "nothing to encode") }
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            // libqrencode sets ERANGE when the data does not fit even the largest symbol.
            let reason = errno == ERANGE ? "too long for a QR code" : DisplayError.errnoText()
            throw DisplayError.cannotEncodeQRCode(length: length, reason: reason)
        }
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        let data = code.pointee.data!
        self.text = text
        self.size = size
        // Bit 0 of each byte is the module's colour; the other bits describe its role.
        self.modules = (0..<size * size).map { data[$0] & 1 == 1 }
    }

    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }
}

extension Surface {
    /// Draws the code as crisp square modules (whole pixels per module) on white, with the quiet zone,
    /// as large as fits and centred in `rect`. Returns the rectangle of the white square drawn.
    @discardableResult
    public func draw(_ code: QRCode, fitting rect: Rect) -> Rect {
        let modulesAcross = code.size + 2 * QRCode.quietZone
        let side = min(rect.width, rect.height)
        let modulePixels = max(1, Int(side) / modulesAcross)
        let total = Double(modulePixels * modulesAcross)
        let originX = (rect.x + (rect.width - total) / 2).rounded(.down)
        let originY = (rect.y + (rect.height - total) / 2).rounded(.down)
        let square = Rect(x: originX, y: originY, width: total, height: total)
        fill(square, .white)
        setSource(.black)
        cairo_new_path(context)
        let m = Double(modulePixels), inset = Double(QRCode.quietZone)
        for y in 0..<code.size {
            var x = 0
            // One rectangle per run of dark modules: fewer path elements, no seams between modules.
            while x < code.size {
                guard code.isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < code.size, code.isDark(x: x, y: y) { x += 1 }
                cairo_rectangle(context, originX + (inset + Double(start)) * m, originY + (inset + Double(y)) * m,
                                Double(x - start) * m, m)
            }
        }
        // Without antialiasing the module edges stay on whole pixels.
        let antialias = cairo_get_antialias(context)
        cairo_set_antialias(context, CAIRO_ANTIALIAS_NONE)
        cairo_fill(context)
        cairo_set_antialias(context, antialias)
        return square
    }
}
