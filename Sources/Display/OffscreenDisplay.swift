/// A display with no device: each presented surface is written as a PNG, either always to one file or
/// as numbered frames (frame-000001.png, …) in a directory. The embedded default when no framebuffer is
/// configured, and what the tests look at.
public final class OffscreenDisplay: Display {
    public enum Destination: Sendable, Hashable {
        /// Every present overwrites this file.
        case file(String)
        /// Every present writes the next numbered frame into this (existing) directory.
        case numberedFrames(directory: String)
    }

    public let size: ScreenSize
    public let destination: Destination
    /// Frames presented so far.
    public private(set) var framesPresented = 0

    public init(size: ScreenSize, destination: Destination) throws {
        guard size.width > 0, size.height > 0, size.width <= Surface.maximumSide, size.height <= Surface.maximumSide else {
            throw DisplayError.invalidSize(width: size.width, height: size.height)
        }
        self.size = size
        self.destination = destination
    }

    /// The file the `n`th frame (from 1) goes to.
    public func path(ofFrame number: Int) -> String {
        switch destination {
        case let .file(path): return path
        case let .numberedFrames(directory):
            let digits = String(number)
            return directory + "/frame-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".png"
        }
    }

    public func present(_ surface: Surface) throws {
        let path = path(ofFrame: framesPresented + 1)
        if surface.size == size {
            try surface.writePNG(to: path)
        } else {
            // Same rule as the framebuffer: top-left corner, clipped, the rest black.
            let screen = try makeSurface()
            screen.paint(surface, x: 0, y: 0)
            try screen.writePNG(to: path)
        }
        framesPresented += 1
    }
}
