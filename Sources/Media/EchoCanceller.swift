import CSpeexDSP
import Synchronization

/// Acoustic echo cancellation of the kiosk's microphone against what its speaker played, through
/// libspeexdsp: the adaptive (MDF) echo canceller, then the preprocessor, which suppresses the residual
/// echo the canceller reports (its echo-state link) and stationary noise.
///
/// It runs at 48 kHz, the rate of the whole audio path, in 10 ms frames: no resampling in or out (which
/// would add delay and cost of its own), and speex' canceller and preprocessor both work at any rate. A
/// 10 ms frame keeps the added delay at one frame; the 200 ms tail covers the device buffers on both
/// sides plus a room's echo.
///
/// Two threads use it: the speaker's playback thread hands over each block as it goes to the device
/// (`playback`), the microphone's capture thread gets each block back cleaned (`capture`). Between them
/// sits a bounded FIFO of far-end samples, guarded by a lock: the capture side takes from it as many
/// samples as it brings. The echo of a block reaches the microphone the speaker's latency (its device
/// buffer) plus the room's delay after the block was handed over; the filter models that delay (up to
/// the tail), as long as the block does not wait in the FIFO longer than it, hence the FIFO's small cap
/// (speex' own playback buffer holds two frames for the same reason).
/// The speex states themselves are touched by the capture thread only (`capture`, `cancel`, `reset`),
/// hence the unchecked Sendable.
public final class EchoCanceller: @unchecked Sendable {
    public struct Settings: Sendable, Equatable {
        public var sampleRate = 48_000
        public var frameMilliseconds = 10
        /// How long an echo the adaptive filter models.
        public var tailMilliseconds = 200
        /// How much far-end audio may wait for the capture side before the oldest is dropped. The
        /// speaker hands a block over when it writes it, some tens of ms before it is heard; a block that
        /// waited longer than that would reach the filter after its own echo, which no filter can cancel.
        /// So this is at most the capture block (20 ms) plus the speaker's buffer (40 ms), less a margin.
        public var maxFarEndBacklogMilliseconds = 40
        /// Noise suppression in dB (negative); nil turns the noise suppressor off.
        public var noiseSuppressionDB: Int? = -15
        /// Residual echo suppression in dB (negative): while only the far end talks, and during double talk.
        /// Nil turns the preprocessor's echo suppression off (the linear canceller alone).
        public var echoSuppressionDB: Int? = -40
        public var echoSuppressionActiveDB = -15

        public init() {}
    }

    public let settings: Settings
    /// Samples per frame: the blocks `capture` and `cancel` take are whole numbers of frames.
    public let frameSize: Int

    private let echo: OpaquePointer
    /// With neither noise nor echo suppression the preprocessor is skipped: the linear canceller alone.
    private let usesPreprocessor: Bool
    private let preprocessor: OpaquePointer
    private let farEnd: Mutex<(fifo: PCMRingBuffer, dropped: Int, missing: Int)>

    public init(settings: Settings = Settings()) {
        self.settings = settings
        frameSize = settings.sampleRate * settings.frameMilliseconds / 1000
        usesPreprocessor = settings.noiseSuppressionDB != nil || settings.echoSuppressionDB != nil
        let tail = settings.sampleRate * settings.tailMilliseconds / 1000
        echo = speex_echo_state_init(Int32(frameSize), Int32(tail))
        preprocessor = speex_preprocess_state_init(Int32(frameSize), Int32(settings.sampleRate))
        var rate = Int32(settings.sampleRate)
        speex_echo_ctl(echo, SPEEX_ECHO_SET_SAMPLING_RATE, &rate)

        var on: Int32 = 1, off: Int32 = 0
        if var level = settings.noiseSuppressionDB.map(Int32.init) {
            speex_preprocess_ctl(preprocessor, SPEEX_PREPROCESS_SET_DENOISE, &on)
            speex_preprocess_ctl(preprocessor, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, &level)
        } else {
            speex_preprocess_ctl(preprocessor, SPEEX_PREPROCESS_SET_DENOISE, &off)
        }
        // AGC would raise the residual echo along with the voice; the kiosk's microphone level is set once.
        speex_preprocess_ctl(preprocessor, SPEEX_PREPROCESS_SET_AGC, &off)
        if var suppress = settings.echoSuppressionDB.map(Int32.init) {
            var active = Int32(settings.echoSuppressionActiveDB)
            speex_preprocess_ctl(preprocessor, SPEEX_PREPROCESS_SET_ECHO_STATE, UnsafeMutableRawPointer(echo))
            speex_preprocess_ctl(preprocessor, SPEEX_PREPROCESS_SET_ECHO_SUPPRESS, &suppress)
            speex_preprocess_ctl(preprocessor, SPEEX_PREPROCESS_SET_ECHO_SUPPRESS_ACTIVE, &active)
        }
        let backlog = settings.sampleRate * settings.maxFarEndBacklogMilliseconds / 1000
        farEnd = Mutex((PCMRingBuffer(capacity: max(backlog, frameSize)), 0, 0))
    }

    deinit {
        speex_preprocess_state_destroy(preprocessor)
        speex_echo_state_destroy(echo)
    }

    /// Far-end samples dropped because the capture side fell behind by more than the backlog allows, and
    /// samples the capture side found missing (the speaker had not played them yet; silence stood in).
    public var farEndDropped: Int { farEnd.withLock { $0.dropped } }
    public var farEndMissing: Int { farEnd.withLock { $0.missing } }

    /// The speaker's thread: a block as it goes to the device (any length, mono).
    public func playback(_ samples: [Int16]) {
        farEnd.withLock { $0.dropped += $0.fifo.write(samples) }
    }

    /// The microphone's thread: a block as it came from the device (a whole number of frames, mono),
    /// returned without the speaker's echo.
    public func capture(_ near: [Int16]) -> [Int16] {
        let far: [Int16] = farEnd.withLock { state in
            var far = state.fifo.read(upTo: near.count)
            if far.count < near.count {
                state.missing += near.count - far.count
                far += [Int16](repeating: 0, count: near.count - far.count)
            }
            return far
        }
        return cancel(near: near, far: far)
    }

    /// Both at once, when the caller has the far end aligned itself (same length, whole frames). Call from
    /// the capture thread only, like `capture`.
    public func cancel(near: [Int16], far: [Int16]) -> [Int16] {
        precondition(near.count == far.count && near.count % frameSize == 0,
                     "whole \(settings.frameMilliseconds) ms frames of near and far end")
        var out = [Int16](repeating: 0, count: near.count)
        near.withUnsafeBufferPointer { n in
            far.withUnsafeBufferPointer { f in
                out.withUnsafeMutableBufferPointer { o in
                    for start in stride(from: 0, to: near.count, by: frameSize) {
                        speex_echo_cancellation(echo, n.baseAddress! + start, f.baseAddress! + start, o.baseAddress! + start)
                        if usesPreprocessor { speex_preprocess_run(preprocessor, o.baseAddress! + start) }
                    }
                }
            }
        }
        return out
    }

    /// Forgets the echo path and the far end waiting (a new call, another speaker volume). Capture thread.
    public func reset() {
        speex_echo_state_reset(echo)
        farEnd.withLock { $0.fifo.removeAll() }
    }
}
