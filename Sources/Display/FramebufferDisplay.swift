#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging

/// The kiosk's screen through the Linux framebuffer (/dev/fbN): the device memory is mapped, each
/// presented surface is converted to the device's pixel format row by row (honouring its line length),
/// and when the device has room for two screens the drawing goes to the hidden one and is shown by
/// panning, so the customer never sees half a frame.
public final class FramebufferDisplay: Display {
    public let path: String
    public let size: ScreenSize
    public let pixelFormat: PixelFormat
    /// Bytes from one row to the next in device memory.
    public let lineLength: Int
    /// True when presenting flips between two pages by panning; false from the start when the device
    /// has no room for two pages, or after the driver refused a pan.
    public private(set) var isDoubleBuffered: Bool

    private let logger: Logger
    private let descriptor: Int32
    private let memory: UnsafeMutableRawPointer
    private let memoryLength: Int
    private var variableInfo: FramebufferVariableScreenInfo
    /// The page (0 or 1) currently on screen.
    private var visiblePage = 0

    public init(path: String = "/dev/fb0", logger: Logger = Logger(label: "kioskd.display")) throws {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw DisplayError.cannotOpenDevice(path: path, reason: DisplayError.errnoText()) }
        var closeOnFailure = true
        defer { if closeOnFailure { close(descriptor) } }

        var variable = FramebufferVariableScreenInfo()
        guard Self.control(descriptor, FramebufferIoctl.getVariableScreenInfo, &variable.words) == 0 else {
            throw DisplayError.notAFramebuffer(path: path, reason: DisplayError.errnoText())
        }
        guard [16, 24, 32].contains(variable.bitsPerPixel) else {
            throw DisplayError.unsupportedDepth(path: path, bitsPerPixel: variable.bitsPerPixel)
        }
        var fixed = FramebufferFixedScreenInfo()
        guard Self.control(descriptor, FramebufferIoctl.getFixedScreenInfo, &fixed.bytes) == 0 else {
            throw DisplayError.notAFramebuffer(path: path, reason: DisplayError.errnoText())
        }

        // Ask for a virtual screen twice as tall; drivers that cannot leave it as it was.
        let pageBytes = fixed.lineLength * variable.yres
        if variable.yresVirtual < 2 * variable.yres, fixed.memoryLength >= 2 * pageBytes {
            var request = variable
            request.yresVirtual = 2 * variable.yres
            request.yoffset = 0
            request.activate = 0  // FB_ACTIVATE_NOW
            if Self.control(descriptor, FramebufferIoctl.putVariableScreenInfo, &request.words) == 0 {
                _ = Self.control(descriptor, FramebufferIoctl.getVariableScreenInfo, &variable.words)
                _ = Self.control(descriptor, FramebufferIoctl.getFixedScreenInfo, &fixed.bytes)
            }
        }

        let length = fixed.memoryLength
        guard length >= fixed.lineLength * variable.yres, variable.xres > 0, variable.yres > 0 else {
            throw DisplayError.notAFramebuffer(path: path, reason: "reports \(variable.xres)×\(variable.yres) in \(length) bytes")
        }
        let mapped = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw DisplayError.cannotMapMemory(path: path, reason: DisplayError.errnoText())
        }

        self.path = path
        self.logger = logger
        self.descriptor = descriptor
        self.memory = mapped
        self.memoryLength = length
        self.size = ScreenSize(width: variable.xres, height: variable.yres)
        self.pixelFormat = variable.pixelFormat
        self.lineLength = fixed.lineLength
        self.isDoubleBuffered = variable.yresVirtual >= 2 * variable.yres && length >= 2 * fixed.lineLength * variable.yres
        self.visiblePage = variable.yoffset >= variable.yres ? 1 : 0
        self.variableInfo = variable
        closeOnFailure = false
        logger.info("framebuffer opened", metadata: [
            "device": "\(path)", "id": "\(fixed.identifier)", "size": "\(size)", "format": "\(pixelFormat)",
            "lineLength": "\(lineLength)", "doubleBuffered": "\(isDoubleBuffered)",
        ])
    }

    deinit {
        munmap(memory, memoryLength)
        close(descriptor)
    }

    public func present(_ surface: Surface) throws {
        let page = isDoubleBuffered ? 1 - visiblePage : visiblePage
        write(surface, toPage: page)
        guard isDoubleBuffered else { return }
        variableInfo.xoffset = 0
        variableInfo.yoffset = page * size.height
        guard Self.control(descriptor, FramebufferIoctl.panDisplay, &variableInfo.words) == 0 else {
            // The driver claimed room for two pages but will not pan: draw on the visible page from now
            // on (tearing is better than a frozen screen).
            logger.warning("framebuffer refused to pan; single buffering from now on",
                           metadata: ["device": "\(path)", "error": "\(DisplayError.errnoText())"])
            isDoubleBuffered = false
            write(surface, toPage: visiblePage)
            return
        }
        visiblePage = page
    }

    private func write(_ surface: Surface, toPage page: Int) {
        let pageBytes = size.height * lineLength
        Self.write(surface, into: UnsafeMutableRawBufferPointer(start: memory + page * pageBytes, count: pageBytes),
                   lineLength: lineLength, size: size, format: pixelFormat)
    }

    /// What `present` does to one page of device memory: converts the surface row by row into
    /// `format`, rows `lineLength` bytes apart; the part of the screen the surface does not cover is
    /// cleared to black (else a page would keep what it showed two frames ago). Public for tests and
    /// the benchmark, which run without a device.
    public static func write(_ surface: Surface, into page: UnsafeMutableRawBufferPointer, lineLength: Int,
                             size: ScreenSize, format: PixelFormat) {
        guard let base = page.baseAddress, lineLength > 0 else { return }
        let rows = min(size.height, page.count / lineLength)
        let rowBytes = min(lineLength, size.width * format.bytesPerPixel)
        let coveredRows = min(surface.height, rows), coveredBytes = min(surface.width, size.width) * format.bytesPerPixel
        surface.withPixels { pixels, stride in
            for row in 0..<coveredRows {
                let source = UnsafeBufferPointer(start: (pixels.baseAddress! + row * stride).assumingMemoryBound(to: UInt32.self),
                                                 count: min(surface.width, size.width))
                format.convertRow(source, into: UnsafeMutableRawBufferPointer(start: base + row * lineLength, count: rowBytes))
                if coveredBytes < rowBytes { (base + row * lineLength + coveredBytes).initializeMemory(as: UInt8.self, repeating: 0, count: rowBytes - coveredBytes) }
            }
        }
        for row in coveredRows..<max(coveredRows, rows) {
            (base + row * lineLength).initializeMemory(as: UInt8.self, repeating: 0, count: rowBytes)
        }
    }

    static func control<Element>(_ descriptor: Int32, _ request: UInt, _ buffer: inout [Element]) -> Int32 {
        buffer.withUnsafeMutableBytes { ioctl(descriptor, request, $0.baseAddress!) }
    }
}
