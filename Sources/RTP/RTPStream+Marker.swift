extension RTPStream {
    /// Which packet of a frame carries the marker bit; its meaning is set by the payload format.
    public enum Marker: Sendable, Hashable {
        /// Video (RFC 7741 §4.1): the last packet of a frame.
        case lastPacket
        /// Audio (RFC 3551 §4.1): the first packet after a silence period (talkspurt start).
        case firstPacket
        /// No marker on any packet, e.g. audio mid-talkspurt.
        case none
    }
}
