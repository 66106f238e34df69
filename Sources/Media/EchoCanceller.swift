import CSpeexDSP
import Synchronization

/// Acoustic echo cancellation of the kiosk's microphone against what its speaker played, through
/// libspeexdsp: the adaptive (MDF) echo canceller, then the preprocessor, which suppresses the residual
/// echo the canceller reports (its echo-state link) and stationary noise.
///
/// It runs at 48 kHz, the rate of the whole audio path, in 10 ms frames: no resampling in or out (which
/// would add delay and cost of its own), and speex' canceller and preprocessor both work at any rate
/// (the tests measure 40 dB of echo return loss enhancement at 48 kHz, for about 2 % of one core). A
/// 10 ms frame divides both the microphone's 20 ms blocks and the speaker's 10 ms periods; the 200 ms
/// tail covers the speaker's buffer, the microphone's block and a room's echo.
///
/// Two threads use it: the speaker's playback thread hands over each block as it goes to the device
/// (`playback`), the microphone's capture thread gets each block back cleaned (`capture`). Between them,
/// under a lock, a `FarEndAligner` keeps the far end paired with the microphone sample for sample (see
/// there why and how). The speex states themselves are touched by the capture thread only (`capture`,
/// `cancel`, `reset`), hence the unchecked Sendable.
public final class EchoCanceller: @unchecked Sendable {
    public struct Settings: Sendable, Equatable {
        public var sampleRate = 48_000
        public var frameMilliseconds = 10
        /// How long an echo the adaptive filter models.
        public var tailMilliseconds = 200
        /// How far the capture side may fall behind the speaker before the far end overflows and is paired
        /// anew (a stalled capture thread).
        public var maxFarEndBacklogMilliseconds = 200
        /// Far end kept waiting beyond each capture block, so the speaker's thread may be that late without
        /// the capture side finding nothing. It comes off the echo delay the filter sees, which starts at
        /// the speaker's latency (its 30-40 ms device buffer), so it must stay below that.
        public var farEndMarginMilliseconds = 10
        /// A speaker silent for longer than this has stopped, not stalled: pair anew when it comes back.
        public var maxSpeakerLatenessMilliseconds = 100
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
    private let farEnd: Mutex<FarEndAligner>

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
        let samplesPerMillisecond = settings.sampleRate / 1000
        farEnd = Mutex(FarEndAligner(
            capacity: max(settings.maxFarEndBacklogMilliseconds * samplesPerMillisecond, 4 * frameSize),
            margin: settings.farEndMarginMilliseconds * samplesPerMillisecond,
            maxOwed: settings.maxSpeakerLatenessMilliseconds * samplesPerMillisecond))
    }

    deinit {
        speex_preprocess_state_destroy(preprocessor)
        speex_echo_state_destroy(echo)
    }

    /// Far-end samples dropped (older than a new pairing, or overflowing a stalled capture side), samples
    /// the capture side found missing (silence stood in), and how many times the pairing was made.
    public var farEndDropped: Int { farEnd.withLock { $0.dropped } }
    public var farEndMissing: Int { farEnd.withLock { $0.missing } }
    public var farEndPairings: Int { farEnd.withLock { $0.pairings } }

    /// The speaker's thread: a block as it goes to the device (any length, mono).
    public func playback(_ samples: [Int16]) {
        farEnd.withLock { $0.played(samples) }
    }

    /// The microphone's thread: a block as it came from the device (a whole number of frames, mono),
    /// returned without the speaker's echo.
    public func capture(_ near: [Int16]) -> [Int16] {
        let far = farEnd.withLock { $0.farEnd(for: near.count) }
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
        farEnd.withLock { $0.reset() }
    }
}
