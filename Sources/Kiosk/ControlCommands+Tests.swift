import Control
import Display
import Media
#if canImport(Glibc)
import Glibc
#endif

/// `kioskctl test …`: the kiosk's devices and network tried one at a time by a technician. A device
/// test waits for no one: while a customer uses the kiosk it is refused (the camera and sound are
/// theirs), and the technician is told why.
extension ControlCommands {
    func refuseDuringCall(_ what: String) async throws(ControlFailure) {
        if let busy = await engineInUse() {
            throw ControlFailure(.busy, "not testing the \(what) now: \(busy); try again when it is over")
        }
    }

    /// Runs blocking device work on a thread of its own (never on Swift's cooperative pool).
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        var thread: BlockingThread?
        let value = await withCheckedContinuation { continuation in
            thread = BlockingThread { continuation.resume(returning: body()) }
        }
        thread?.join()  // it is ending: the value was its last act
        return value
    }

    // MARK: Camera

    func testCamera(_ args: ControlValue) async throws -> ControlValue {
        try await refuseDuringCall("camera")
        let seconds = try Self.double(args, "seconds", default: 2, range: 0.5...30)
        let snapshot = try args["snapshot"].map { v throws(ControlFailure) -> String in
            guard let s = v.string, s.hasPrefix("/") else { throw ControlFailure(.badArgument, "snapshot: \(v.json) is not an absolute path") }
            return s
        } ?? defaultSnapshotPath()
        let media = config.media
        let outcome: Result<(name: String, frames: Int, elapsed: Double, last: VideoFrame?, dropped: Int), CaptureError> = await Self.onThread {
            let camera: VideoSource
            do throws(CaptureError) { camera = try media.openCamera() } catch { return .failure(error) }
            defer { camera.close() }
            let start = MonotonicClock.nowNanos()
            let end = start + UInt64(seconds * 1e9)
            var frames = 0, last: VideoFrame?, first: UInt64?
            while MonotonicClock.nowNanos() < end {
                do throws(CaptureError) {
                    if let frame = try camera.nextFrame(timeoutMillis: 500) {
                        // Timed from the first frame: a camera's start-up is not its frame rate.
                        if first == nil { first = MonotonicClock.nowNanos() } else { frames += 1 }
                        last = frame
                    }
                } catch { return .failure(error) }
            }
            let elapsed = first.map { Double(MonotonicClock.nowNanos() - $0) / 1e9 } ?? 0
            return .success((camera.name, frames, elapsed, last, camera.framesDropped))
        }
        let result: (name: String, frames: Int, elapsed: Double, last: VideoFrame?, dropped: Int)
        switch outcome {
        case let .success(r): result = r
        case let .failure(error): throw ControlFailure(.failed, "\(error)")
        }
        guard let last = result.last, result.elapsed > 0 else {
            throw ControlFailure(.failed, "camera \(result.name): no frames in \(seconds) s")
        }
        let fps = Double(result.frames) / result.elapsed
        var pairs: [(String, ControlValue)] = [
            ("camera", .string(result.name)),
            ("size", .string("\(last.width)x\(last.height)")),
            ("configuredFps", .int(media.framesPerSecond)),
            ("fps", .double((fps * 10).rounded() / 10)),
            ("frames", .int(result.frames + 1)),
            ("dropped", .int(result.dropped)),
        ]
        do {
            let image = try I420Image(width: last.width, height: last.height, bytes: last.bytes)
            let surface = try Surface(width: last.width, height: last.height)
            VideoScaler().draw(image, into: surface, fitting: Rect(x: 0, y: 0, width: Double(last.width), height: Double(last.height)))
            try surface.writePNG(to: snapshot)
            pairs.append(("snapshot", .string(snapshot)))
        } catch {
            pairs.append(("snapshotError", .string("cannot write \(snapshot): \(error)")))
        }
        logger.info("control: camera test: \(result.name) \(fps) fps")
        return .object(pairs)
    }

    func defaultSnapshotPath() -> String {
        let socket = config.control.socketPath
        let directory = socket.lastIndex(of: "/").map { String(socket[..<$0]) } ?? "/tmp"
        return "\(directory.isEmpty ? "" : directory)/camera-snapshot.png"
    }

    // MARK: Microphone

    /// Streams the level every quarter second (RMS and peak in dBFS), then a summary.
    func testMicrophone(id: Int, _ args: ControlValue, reply: @escaping Reply) async throws {
        try await refuseDuringCall("microphone")
        let seconds = try Self.double(args, "seconds", default: 3, range: 0.5...30)
        let microphone: AudioSource
        do { microphone = try config.media.openMicrophone() } catch {
            throw ControlFailure(.failed, "\(error)")
        }
        let (levels, continuation) = AsyncStream.makeStream(of: (rms: Double, peak: Double).self)
        let failure: CaptureError? = await withTaskGroup(of: CaptureError?.self) { group in
            group.addTask {
                await Self.onThread { () -> CaptureError? in
                    defer { microphone.close(); continuation.finish() }
                    let blocks = Int(seconds * 4)
                    for _ in 0..<blocks {
                        var squares = 0.0, peak = 0.0
                        var count = 0
                        for _ in 0..<12 {  // 12 × 20 ms = a quarter second
                            let samples: [Int16]
                            do throws(CaptureError) { samples = try microphone.nextBlock(samplesPerChannel: 960) } catch { return error }
                            for s in samples {
                                let v = Double(s) / 32768
                                squares += v * v
                                peak = max(peak, abs(v))
                            }
                            count += samples.count
                        }
                        continuation.yield(((squares / Double(max(1, count))).squareRoot(), peak))
                    }
                    return nil
                }
            }
            group.addTask {
                var all: [Double] = []
                for await level in levels {
                    all.append(level.rms)
                    try? await reply(.result(id: id, ["rmsDBFS": .double(Self.dB(level.rms)), "peakDBFS": .double(Self.dB(level.peak)),
                                                       "meter": .string(Self.meter(level.rms))], more: true))
                }
                return nil
            }
            var failure: CaptureError?
            for await result in group { if let result { failure = result } }
            return failure
        }
        if let failure { throw ControlFailure(.failed, "\(failure)") }
        try await reply(.result(id: id, ["microphone": .string(microphone.name), "seconds": .double(seconds)]))
    }

    static func dB(_ linear: Double) -> Double {
        linear > 0 ? (20 * log10(linear) * 10).rounded() / 10 : -120
    }

    /// A bar of 30 characters over −60…0 dBFS.
    static func meter(_ rms: Double) -> String {
        let filled = max(0, min(30, Int((dB(rms) + 60) / 2)))
        return String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
    }

    // MARK: Speaker

    func testSpeaker(_ args: ControlValue) async throws -> ControlValue {
        try await refuseDuringCall("speaker")
        guard let device = config.speaker.device else {
            throw ControlFailure(.unavailable, "no speaker configured (speaker.device in \(configPath))")
        }
        let seconds = try Self.double(args, "seconds", default: 2, range: 0.2...10)
        let hz = try Self.double(args, "frequency", default: 440, range: 50...10_000)
        let speaker: ALSASpeaker
        do { speaker = try ALSASpeaker(device: device, maxQueuedMilliseconds: Int(seconds * 1000) + 200, logger: logger) } catch {
            throw ControlFailure(.failed, "\(error)")
        }
        let tone = ToneSource(frequency: hz, amplitude: 0.3, paced: false)
        let total = Int(seconds * 48_000)
        var samples: [Int16] = []
        while samples.count < total { samples += (try? tone.nextBlock(samplesPerChannel: 960)) ?? [] }
        speaker.start()
        speaker.play(Array(samples.prefix(total)))
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000) + 300))
        let statistics = speaker.statistics
        await Self.onThread { speaker.stop() }
        if let failure = statistics.failure { throw ControlFailure(.failed, "speaker \(device): \(failure)") }
        return ["speaker": .string(device), "frequency": .double(hz), "seconds": .double(seconds),
                "framesPlayed": .int(statistics.framesPlayed), "underruns": .int(statistics.underruns)]
    }

    // MARK: Display

    func testDisplay(_ args: ControlValue) async throws -> ControlValue {
        try await refuseDuringCall("display")
        guard let presenter = sipAgent?.presenter else {
            throw ControlFailure(.unavailable, "no screen (display.device in \(configPath), or it could not be opened: see kioskctl logs)")
        }
        let seconds = try Self.double(args, "seconds", default: 3, range: 0.5...60)
        let before = presenter.presented
        presenter.showTestPattern(.colourBars(width: config.screen.size.width, height: config.screen.size.height))
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        let shown = presenter.presented - before
        presenter.showTestPattern(nil)
        try? await Task.sleep(for: .milliseconds(200))
        return ["display": configuredDevices()["display"] ?? .null, "pattern": "colour bars", "seconds": .double(seconds),
                "picturesPresented": .int(shown), "screen": .string(ScreenPresenter.name(presenter.screen))]
    }
}
