/// The VP8 payload descriptor at the start of every VP8 RTP payload (RFC 7741 §4.2):
///
///     |X|R|N|S|R| PID |          required
///     |I|L|T|K| RSV   |          if X
///     |M| PictureID   |          if I (a second octet if M)
///     |   TL0PICIDX   |          if L
///     |TID|Y| KEYIDX  |          if T or K
///
/// Optional fields are optionals; the X, I, L, T and K bits follow from which are present.
public struct VP8PayloadDescriptor: Sendable, Hashable {
    /// N: the frame can be discarded without affecting other frames.
    public var isNonReference: Bool
    /// S: this payload starts a VP8 partition.
    public var isStartOfPartition: Bool
    /// PID: the partition index, 0...7 (three bits; masked when serializing).
    public var partitionIndex: UInt8
    /// 7- or 15-bit picture ID (I bit); see `hasLongPictureID`.
    public var pictureID: UInt16?
    /// M: the picture ID is sent in 15 bits (two octets) rather than 7.
    public var hasLongPictureID: Bool
    /// TL0PICIDX (L bit).
    public var tl0PictureIndex: UInt8?
    /// TID, 0...3 (T bit).
    public var temporalLayerIndex: UInt8?
    /// Y: layer sync; only sent when the T/K octet is.
    public var isLayerSync: Bool
    /// KEYIDX, 0...31 (K bit).
    public var keyIndex: UInt8?

    public init(
        isNonReference: Bool = false,
        isStartOfPartition: Bool,
        partitionIndex: UInt8 = 0,
        pictureID: UInt16? = nil,
        hasLongPictureID: Bool = true,
        tl0PictureIndex: UInt8? = nil,
        temporalLayerIndex: UInt8? = nil,
        isLayerSync: Bool = false,
        keyIndex: UInt8? = nil
    ) {
        self.isNonReference = isNonReference
        self.isStartOfPartition = isStartOfPartition
        self.partitionIndex = partitionIndex
        self.pictureID = pictureID
        self.hasLongPictureID = hasLongPictureID
        self.tl0PictureIndex = tl0PictureIndex
        self.temporalLayerIndex = temporalLayerIndex
        self.isLayerSync = isLayerSync
        self.keyIndex = keyIndex
    }

    /// X: the extension octet is present.
    public var hasExtension: Bool {
        pictureID != nil || tl0PictureIndex != nil || temporalLayerIndex != nil || keyIndex != nil
    }

    /// Octets this descriptor takes on the wire.
    public var size: Int {
        guard hasExtension else { return 1 }
        var size = 2
        if pictureID != nil { size += hasLongPictureID ? 2 : 1 }
        if tl0PictureIndex != nil { size += 1 }
        if temporalLayerIndex != nil || keyIndex != nil { size += 1 }
        return size
    }

    /// True for the first packet of a frame: the start of partition 0.
    public var startsFrame: Bool { isStartOfPartition && partitionIndex == 0 }
}
