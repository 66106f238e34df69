import RTP

/// The agent's voice from accepted RTP packets to PCM for the speaker: the jitter buffer puts packets
/// back in order at their playout time, Opus decodes them, and a packet that never came is rebuilt from
/// the next one's in-band FEC or concealed (PLC), so what comes out is as long as what was sent. No I/O:
/// the audio receive thread feeds it and hands the PCM to `onAudio` (the speaker's queue).
final class AudioReceiver {
    private var jitterBuffer = JitterBuffer(configuration: .audio)
    private let decoder: OpusDecoder?
    private let onAudio: ([Int16]) -> Void
    /// Packets the jitter buffer gave up on since the last one it handed out.
    private var lostBefore = 0
    private var mediaSSRC: UInt32?
    private(set) var statistics = AudioReceiveStatistics()

    init(onAudio: @escaping ([Int16]) -> Void) {
        decoder = try? OpusDecoder(channels: 1)
        if decoder == nil { statistics.decoderUnavailable = true }
        self.onAudio = onAudio
    }

    func receive(_ packet: RTPPacket, at now: ContinuousClock.Instant) {
        if case .restarted = jitterBuffer.insert(packet, at: now) {
            // A new sender: the decoder's state (and what it would conceal from) belongs to the old one.
            statistics.senderChanges += 1
            lostBefore = 0
            decoder?.reset()
        }
    }

    /// Plays out what is due.
    func poll(at now: ContinuousClock.Instant) {
        for output in jitterBuffer.poll(at: now) {
            switch output {
            case let .packet(packet):
                guard let decoder else { continue }
                let pcm = decoder.receive(packet.payload, lostBefore: lostBefore)
                lostBefore = 0
                statistics.samples += pcm.count
                onAudio(pcm)
            case let .skipped(_, count):
                lostBefore += count
            }
        }
        if let decoder { statistics.decoder = decoder.statistics }
        statistics.jitterBuffer = jitterBuffer.counters
        statistics.playoutDelay = jitterBuffer.currentDelay
    }

    var nextWakeup: ContinuousClock.Instant? { jitterBuffer.nextWakeup }
}

/// How the agent's voice fared on its way to the speaker.
public struct AudioReceiveStatistics: Sendable, Equatable {
    /// 48 kHz mono samples handed to the speaker: decoded, recovered and concealed alike.
    public var samples = 0
    public var decoder = OpusDecoder.Statistics()
    public var jitterBuffer = JitterBuffer.Counters()
    public var playoutDelay: Duration = .zero
    public var senderChanges = 0
    public var decoderUnavailable = false
    public init() {}
}
