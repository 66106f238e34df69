#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension FramebufferDisplay {
    /// What a framebuffer shows now (FBIOGET_VSCREENINFO): the visible size kioskd draws at, the virtual
    /// size (taller when the driver pans between pages, as kioskd asks for; sysfs `virtual_size` is this
    /// one), and the depth.
    public struct Mode: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var virtualWidth: Int
        public var virtualHeight: Int
        public var bitsPerPixel: Int
    }

    /// Reads the mode of the framebuffer at `path` without mapping or changing it (read-only, so it
    /// works while the screen is being drawn); nil when it cannot be opened or is not a framebuffer.
    public static func mode(path: String) -> Mode? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = FramebufferVariableScreenInfo()
        guard control(descriptor, FramebufferIoctl.getVariableScreenInfo, &info.words) == 0 else { return nil }
        return Mode(width: info.xres, height: info.yres, virtualWidth: info.xresVirtual, virtualHeight: info.yresVirtual,
                    bitsPerPixel: info.bitsPerPixel)
    }
}
