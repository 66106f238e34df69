import COpus

/// Opus through libopus for the receive path: any packet the agent's side sends (mono or stereo, 2.5 to
/// 120 ms) decoded to 48 kHz interleaved Int16 with the channel count asked for (mono by default: libopus
/// downmixes a stereo packet itself). A lost packet is rebuilt from the next one's in-band FEC when that
/// one is at hand, or concealed (PLC) when it is not, always for the duration of the packet that went
/// missing, so the playout never has a gap.
///
/// One receive thread owns a decoder: libopus' state is not shared, hence the unchecked Sendable (the
/// decoder is handed to that thread once and used only there).
public final class OpusDecoder: @unchecked Sendable {
    public static let sampleRate = 48_000
    /// The longest packet Opus allows: 120 ms at 48 kHz.
    public static let maxSamplesPerPacket = 5_760
    /// 120 ms at Opus' highest rate (510 kb/s) is 7650 bytes; anything longer is not an Opus packet.
    public static let maxPacketBytes = 7_680

    public enum DecoderError: Error, Equatable, CustomStringConvertible, Sendable {
        case emptyPacket
        case packetTooLong(bytes: Int)
        /// libopus found the packet malformed (its table of contents or frame lengths do not add up).
        case invalidPacket(bytes: Int)
        case libopus(call: String, code: Int32)

        public var description: String {
            switch self {
            case .emptyPacket:
                return "Opus decoder: empty packet"
            case let .packetTooLong(bytes):
                return "Opus decoder: packet of \(bytes) bytes is longer than any Opus packet (\(OpusDecoder.maxPacketBytes))"
            case let .invalidPacket(bytes):
                return "Opus decoder: malformed packet (\(bytes) bytes)"
            case let .libopus(call, code):
                return "Opus decoder: \(call) failed: \(String(cString: opus_strerror(code)))"
            }
        }
    }

    /// What the decoder did so far, for call statistics.
    public struct Statistics: Sendable, Equatable {
        /// Packets decoded as they came.
        public var decoded = 0
        /// Lost packets decoded from the next packet's in-band FEC. (Where that packet carries none,
        /// libopus conceals instead: its encoder leaves FEC out of frames its voice detector hears no
        /// speech in, a steady tone among them.)
        public var recoveredByFEC = 0
        /// Lost packets concealed (PLC) because no next packet was at hand, and refused packets.
        public var concealed = 0
        /// Packets refused (empty, too long, malformed).
        public var rejected = 0
        public init() {}
    }

    public let channels: Int
    public private(set) var statistics = Statistics()
    /// Samples per channel of the last packet decoded: a lost packet is taken to be as long (20 ms until
    /// the first packet says otherwise).
    public private(set) var lastPacketSamples = 960

    private let decoder: OpaquePointer
    private var output: [Int16]

    public init(channels: Int = 1) throws(DecoderError) {
        precondition(channels == 1 || channels == 2, "Opus decodes to mono or stereo")
        self.channels = channels
        var err: Int32 = 0
        guard let dec = opus_decoder_create(Int32(Self.sampleRate), Int32(channels), &err), err == OPUS_OK else {
            throw .libopus(call: "decoder_create", code: err)
        }
        decoder = dec
        output = [Int16](repeating: 0, count: Self.maxSamplesPerPacket * channels)
    }

    deinit { opus_decoder_destroy(decoder) }

    /// The duration of a packet in samples per channel at 48 kHz, read from its table of contents.
    public static func samplesPerChannel(in packet: [UInt8]) throws(DecoderError) -> Int {
        try check(packet)
        let n = packet.withUnsafeBufferPointer { opus_packet_get_nb_samples($0.baseAddress!, Int32($0.count), Int32(sampleRate)) }
        guard n > 0, n <= maxSamplesPerPacket else { throw .invalidPacket(bytes: packet.count) }
        return Int(n)
    }

    /// Decodes one packet that arrived. A refused packet leaves the decoder's state as it was: the caller
    /// conceals its place with `decodeLost(next:)`.
    public func decode(_ packet: [UInt8]) throws(DecoderError) -> [Int16] {
        let samples: Int, pcm: [Int16]
        do {
            samples = try Self.samplesPerChannel(in: packet)
            pcm = try run(packet, samples: samples, fec: false)
        } catch {
            statistics.rejected += 1
            throw error
        }
        statistics.decoded += 1
        lastPacketSamples = samples
        return pcm
    }

    /// Concealment beyond this many packets is left out: libopus' PLC has faded to silence by then, and a
    /// long gap (a stall of the network) is better not replayed late; the speaker fills it with silence.
    public static let maxConcealedPackets = 5

    /// The receive thread's one call for each packet the jitter buffer hands out, `lostBefore` being how
    /// many it gave up on just before this one: the last of those is rebuilt from this packet's FEC, the
    /// others concealed, then the packet itself decoded. Never fails: a packet libopus refuses is
    /// concealed in its place (and counted as rejected), so the audio is as long as what it stands for.
    public func receive(_ packet: [UInt8], lostBefore: Int = 0) -> [Int16] {
        var pcm: [Int16] = []
        let gap = min(lostBefore, Self.maxConcealedPackets)
        if gap > 0 {
            for _ in 1..<gap { pcm += decodeLost() }
            pcm += decodeLost(next: packet)
        }
        if let decoded = try? decode(packet) {
            pcm += decoded
        } else {
            statistics.concealed += 1
            pcm += conceal(samples: lastPacketSamples)
        }
        return pcm
    }

    /// Audio for a packet that never came, as long as the last packet: rebuilt from `next`'s in-band FEC
    /// when the packet after the lost one is at hand (decode `next` itself afterwards, with `decode`),
    /// concealed from the past otherwise. Never fails: a `next` that is unusable falls back to PLC.
    public func decodeLost(next: [UInt8]? = nil) -> [Int16] {
        if let next, (try? Self.samplesPerChannel(in: next)) != nil,
           let pcm = try? run(next, samples: lastPacketSamples, fec: true) {
            statistics.recoveredByFEC += 1
            return pcm
        }
        statistics.concealed += 1
        return conceal(samples: lastPacketSamples)
    }

    /// Packet-loss concealment for `samples` per channel (a multiple of 2.5 ms), e.g. to fill a gap the
    /// jitter buffer reports in samples rather than packets.
    public func conceal(samples: Int) -> [Int16] {
        precondition(samples > 0 && samples <= Self.maxSamplesPerPacket && samples % 120 == 0,
                     "PLC covers 2.5 ms steps up to 120 ms")
        // libopus conceals with a NULL packet; it cannot fail for a valid frame size, but if it ever did
        // the gap is still filled (with silence) so the playout keeps its length.
        return (try? run(nil, samples: samples, fec: false)) ?? [Int16](repeating: 0, count: samples * channels)
    }

    /// Forgets the stream: the sender restarted (a new SSRC, the jitter buffer's restart), so its past
    /// must not be concealed into the new stream's first gap. Statistics are kept.
    public func reset() {
        _ = kiosk_opus_decoder_reset(decoder)
        lastPacketSamples = 960
    }

    private func run(_ packet: [UInt8]?, samples: Int, fec: Bool) throws(DecoderError) -> [Int16] {
        let n: Int32 = output.withUnsafeMutableBufferPointer { out in
            if let packet {
                return packet.withUnsafeBufferPointer { data in
                    opus_decode(decoder, data.baseAddress, Int32(data.count), out.baseAddress!, Int32(samples), fec ? 1 : 0)
                }
            }
            return opus_decode(decoder, nil, 0, out.baseAddress!, Int32(samples), 0)
        }
        guard n >= 0 else {
            if n == OPUS_INVALID_PACKET { throw .invalidPacket(bytes: packet?.count ?? 0) }
            throw .libopus(call: fec ? "decode (FEC)" : "decode", code: n)
        }
        return Array(output[0..<(Int(n) * channels)])
    }

    private static func check(_ packet: [UInt8]) throws(DecoderError) {
        if packet.isEmpty { throw .emptyPacket }
        if packet.count > maxPacketBytes { throw .packetTooLong(bytes: packet.count) }
    }
}
