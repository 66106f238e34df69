import CALSA
#if canImport(Glibc)
import Glibc
#endif

/// A microphone over ALSA: 16-bit signed, 48 kHz, read in 20 ms periods. An overrun (the kiosk fell
/// behind) is recovered by re-preparing the device and counted; the stream goes on.
public final class ALSAMicrophone: AudioSource, @unchecked Sendable {
    public let device: String
    public let sampleRate: Int
    public let channels: Int
    public var name: String { "ALSA \(device)" }
    /// How many times the device overran and was recovered.
    public private(set) var overruns = 0

    private var pcm: OpaquePointer?

    public init(device: String, sampleRate: Int = 48_000, channels: Int = 1, periodFrames: Int = 960) throws(CaptureError) {
        self.device = device
        self.sampleRate = sampleRate
        self.channels = channels
        ALSAMicrophone.silenceLibraryErrors
        var handle: OpaquePointer?
        var err = snd_pcm_open(&handle, device, SND_PCM_STREAM_CAPTURE, 0)
        guard err >= 0, let handle else { throw .audioDeviceMissing(device: device, reason: Self.reason(err)) }
        pcm = handle

        var hw: OpaquePointer?
        snd_pcm_hw_params_malloc(&hw)
        defer { snd_pcm_hw_params_free(hw) }
        func check(_ step: String, _ code: Int32) throws(CaptureError) {
            if code < 0 {
                close()
                throw .audioSetupFailed(device: device, step: step, reason: Self.reason(code))
            }
        }
        try check("hw_params_any", snd_pcm_hw_params_any(handle, hw))
        try check("set_access", snd_pcm_hw_params_set_access(handle, hw, SND_PCM_ACCESS_RW_INTERLEAVED))
        try check("set_format S16_LE", snd_pcm_hw_params_set_format(handle, hw, SND_PCM_FORMAT_S16_LE))
        try check("set_channels \(channels)", snd_pcm_hw_params_set_channels(handle, hw, UInt32(channels)))
        var rate = UInt32(sampleRate)
        try check("set_rate \(sampleRate)", snd_pcm_hw_params_set_rate_near(handle, hw, &rate, nil))
        if rate != UInt32(sampleRate) {
            close()
            throw .audioSetupFailed(device: device, step: "set_rate \(sampleRate)",
                                    reason: "device offers \(rate) Hz only (a plughw: device resamples)")
        }
        var period = snd_pcm_uframes_t(periodFrames)
        var dir: Int32 = 0
        try check("set_period_size", snd_pcm_hw_params_set_period_size_near(handle, hw, &period, &dir))
        // A deep capture buffer costs no latency (reads take each period as soon as it is complete) and
        // rides out a stall of the reading thread without an overrun.
        var bufferSize = snd_pcm_uframes_t(periodFrames * 16)
        try check("set_buffer_size", snd_pcm_hw_params_set_buffer_size_near(handle, hw, &bufferSize))
        try check("hw_params", snd_pcm_hw_params(handle, hw))
        try check("prepare", snd_pcm_prepare(handle))
        err = snd_pcm_start(handle)
        _ = err  // a device that starts on first read refuses an explicit start; reading starts it
    }

    deinit { close() }

    public func nextBlock(samplesPerChannel: Int) throws(CaptureError) -> [Int16] {
        guard let pcm else { throw .audioReadFailed(device: device, reason: "closed") }
        var block = [Int16](repeating: 0, count: samplesPerChannel * channels)
        var filled = 0
        while filled < samplesPerChannel {
            let n = block.withUnsafeMutableBufferPointer { buf in
                snd_pcm_readi(pcm, buf.baseAddress! + filled * channels, snd_pcm_uframes_t(samplesPerChannel - filled))
            }
            if n >= 0 {
                filled += Int(n)
                continue
            }
            let code = Int32(n)
            if code == -EPIPE { overruns += 1 }
            if code == -EAGAIN || code == -EINTR { continue }
            // Overrun (-EPIPE) and suspend (-ESTRPIPE) are recoverable; anything else is the device gone.
            if snd_pcm_recover(pcm, code, 1) < 0 {
                throw .audioReadFailed(device: device, reason: Self.reason(code))
            }
        }
        return block
    }

    public func close() {
        if let pcm { snd_pcm_close(pcm) }
        pcm = nil
    }

    /// Once per process: libasound's own stderr diagnostics off (see the shim).
    private static let silenceLibraryErrors: Void = kiosk_alsa_silence_library_errors()

    static func reason(_ code: Int32) -> String { String(cString: snd_strerror(code)) }
}

/// A microphone for machines without one: a steady sine tone, paced like a real device.
public final class ToneSource: AudioSource, @unchecked Sendable {
    public let sampleRate: Int
    public let channels: Int
    public let frequency: Double
    /// Peak amplitude as a fraction of full scale.
    public let amplitude: Double
    public var name: String { "tone \(Int(frequency)) Hz" }
    private let paced: Bool
    private var produced = 0
    private var startNanos: UInt64?

    public init(frequency: Double = 440, amplitude: Double = 0.3, sampleRate: Int = 48_000, channels: Int = 1, paced: Bool = true) {
        self.frequency = frequency
        self.amplitude = amplitude
        self.sampleRate = sampleRate
        self.channels = channels
        self.paced = paced
    }

    public func nextBlock(samplesPerChannel: Int) throws(CaptureError) -> [Int16] {
        if paced {
            let start = startNanos ?? MonotonicClock.nowNanos()
            startNanos = start
            // A block is ready once its last sample would have been captured.
            let due = start + UInt64(produced + samplesPerChannel) * 1_000_000_000 / UInt64(sampleRate)
            MonotonicClock.sleep(until: due)
        }
        var block = [Int16](repeating: 0, count: samplesPerChannel * channels)
        let step = 2 * Double.pi * frequency / Double(sampleRate)
        for i in 0..<samplesPerChannel {
            let s = Int16(amplitude * 32767 * sin(step * Double(produced + i)))
            for c in 0..<channels { block[i * channels + c] = s }
        }
        produced += samplesPerChannel
        return block
    }

    public func close() {}
}
