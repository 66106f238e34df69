import CALSA
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The kiosk's speaker over ALSA: the agent's voice, 48 kHz mono S16 (a `plug`/`plughw:` device or
/// `default` converts to what the card takes).
///
/// The network side hands decoded audio to `play` whenever it has some; a playback thread of its own
/// takes it out of a bounded queue a period at a time and writes it to the device, which paces it. When
/// the queue runs dry the thread writes silence instead (and waits for a little audio to build up again
/// before it resumes) so the device keeps running and does not underrun at every late packet. Each period
/// written also goes to `playbackTap`: the far end for the echo canceller.
///
/// A real device underruns only when the thread itself was held up; that is recovered (prepare and go
/// on), counted and logged, never fatal.
public final class ALSASpeaker: @unchecked Sendable {
    public struct Statistics: Sendable, Equatable {
        /// Frames taken from the queue and written to the device.
        public var framesPlayed = 0
        /// Frames of silence written because the queue had nothing.
        public var silenceFrames = 0
        /// Times the queue ran dry while audio was playing.
        public var starvations = 0
        /// Frames dropped from the queue's old end because more came than `maxQueuedMilliseconds` holds.
        public var framesDropped = 0
        /// Device underruns (ALSA's EPIPE on write), each recovered.
        public var underruns = 0
        /// Set when the device failed beyond recovery (unplugged); playback has stopped.
        public var failure: PlaybackError?
        public init() {}
    }

    public let device: String
    public let sampleRate: Int
    /// Frames per period and in the whole device buffer, as the device agreed to them.
    public let periodFrames: Int
    public let bufferFrames: Int
    /// After the queue ran dry (and at the start), playback resumes once this many frames are waiting.
    /// The queue then stays about this full, and it must ride out a lost packet: the jitter buffer gives
    /// up on a packet only when the next one is due, so the lost one's concealment comes a packet late
    /// (20 ms) together with the next. Hence more than a packet, plus the threads' scheduling jitter.
    public let resumeFrames: Int

    private let logger: Logger
    private let playbackTap: (@Sendable ([Int16]) -> Void)?
    private var pcm: OpaquePointer?
    private let feed: Mutex<Feed>
    private let running = Atomic<Bool>(false)
    private var thread: BlockingThread?

    private struct Feed {
        var queue: PCMRingBuffer
        var playing = false
        var statistics = Statistics()
        var lastUnderrunLogNanos: UInt64 = 0
    }

    /// Opens and sets up `device` (`default`, `hw:1,0`, `plughw:CARD=Device`, any ALSA PCM name). 10 ms
    /// periods, four of them in the device: 40 ms of output latency, and a thread held up for 30 ms does
    /// not underrun it.
    public init(device: String = "default", sampleRate: Int = 48_000, periodFrames: Int = 480, periods: Int = 4,
                maxQueuedMilliseconds: Int = 200, resumeMilliseconds: Int = 50,
                logger: Logger = Logger(label: "kioskd.speaker"),
                playbackTap: (@Sendable ([Int16]) -> Void)? = nil) throws(PlaybackError) {
        self.device = device
        self.sampleRate = sampleRate
        self.logger = logger
        self.playbackTap = playbackTap
        ALSASpeaker.silenceLibraryErrors
        var handle: OpaquePointer?
        // Opened non-blocking so a device another program holds fails at once instead of waiting for it;
        // writes block (the device paces the thread).
        let err = snd_pcm_open(&handle, device, SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK)
        guard err >= 0, let handle else { throw .deviceMissing(device: device, reason: ALSAMicrophone.reason(err)) }
        pcm = handle

        func check(_ step: String, _ code: Int32) throws(PlaybackError) {
            if code < 0 {
                snd_pcm_close(handle)
                throw .setupFailed(device: device, step: step, reason: ALSAMicrophone.reason(code))
            }
        }
        try check("set blocking mode", snd_pcm_nonblock(handle, 0))
        var hw: OpaquePointer?
        snd_pcm_hw_params_malloc(&hw)
        defer { snd_pcm_hw_params_free(hw) }
        try check("hw_params_any", snd_pcm_hw_params_any(handle, hw))
        try check("set_access", snd_pcm_hw_params_set_access(handle, hw, SND_PCM_ACCESS_RW_INTERLEAVED))
        try check("set_format S16_LE", snd_pcm_hw_params_set_format(handle, hw, SND_PCM_FORMAT_S16_LE))
        try check("set_channels 1 (a plughw: device converts)", snd_pcm_hw_params_set_channels(handle, hw, 1))
        var rate = UInt32(sampleRate)
        try check("set_rate \(sampleRate)", snd_pcm_hw_params_set_rate_near(handle, hw, &rate, nil))
        if rate != UInt32(sampleRate) {
            snd_pcm_close(handle)
            throw .setupFailed(device: device, step: "set_rate \(sampleRate)",
                               reason: "device offers \(rate) Hz only (a plughw: device resamples)")
        }
        var period = snd_pcm_uframes_t(periodFrames)
        var dir: Int32 = 0
        try check("set_period_size", snd_pcm_hw_params_set_period_size_near(handle, hw, &period, &dir))
        var buffer = snd_pcm_uframes_t(Int(period) * periods)
        try check("set_buffer_size", snd_pcm_hw_params_set_buffer_size_near(handle, hw, &buffer))
        try check("hw_params", snd_pcm_hw_params(handle, hw))
        self.periodFrames = Int(period)
        self.bufferFrames = Int(buffer)

        var sw: OpaquePointer?
        snd_pcm_sw_params_malloc(&sw)
        defer { snd_pcm_sw_params_free(sw) }
        try check("sw_params_current", snd_pcm_sw_params_current(handle, sw))
        // Start (and restart after an underrun) only with the buffer full: a device started on one period
        // would underrun again at the first hiccup.
        try check("set_start_threshold", snd_pcm_sw_params_set_start_threshold(handle, sw, buffer))
        try check("set_avail_min", snd_pcm_sw_params_set_avail_min(handle, sw, period))
        try check("sw_params", snd_pcm_sw_params(handle, sw))
        try check("prepare", snd_pcm_prepare(handle))

        let queueFrames = max(sampleRate * maxQueuedMilliseconds / 1000, Int(period))
        resumeFrames = min(sampleRate * resumeMilliseconds / 1000, queueFrames)
        feed = Mutex(Feed(queue: PCMRingBuffer(capacity: queueFrames)))
    }

    deinit {
        stop()
    }

    /// The network side: decoded mono audio to be played after what is already waiting. Never blocks.
    public func play(_ samples: [Int16]) {
        feed.withLock { $0.statistics.framesDropped += $0.queue.write(samples) }
    }

    /// Frames waiting to be played (not counting the device's own buffer).
    public var queuedFrames: Int { feed.withLock { $0.queue.count } }

    public var statistics: Statistics { feed.withLock { $0.statistics } }

    /// Starts the playback thread: silence until audio comes. The thread holds the speaker until `stop`.
    public func start() {
        guard pcm != nil, thread == nil else { return }
        logger.info("speaker \(device): playing \(sampleRate / 1000) kHz mono, \(periodFrames * 1000 / sampleRate) ms periods, \(bufferFrames * 1000 / sampleRate) ms buffer")
        running.store(true, ordering: .releasing)
        thread = BlockingThread(name: "speaker") { [self] in playbackLoop() }
    }

    /// Stops the playback thread, lets the device play out what it holds (at most one buffer) and closes
    /// it. Safe to call twice.
    public func stop() {
        running.store(false, ordering: .releasing)
        thread?.join()
        thread = nil
        if let pcm {
            snd_pcm_drain(pcm)
            snd_pcm_close(pcm)
        }
        pcm = nil
    }

    private func playbackLoop() {
        guard let pcm else { return }
        var block = [Int16](repeating: 0, count: periodFrames)
        let start = MonotonicClock.nowNanos()
        var written = 0
        while running.load(ordering: .acquiring) {
            // A device that does not pace its writer (ALSA's null and file plugins) is paced by the clock
            // instead: never more than a buffer ahead of real time. The 0.1 % of slack keeps this out of
            // the way of a real card, whose clock may run a little faster than the host's.
            if written > bufferFrames {
                let ahead = UInt64(written - bufferFrames) * 1_000_000_000 / UInt64(sampleRate)
                MonotonicClock.sleep(until: start + ahead * 1000 / 1001)
            }
            fillNextPeriod(&block)
            guard write(block, to: pcm) else { return }
            playbackTap?(block)
            written += periodFrames
        }
    }

    /// Fills `block` with the next period: queued audio, silence where there is none.
    private func fillNextPeriod(_ block: inout [Int16]) {
        let period = periodFrames, resume = resumeFrames
        let audio: [Int16] = feed.withLock { feed in
            if !feed.playing {
                guard feed.queue.count >= resume, feed.queue.count > 0 else {
                    feed.statistics.silenceFrames += period
                    return []
                }
                feed.playing = true
            }
            let audio = feed.queue.read(upTo: period)
            feed.statistics.framesPlayed += audio.count
            if audio.count < period {
                feed.playing = false
                feed.statistics.starvations += 1
                feed.statistics.silenceFrames += period - audio.count
            }
            return audio
        }
        for i in 0..<period { block[i] = i < audio.count ? audio[i] : 0 }
    }

    /// Writes one period, recovering from underruns. False when the device is gone.
    private func write(_ block: [Int16], to pcm: OpaquePointer) -> Bool {
        var done = 0
        while done < block.count {
            let n = block.withUnsafeBufferPointer { buf in
                snd_pcm_writei(pcm, buf.baseAddress! + done, snd_pcm_uframes_t(block.count - done))
            }
            if n >= 0 {
                done += Int(n)
                continue
            }
            let code = Int32(n)
            if code == -EAGAIN || code == -EINTR { continue }
            if code == -EPIPE { noteUnderrun() }
            // Underrun (-EPIPE) and suspend (-ESTRPIPE) are recoverable; anything else is the device gone.
            if snd_pcm_recover(pcm, code, 1) < 0 {
                let failure = PlaybackError.writeFailed(device: device, reason: ALSAMicrophone.reason(code))
                feed.withLock { $0.statistics.failure = failure }
                logger.error("\(failure)")
                return false
            }
        }
        return true
    }

    /// Counts an underrun; logs one line for it, or for all of them in the last ten seconds.
    private func noteUnderrun() {
        let now = MonotonicClock.nowNanos()
        let report: Int? = feed.withLock { feed in
            feed.statistics.underruns += 1
            guard feed.lastUnderrunLogNanos == 0 || now - feed.lastUnderrunLogNanos >= 10_000_000_000 else { return nil }
            feed.lastUnderrunLogNanos = now
            return feed.statistics.underruns
        }
        if let report {
            logger.warning("speaker \(device): underrun (the playback thread fell behind), recovered; \(report) so far")
        }
    }

    /// Once per process: libasound's own stderr diagnostics off (see the shim).
    private static let silenceLibraryErrors: Void = kiosk_alsa_silence_library_errors()
}

/// Why the speaker could not be used. The description is the one line a technician reads.
public enum PlaybackError: Error, Equatable, CustomStringConvertible, Sendable {
    case deviceMissing(device: String, reason: String)
    case setupFailed(device: String, step: String, reason: String)
    case writeFailed(device: String, reason: String)

    public var description: String {
        switch self {
        case let .deviceMissing(device, reason): return "speaker \(device): cannot open: \(reason)"
        case let .setupFailed(device, step, reason): return "speaker \(device): \(step) failed: \(reason)"
        case let .writeFailed(device, reason): return "speaker \(device): write failed: \(reason)"
        }
    }
}
