import Display
import Foundation
import Testing

/// QR codes must scan: the drawn picture is decoded with zbarimg (apt: zbar-tools), as a phone would.
struct QRCodeTests {
    static let zbarimg = "/usr/bin/zbarimg"

    func decode(_ surface: Surface) throws -> String {
        let path = FileManager.default.temporaryDirectory.appending(path: "kioskd-qr-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try surface.writePNG(to: path)
        let process = Process()
        process.executableURL = URL(filePath: Self.zbarimg)
        process.arguments = ["--quiet", "--raw", "-Sqrcode.enable", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: zbarimg)),
          arguments: ["https://riverside.example/forms/address-registration?lang=de",
                      "https://例子.example/表格?name=Müller&ß=1"])
    func aDrawnCodeDecodesBackToItsText(_ text: String) throws {
        let surface = try Surface(width: 300, height: 260)
        surface.fill(Colour(hex: 0x182634))
        let code = try QRCode(text)
        let square = surface.draw(code, fitting: Rect(x: 20, y: 10, width: 260, height: 240))
        #expect(square.width <= 240 && square.width >= Double(code.size + 8) * 2)
        #expect(try decode(surface) == text)
    }

    @Test func modulesAreCrispBlackOrWhiteWithAQuietZone() throws {
        let surface = try Surface(width: 200, height: 200)
        let code = try QRCode("https://riverside.example")
        let square = surface.draw(code, fitting: surface.bounds)
        let module = Int(square.width) / (code.size + 2 * QRCode.quietZone)
        var colours = Set<UInt32>()
        for y in Int(square.y)..<Int(square.maxY) { for x in Int(square.x)..<Int(square.maxX) { colours.insert(surface.pixel(x: x, y: y)) } }
        #expect(colours == [0x000000, 0xFFFFFF])
        // The quiet zone (4 modules) is white all round; the finder pattern's corner is dark.
        let quiet = Int(square.x) + 4 * module - 1
        #expect(surface.pixel(x: quiet, y: quiet) == 0xFFFFFF)
        #expect(surface.pixel(x: quiet + 1, y: quiet + 1) == 0x000000)
    }

    @Test func textTooLongForAQRCodeThrowsAClearError() {
        let error = #expect(throws: DisplayError.self) { try QRCode(String(repeating: "x", count: 5000)) }
        #expect(error == .cannotEncodeQRCode(length: 5000, reason: "too long for a QR code"))
        #expect(throws: DisplayError.self) { try QRCode("") }
    }
}
