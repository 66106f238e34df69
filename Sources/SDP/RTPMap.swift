/// `a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]` (RFC 8866 §6.6).
public struct RTPMap: Sendable, Hashable {
    public var payloadType: UInt8
    /// As written by the peer; compare case-insensitively (`opus`, `VP8`, `PCMU`).
    public var encodingName: String
    public var clockRate: UInt32
    /// Audio channels; nil when the line leaves it out (which means 1).
    public var channels: UInt8?

    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: UInt8? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    public static func opus(_ payloadType: UInt8 = 111) -> RTPMap {
        RTPMap(payloadType: payloadType, encodingName: "opus", clockRate: 48000, channels: 2)
    }

    public static func vp8(_ payloadType: UInt8 = 96) -> RTPMap {
        RTPMap(payloadType: payloadType, encodingName: "VP8", clockRate: 90000)
    }

    /// The same codec: name (case-insensitive), clock rate and channel count (absent = 1).
    public func isSameCodec(as other: RTPMap) -> Bool {
        encodingName.lowercased() == other.encodingName.lowercased() && clockRate == other.clockRate
            && (channels ?? 1) == (other.channels ?? 1)
    }

    /// The attribute value, e.g. `111 opus/48000/2`.
    public var attributeValue: String {
        var text = "\(payloadType) \(encodingName)/\(clockRate)"
        if let channels { text += "/\(channels)" }
        return text
    }

    /// Parses an rtpmap value; nil when malformed (such lines are ignored, not fatal).
    public init?(attributeValue value: String) {
        let fields = SDPText.fields(value)
        guard fields.count == 2, let payloadType = SDPText.decimal(fields[0], as: UInt8.self), payloadType <= 127
        else { return nil }
        let parts = SDPText.components(fields[1], separatedBy: SDPText.slash)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty,
            let clockRate = SDPText.decimal(parts[1], as: UInt32.self)
        else { return nil }
        var channels: UInt8?
        if parts.count == 3 {
            guard let parsed = SDPText.decimal(parts[2], as: UInt8.self) else { return nil }
            channels = parsed
        }
        self.init(payloadType: payloadType, encodingName: String(parts[0]), clockRate: clockRate, channels: channels)
    }

    /// The static payload types (RFC 3551) that peers use without an rtpmap line.
    public static func staticMapping(for payloadType: UInt8) -> RTPMap? {
        switch payloadType {
        case 0: RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000)
        case 8: RTPMap(payloadType: 8, encodingName: "PCMA", clockRate: 8000)
        case 9: RTPMap(payloadType: 9, encodingName: "G722", clockRate: 8000)
        default: nil
        }
    }
}
