import Foundation

/// The virtual board (Board/virtual/run-guest.sh): a QEMU guest with the kernel's own drivers (vivid,
/// snd-aloop, …) that runs a guest script with the share folder mounted at /mnt. A test writes its inputs
/// into `share`, calls `run`, and reads what the guest left in `share`.
struct VirtualBoard {
    /// Host folder mounted at /mnt in the guest.
    let share: String
    let dir: String

    struct Outcome {
        /// The guest script's exit status; 255 when none came back (crash, time-out), 2 on a host-side error.
        var exitCode: Int32
        /// The guest script's stdout and stderr.
        var guestLog: String
        /// run-guest.sh's own stderr (`run-guest: …`) and its `VBOARD-HOST:` summary line.
        var hostMessages: String
        var summary: String
        var seconds: Double
    }

    /// `dir/share` becomes the guest's /mnt.
    init(in dir: String) throws {
        self.dir = dir
        share = "\(dir)/share"
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
    }

    static var runGuestScript: String { "\(TestEnvironment.packageRoot)/Board/virtual/run-guest.sh" }

    /// Boots the board, runs `script` in it, and returns once QEMU has ended (it powers off after the script).
    /// `binaries` are host executables copied into the guest's /usr/bin with their libraries.
    /// `monitor`: a path for QEMU's monitor socket (the test asks it for `screendump`s).
    /// `hostForwards`: QEMU `hostfwd` rules (`udp::HOSTPORT-:GUESTPORT`), bound on the host's 127.0.0.1.
    func run(script: String, name: String, binaries: [String], cpus: Int = 2, network: Bool = true,
             timeoutSeconds: Int = 150, monitor: String? = nil, hostForwards: [String] = []) throws -> Outcome {
        let scriptPath = "\(dir)/\(name).sh"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        guard FileManager.default.isExecutableFile(atPath: Self.runGuestScript) else {
            throw TestSetupError("the virtual board script is missing: \(Self.runGuestScript)")
        }
        // TestProcess passes the test's environment on; env(1) adds the board's settings to it.
        let settings = [
            "VBOARD_SHARE=\(share)",
            "VBOARD_BINS=\(binaries.joined(separator: " "))",
            "VBOARD_NET=\(network ? "user" : "none")",
            "VBOARD_SMP=\(cpus)",
            "VBOARD_TIMEOUT=\(timeoutSeconds)",
        ] + (monitor.map { ["VBOARD_MONITOR=\($0)"] } ?? []) + (hostForwards.isEmpty ? [] : ["VBOARD_HOSTFWD=\(hostForwards.joined(separator: ","))"])
        let started = Date()
        let board = try TestProcess("/usr/bin/env", settings + ["bash", Self.runGuestScript, scriptPath],
                                    in: dir, name: name)
        defer { board.stop() }  // SIGTERM: run-guest.sh kills QEMU's process group on its way out
        let status = board.wait(seconds: Double(timeoutSeconds) + 60) ?? -1
        // The serial console is not necessarily UTF-8 throughout: decode it leniently.
        let console = (try? Data(contentsOf: URL(fileURLWithPath: board.stdoutPath))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let summary = console.split(whereSeparator: \.isNewline).last { $0.hasPrefix("VBOARD-HOST:") }.map(String.init) ?? ""
        let guestLog = file("guest.log")
        return Outcome(exitCode: status, guestLog: guestLog, hostMessages: board.stderr, summary: summary,
                       seconds: Date().timeIntervalSince(started))
    }

    /// A file the guest wrote into the share, or "" when it did not.
    func file(_ name: String) -> String {
        (try? Data(contentsOf: URL(fileURLWithPath: "\(share)/\(name)"))).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

extension VirtualBoard.Outcome {
    /// Why the board did not run the script to its end, for a failure message.
    var failureReport: String {
        let why: String
        switch exitCode {
        case 255: why = "no exit code came back from the guest (QEMU crashed or timed out)"
        case 2: why = "run-guest.sh failed on the host (packages, kernel, QEMU)"
        case -1: why = "run-guest.sh did not end in time"
        default: why = "the guest script ended with status \(exitCode)"
        }
        return "the virtual board could not run the test (\(why)).\n\(summary)\nrun-guest.sh stderr:\n\(hostMessages)\nguest log:\n\(guestLog)"
    }
}

/// Test media for and from the board: a tone as a WAV file, Y4M video as ffmpeg writes it.
enum BoardMedia {
    /// Writes a 16-bit PCM WAV file of a sine tone; `amplitude` is the peak as a fraction of full scale.
    static func writeToneWAV(_ path: String, frequency: Double, amplitude: Double, seconds: Double,
                             sampleRate: Int = 48_000, channels: Int = 1) throws {
        let frames = Int(seconds * Double(sampleRate))
        var data = Data()
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { data.append(contentsOf: $0) } }
        let bytes = frames * channels * 2
        data.append(contentsOf: Array("RIFF".utf8)); u32(36 + bytes)
        data.append(contentsOf: Array("WAVEfmt ".utf8)); u32(16); u16(1); u16(channels)
        u32(sampleRate); u32(sampleRate * channels * 2); u16(channels * 2); u16(16)
        data.append(contentsOf: Array("data".utf8)); u32(bytes)
        var samples = [Int16](repeating: 0, count: frames * channels)
        let step = 2 * Double.pi * frequency / Double(sampleRate)
        for i in 0..<frames {
            let s = Int16((amplitude * 32767 * sin(step * Double(i))).rounded())
            for c in 0..<channels { samples[i * channels + c] = s.littleEndian }
        }
        samples.withUnsafeBytes { data.append(contentsOf: $0) }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// The frames of a YUV4MPEG2 file (4:2:0): its size and each frame's I420 bytes.
    static func readY4M(_ path: String) throws -> (width: Int, height: Int, frames: [ArraySlice<UInt8>]) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard let headerEnd = bytes.firstIndex(of: 0x0A),
              let header = String(bytes: bytes[..<headerEnd], encoding: .ascii), header.hasPrefix("YUV4MPEG2 ") else {
            throw TestSetupError("\(path): not a YUV4MPEG2 file (\(bytes.count) bytes)")
        }
        var width = 0, height = 0
        for field in header.split(separator: " ") {
            if field.hasPrefix("W") { width = Int(field.dropFirst()) ?? 0 }
            if field.hasPrefix("H") { height = Int(field.dropFirst()) ?? 0 }
        }
        let frameBytes = width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2)
        var frames: [ArraySlice<UInt8>] = []
        var i = headerEnd + 1
        while i < bytes.count {  // each frame: "FRAME[ params]\n" then the picture
            guard let lineEnd = bytes[i...].firstIndex(of: 0x0A), lineEnd + 1 + frameBytes <= bytes.count else { break }
            frames.append(bytes[(lineEnd + 1)..<(lineEnd + 1 + frameBytes)])
            i = lineEnd + 1 + frameBytes
        }
        return (width, height, frames)
    }

    /// Mean and standard deviation of the luma plane of an I420 frame.
    static func lumaStatistics(_ frame: ArraySlice<UInt8>, width: Int, height: Int) -> (mean: Double, deviation: Double) {
        let luma = frame.prefix(width * height)
        let mean = luma.reduce(0.0) { $0 + Double($1) } / Double(luma.count)
        let variance = luma.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(luma.count)
        return (mean, variance.squareRoot())
    }

    /// Mean luma of each of `count` equal vertical stripes, over the rows `rows`.
    static func stripeLuma(_ frame: ArraySlice<UInt8>, width: Int, rows: Range<Int>, count: Int) -> [Double] {
        let base = frame.startIndex
        return (0..<count).map { stripe in
            // the middle half of each stripe, away from the edges between bars
            let x0 = stripe * width / count + width / count / 4, x1 = (stripe + 1) * width / count - width / count / 4
            var sum = 0.0
            for y in rows { for x in x0..<x1 { sum += Double(frame[base + y * width + x]) } }
            return sum / Double(rows.count * (x1 - x0))
        }
    }
}

/// kioskd's log lines (`StreamLogHandler`: `TIME LEVEL kioskd: [MODULE] MESSAGE`) and anything else on its stderr.
struct KioskdLog {
    let text: String
    init(_ text: String) { self.text = text }

    var lines: [Substring] { text.split(separator: "\n", omittingEmptySubsequences: true) }
    func lines(level: String) -> [Substring] { lines.filter { $0.contains(" \(level) kioskd: ") } }
    /// Lines that are not kioskd's own log lines (a library writing to stderr).
    var foreignLines: [Substring] {
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        return lines.filter { line in !levels.contains { line.contains(" \($0) kioskd: ") } }
    }
}
