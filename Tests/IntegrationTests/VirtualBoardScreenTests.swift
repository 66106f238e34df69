import Display
import Foundation
import Testing

/// The real kioskd drawing on a real framebuffer driver: in the virtual board (QEMU, the kernel's bochs
/// DRM driver giving /dev/fb0 at 1280x800x32) it draws the idle screen, then the in-call screen with a
/// picture it decoded from a VP8 file; QEMU's `screendump`, taken from the host, must match what the same
/// binary draws off-screen on the host from the same input.
///
/// The guest has no fonts of its own: the fonts the screens use are copied into the share and named in a
/// fontconfig file, and the host's off-screen drawing uses the same fonts the same way.
@Suite(.serialized)
struct VirtualBoardScreenTests {
    static let fonts = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"]

    static func fontConfig(directory: String, cache: String) -> String {
        """
        <?xml version="1.0"?>
        <!DOCTYPE fontconfig SYSTEM "fonts.dtd">
        <fontconfig><dir>\(directory)</dir><cachedir>\(cache)</cachedir></fontconfig>
        """
    }

    /// Asks QEMU's monitor for a screendump each time the guest says a screen is drawn (`NAME.ready` in the
    /// share), and tells the guest when it is taken (`NAME.shot`).
    final class Screendumper: @unchecked Sendable {
        let monitor: String
        let share: String
        let names: [String]
        private(set) var taken: [String] = []
        private var thread: Thread?

        init(monitor: String, share: String, names: [String]) {
            self.monitor = monitor
            self.share = share
            self.names = names
        }

        func start() {
            let thread = Thread { [self] in run() }
            self.thread = thread
            thread.start()
        }

        private func run() {
            let until = Date().addingTimeInterval(400)
            var pending = names
            while let name = pending.first, Date() < until {
                guard FileManager.default.fileExists(atPath: "\(share)/\(name).ready"), FileManager.default.fileExists(atPath: monitor) else {
                    Thread.sleep(forTimeInterval: 0.1)
                    continue
                }
                let ppm = "\(share)/\(name).ppm"
                // The connection stays open until the file is written: QEMU drops a command whose
                // client has gone.
                if let fd = send("screendump \(ppm)\n") {
                    let deadline = Date().addingTimeInterval(20)
                    while Date() < deadline, ((try? FileManager.default.attributesOfItem(atPath: ppm)[.size] as? Int) ?? 0) < 1280 * 800 * 3 {
                        Thread.sleep(forTimeInterval: 0.1)
                    }
                    Thread.sleep(forTimeInterval: 0.3)
                    close(fd)
                    taken.append(name)
                }
                _ = FileManager.default.createFile(atPath: "\(share)/\(name).shot", contents: nil)
                pending.removeFirst()
            }
        }

        /// Takes a screendump now into `ppm` (1280x800); false when QEMU's monitor did not write it in time.
        func screendump(to ppm: String) -> Bool {
            try? FileManager.default.removeItem(atPath: ppm)
            guard let fd = send("screendump \(ppm)\n") else { return false }
            defer { close(fd) }
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if ((try? FileManager.default.attributesOfItem(atPath: ppm)[.size] as? Int) ?? 0) >= 1280 * 800 * 3 {
                    Thread.sleep(forTimeInterval: 0.3)
                    return true
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }

        /// The monitor connection the command went out on, or nil.
        private func send(_ command: String) -> Int32? {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return nil }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, byte) in monitor.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            let bytes = Array(command.utf8)
            guard connected == 0, write(fd, bytes, bytes.count) == bytes.count else {
                close(fd)
                return nil
            }
            return fd
        }
    }

    @Test func kioskdDrawsOnTheBochsFramebufferWhatItDrawsOffScreen() throws {
        let kioskd = try TestEnvironment.kioskd()
        let dir = try TestEnvironment.temporaryDirectory("vboard-screen")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let board = try VirtualBoard(in: dir)

        // The same input on both sides: fonts, a VP8 clip (ffmpeg's test source, which has a counter and
        // colour bars), a configuration naming the kiosk.
        try FileManager.default.createDirectory(atPath: "\(board.share)/fonts", withIntermediateDirectories: true)
        for font in Self.fonts {
            try FileManager.default.copyItem(atPath: font, toPath: "\(board.share)/fonts/\(URL(fileURLWithPath: font).lastPathComponent)")
        }
        try Self.fontConfig(directory: "/mnt/fonts", cache: "/tmp/fc").write(toFile: "\(board.share)/fonts.conf", atomically: true, encoding: .utf8)
        try Self.fontConfig(directory: "\(board.share)/fonts", cache: "\(dir)/fc").write(toFile: "\(dir)/host-fonts.conf", atomically: true, encoding: .utf8)
        let clip = try TestProcess("ffmpeg", ["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25",
                                              "-frames:v", "12", "-c:v", "libvpx", "-b:v", "1M", "-f", "ivf", "\(board.share)/clip.ivf"],
                                   in: dir, name: "ffmpeg-clip")
        try #require(clip.wait(seconds: 30) == 0, "ffmpeg: \(clip.stderr)")
        try #"{ "kiosk": { "id": "KSK-VB", "name": "Stadtbüro Nord · 城北办事处" } }"#
            .write(toFile: "\(board.share)/kiosk.json", atomically: true, encoding: .utf8)

        // The host's drawings, off-screen, by the same binary.
        let screens: [(name: String, args: [String])] = [
            ("idle", ["--show", "idle", "--language", "de"]),
            ("in-call", ["--show", "in-call", "--language", "zh", "--video", "\(board.share)/clip.ivf"]),
        ]
        for screen in screens {
            let host = try TestProcess("/usr/bin/env", ["FONTCONFIG_FILE=\(dir)/host-fonts.conf", kioskd, "screen", "--config", "\(board.share)/kiosk.json",
                                                        "--display", "offscreen:\(dir)/host-\(screen.name)"] + screen.args,
                                       in: dir, name: "host-\(screen.name)")
            try #require(host.wait(seconds: 60) == 0, "kioskd screen on the host: \(host.stderr)")
        }

        // The guest draws each on /dev/fb0 and holds it until the host has its screendump.
        let name = VirtualBoardTests.guestName(kioskd)
        var guest = """
        export FONTCONFIG_FILE=/mnt/fonts.conf
        mkdir -p /tmp/fc
        fbset -fb /dev/fb0 || exit 20

        """
        for (index, screen) in screens.enumerated() {
            let args = screen.args.map { $0.replacingOccurrences(of: board.share, with: "/mnt") }.joined(separator: " ")
            guest += """
            \(name) screen --config /mnt/kiosk.json --display /dev/fb0 \(args) --hold 120 > /mnt/\(screen.name).log 2>&1 &
            pid=$!
            for i in $(seq 600); do grep -q " drawn" /mnt/\(screen.name).log && break; kill -0 $pid 2>/dev/null || break; sleep 0.2; done
            grep -q " drawn" /mnt/\(screen.name).log || { cat /mnt/\(screen.name).log; exit \(21 + index); }
            touch /mnt/\(screen.name).ready
            for i in $(seq 300); do [ -e /mnt/\(screen.name).shot ] && break; sleep 0.2; done
            kill $pid; wait $pid

            """
        }
        guest += "echo GUEST-DONE\n"
        let monitor = "\(dir)/monitor.sock"
        let dumper = Screendumper(monitor: monitor, share: board.share, names: screens.map(\.name))
        dumper.start()
        let outcome = try board.run(script: guest, name: "screen", binaries: [kioskd], timeoutSeconds: 300, monitor: monitor)
        try #require(outcome.exitCode == 0 && outcome.guestLog.contains("GUEST-DONE"), "\(outcome.failureReport)")
        print(outcome.guestLog.split(separator: "\n").filter { $0.contains("display") || $0.contains("fb0") || $0.contains("mode") }.joined(separator: "\n"))

        for screen in screens {
            let ppm = "\(board.share)/\(screen.name).ppm", png = "\(dir)/\(screen.name)-screendump.png"
            try #require(FileManager.default.fileExists(atPath: ppm), "no screendump of \(screen.name); \(board.file("\(screen.name).log"))")
            let convert = try TestProcess("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", ppm, png], in: dir, name: "ffmpeg-ppm")
            try #require(convert.wait(seconds: 20) == 0, "ffmpeg: \(convert.stderr)")
            let actual = try Surface.readPNG(from: png)
            let reference = try Surface.readPNG(from: "\(dir)/host-\(screen.name)/frame-000001.png")
            let difference = PictureDifference(actual: actual, reference: reference)
            print("\(screen.name): screendump \(actual.size) vs off-screen \(reference.size): mean difference \(difference.meanAbsoluteDifference), \(difference.strongDifferenceFraction * 100)% of pixels off by more than 32")
            #expect(difference.sizesMatch)
            #expect(difference.isWithin(meanAbsoluteDifference: 1.0, strongDifferenceFraction: 0.005),
                    "\(screen.name): the framebuffer does not show what kioskd drew off-screen")
        }
    }
}
