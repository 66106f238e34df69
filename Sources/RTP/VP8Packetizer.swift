/// Splits encoded VP8 frames into RTP payloads (RFC 7741 §4). Every payload carries a 4-octet
/// descriptor with a 15-bit picture ID, so a receiver can tell frames apart and detect lost ones
/// (and request a key frame) even across timestamp reuse.
public struct VP8Packetizer: Sendable, Hashable {
    /// X + extension octet + two-octet picture ID.
    public static let descriptorSize = 4
    public static let pictureIDMask: UInt16 = 0x7FFF

    /// Largest RTP payload produced, descriptor included. At least `descriptorSize + 1`.
    public let maxPayloadSize: Int
    /// Picture ID the next frame will carry; wraps 0x7FFF → 0.
    public private(set) var nextPictureID: UInt16

    /// `maxPayloadSize` below `descriptorSize + 1` is raised to it: a payload must carry some data.
    public init(maxPayloadSize: Int = 1200, initialPictureID: UInt16) {
        self.maxPayloadSize = max(maxPayloadSize, Self.descriptorSize + 1)
        self.nextPictureID = initialPictureID & Self.pictureIDMask
    }

    /// The payloads for one encoded frame, in order; hand them to `RTPStream.packets(for:timestamp:)`
    /// so the last one gets the marker bit. Fragments are balanced (sizes differ by at most one
    /// octet) rather than max-size-plus-remainder, so no tiny tail packet is sent. An empty frame
    /// gives no payloads and does not use up a picture ID.
    public mutating func payloads(for frame: [UInt8]) -> [[UInt8]] {
        guard !frame.isEmpty else { return [] }
        let pictureID = nextPictureID
        nextPictureID = (nextPictureID &+ 1) & Self.pictureIDMask

        let maxData = maxPayloadSize - Self.descriptorSize
        let fragmentCount = (frame.count + maxData - 1) / maxData
        let baseSize = frame.count / fragmentCount
        let largerCount = frame.count % fragmentCount

        var payloads: [[UInt8]] = []
        payloads.reserveCapacity(fragmentCount)
        var offset = 0
        for index in 0..<fragmentCount {
            let size = baseSize + (index < largerCount ? 1 : 0)
            // The whole frame is sent as partition 0; S marks only the frame's first packet.
            let descriptor = VP8PayloadDescriptor(isStartOfPartition: index == 0, partitionIndex: 0, pictureID: pictureID)
            var payload: [UInt8] = []
            payload.reserveCapacity(Self.descriptorSize + size)
            descriptor.append(to: &payload)
            payload.append(contentsOf: frame[offset..<(offset + size)])
            payloads.append(payload)
            offset += size
        }
        return payloads
    }
}
