import COpus

/// Opus through libopus for the voice path: 48 kHz, 20 ms frames, in-band FEC on so a receiver can
/// rebuild a lost packet from the next one.
public final class OpusEncoder: @unchecked Sendable {
    public static let sampleRate = 48_000
    public static let samplesPerFrame = 960  // 20 ms at 48 kHz

    public enum EncoderError: Error, CustomStringConvertible {
        case libopus(call: String, code: Int32)
        public var description: String {
            switch self {
            case let .libopus(call, code): return "Opus encoder: \(call) failed: \(String(cString: opus_strerror(code)))"
            }
        }
    }

    public let channels: Int
    private let encoder: OpaquePointer

    public init(channels: Int = 1, bitrate: Int = 32_000, expectedLossPercent: Int = 5) throws(EncoderError) {
        self.channels = channels
        var err: Int32 = 0
        guard let enc = opus_encoder_create(Int32(Self.sampleRate), Int32(channels), OPUS_APPLICATION_VOIP, &err),
              err == OPUS_OK else { throw .libopus(call: "encoder_create", code: err) }
        encoder = enc
        _ = kiosk_opus_set_bitrate(enc, Int32(bitrate))
        _ = kiosk_opus_set_signal_voice(enc)
        // FEC is only put in the stream when the encoder expects loss, so both settings are needed.
        _ = kiosk_opus_set_inband_fec(enc, 1)
        _ = kiosk_opus_set_packet_loss_perc(enc, Int32(expectedLossPercent))
    }

    deinit { opus_encoder_destroy(encoder) }

    public var inbandFECEnabled: Bool {
        var v: Int32 = 0
        _ = kiosk_opus_get_inband_fec(encoder, &v)
        return v != 0
    }

    /// Encodes one 20 ms block of interleaved samples into one Opus packet.
    public func encode(_ pcm: [Int16]) throws(EncoderError) -> [UInt8] {
        precondition(pcm.count == Self.samplesPerFrame * channels, "20 ms of audio")
        var out = [UInt8](repeating: 0, count: 1275)
        let n = pcm.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                opus_encode(encoder, input.baseAddress!, Int32(Self.samplesPerFrame), output.baseAddress!, Int32(output.count))
            }
        }
        guard n > 0 else { throw .libopus(call: "encode", code: n) }
        out.removeSubrange(Int(n)...)
        return out
    }
}
