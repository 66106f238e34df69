/// Reassembles VP8 frames from RTP packets delivered in sequence order (reordering is a jitter
/// buffer's job). Any gap in sequence numbers drops the frame it hits: a decoder fed a frame with a
/// hole produces garbage, while a dropped frame only needs a key frame request
/// (`droppedFrameCount` going up is the cue to send PLI).
public struct VP8Depacketizer: Sendable, Hashable {
    /// The frame being assembled; `isBroken` means a packet of it was lost or it never started,
    /// so its remaining packets are swallowed until the frame ends.
    private struct Assembly: Sendable, Hashable {
        var timestamp: UInt32
        var data: [UInt8] = []
        var pictureID: UInt16?
        var isKeyFrame = false
        var isBroken = false
    }

    private var assembly: Assembly?
    private var expectedSequence: UInt16?

    /// Frames discarded because of lost packets, a missing frame start or a bad descriptor.
    public private(set) var droppedFrameCount = 0

    /// Packets missing from forward sequence gaps; any increase means the decoder's references
    /// may be gone, which is also a reason to ask for a key frame.
    public private(set) var lostPacketCount = 0

    /// Frames growing past this are dropped: a peer that never sets the marker or changes the
    /// timestamp must not make the buffer grow without bound.
    public let maxFrameSize: Int

    public init(maxFrameSize: Int = 4 << 20) {
        self.maxFrameSize = maxFrameSize
    }

    /// Feeds one packet; returns the frames it completes (usually none or one; two when a new
    /// timestamp ends a frame whose marker packet never said so and the new packet is itself a
    /// complete frame).
    public mutating func push(_ packet: RTPPacket) -> [VP8Frame] {
        var frames: [VP8Frame] = []
        let gap = expectedSequence.map { Int(packet.sequenceNumber &- $0) } ?? 0
        // Behind the expected number (modulo 2^16): a duplicate or a straggler. Its frame was
        // already finished or dropped, so it is ignored rather than allowed to rewind the state.
        guard gap < 0x8000 else { return [] }
        let inOrder = gap == 0
        lostPacketCount += gap
        expectedSequence = packet.sequenceNumber &+ 1

        if !inOrder {
            // Something between the last packet and this one is gone: whatever frame was open
            // may be missing its middle or its tail, so it cannot be trusted. It stays open
            // (broken) so the rest of its packets are swallowed and it is counted once.
            assembly?.isBroken = true
        }
        if let open = assembly, open.timestamp != packet.timestamp {
            // A new timestamp: the previous frame ended with the previous packet even though its
            // marker was not set (if packets were lost in between, it is already marked broken).
            finishAssembly(into: &frames)
        }

        let parsed = try? VP8PayloadDescriptor.parse(packet.payload)
        if assembly == nil {
            if let (descriptor, length) = parsed, descriptor.startsFrame {
                let data = Array(packet.payload[length...])
                assembly = Assembly(
                    timestamp: packet.timestamp,
                    data: data,
                    pictureID: descriptor.pictureID,
                    isKeyFrame: VP8Frame.isKeyFrame(data)
                )
            } else {
                // Joined mid-frame (or after a loss): drop packets until the next frame starts.
                assembly = Assembly(timestamp: packet.timestamp, isBroken: true)
            }
        } else if let (_, length) = parsed, assembly?.isBroken == false,
                  (assembly?.data.count ?? 0) + packet.payload.count - length <= maxFrameSize {
            assembly?.data.append(contentsOf: packet.payload[length...])
        } else {
            // Bad descriptor, already broken, or too big: keep swallowing, free the buffer.
            assembly?.isBroken = true
            assembly?.data = []
        }

        if packet.marker { finishAssembly(into: &frames) }
        return frames
    }

    /// Forgets any partial frame and the expected sequence number (e.g. after an SSRC change).
    public mutating func reset() {
        assembly = nil
        expectedSequence = nil
    }

    private mutating func finishAssembly(into frames: inout [VP8Frame]) {
        guard let done = assembly else { return }
        assembly = nil
        guard !done.isBroken, !done.data.isEmpty else {
            droppedFrameCount += 1
            return
        }
        frames.append(VP8Frame(data: done.data, pictureID: done.pictureID,
                               isKeyFrame: done.isKeyFrame, rtpTimestamp: done.timestamp))
    }
}
