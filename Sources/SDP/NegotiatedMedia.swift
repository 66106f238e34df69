/// One accepted stream after offer/answer: everything the media layer needs to send and receive.
public struct NegotiatedMedia: Sendable, Hashable {
    /// Position of the m-line in the offer and answer.
    public var index: Int
    public var role: MediaRole?
    public var mediaType: String
    /// The answer's protocol, e.g. `RTP/SAVPF`.
    public var transportProtocol: String
    public var localPort: UInt16
    /// The host of the remote `c=` (media level over session level), without any `/ttl`.
    public var remoteAddress: String
    public var remotePort: UInt16
    /// Where to send RTCP: the RTP address/port with rtcp-mux, else `a=rtcp`, else port + 1.
    public var remoteRTCPAddress: String
    public var remoteRTCPPort: UInt16
    /// Both sides listed `a=rtcp-mux`: RTCP shares the RTP port.
    public var rtcpMux: Bool
    /// The codec, with the clock rate and channels of the kiosk's side.
    public var codec: RTPMap
    /// The payload type to put in packets the kiosk sends (the number the peer listed).
    public var sendPayloadType: UInt8
    /// The payload type the kiosk expects in packets it receives (the number the kiosk listed).
    public var receivePayloadType: UInt8
    /// The peer's `a=fmtp` for that codec, if any.
    public var remoteFormatParameters: FormatParameters?
    /// Feedback both sides listed for the codec.
    public var rtcpFeedback: [RTCPFeedbackType]
    /// The kiosk's direction: `.sendonly` means the kiosk sends and does not receive.
    public var direction: MediaDirection
    /// Nil for plain RTP (only when the policy allows it).
    public var srtp: NegotiatedSRTP?
    /// `a=content` values (RFC 4796), e.g. `["slides"]`.
    public var content: [String]

    public init(
        index: Int, role: MediaRole?, mediaType: String, transportProtocol: String, localPort: UInt16,
        remoteAddress: String, remotePort: UInt16, remoteRTCPAddress: String, remoteRTCPPort: UInt16,
        rtcpMux: Bool, codec: RTPMap, sendPayloadType: UInt8, receivePayloadType: UInt8,
        remoteFormatParameters: FormatParameters?, rtcpFeedback: [RTCPFeedbackType], direction: MediaDirection,
        srtp: NegotiatedSRTP?, content: [String]
    ) {
        self.index = index
        self.role = role
        self.mediaType = mediaType
        self.transportProtocol = transportProtocol
        self.localPort = localPort
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.remoteRTCPAddress = remoteRTCPAddress
        self.remoteRTCPPort = remoteRTCPPort
        self.rtcpMux = rtcpMux
        self.codec = codec
        self.sendPayloadType = sendPayloadType
        self.receivePayloadType = receivePayloadType
        self.remoteFormatParameters = remoteFormatParameters
        self.rtcpFeedback = rtcpFeedback
        self.direction = direction
        self.srtp = srtp
        self.content = content
    }
}
