import Media
import Records

extension CallEngine {
    /// The interaction record's media summary from the call's counters, over the time since the answer:
    /// loss of the agent's packets, the interarrival jitter of the agent's audio (RFC 3550, as the
    /// receive side measured it; nil when no audio came), bitrates both ways, the agent's pictures
    /// decoded per second. Nil before an answer.
    static func quality(_ s: CallMedia.Statistics, since answeredAt: ContinuousClock.Instant?,
                        now: ContinuousClock.Instant = .now) -> InteractionRecord.MediaQuality? {
        guard let answeredAt else { return nil }
        let d = now - answeredAt
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        guard seconds > 0 else { return nil }
        let received = s.audio.packets + s.video.packets
        let lost = s.audio.lost + s.video.lost
        let expected = received + lost
        return InteractionRecord.MediaQuality(
            lossPercent: expected > 0 ? 100 * Double(lost) / Double(expected) : nil,
            jitterMilliseconds: s.audio.jitterMilliseconds,
            receivedKbps: Double(s.audio.bytes + s.video.bytes) * 8 / 1000 / seconds,
            sentKbps: Double(s.send.audioBytes + s.send.videoBytes) * 8 / 1000 / seconds,
            framesPerSecond: s.video.pictures.map { Double($0.framesDecoded) / seconds })
    }
}
