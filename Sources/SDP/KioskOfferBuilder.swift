/// Builds the kiosk's offer for the INVITE (and re-offers): Opus 111 and VP8 96 over RTP/SAVPF with
/// one SDES key per m-line and rtcp-mux offered. baresip 1.0.0 with `mediaenc=srtp` or `srtp-mandf`
/// accepts it; with `srtp-mand` it takes only RTP/SAVP, hence `.savp`.
public struct KioskOfferBuilder: Sendable, Hashable {
    public var localAddress: String
    public var sessionID: UInt64
    public var sessionVersion: UInt64
    public var sessionName: String
    public var ports: MediaPorts
    public var keys: MediaKeys
    public var profile: MediaProfile
    /// `.recvonly` by default: the customer sees the agent, not the reverse, until the customer
    /// agrees on screen; then `.sendrecv`.
    public var videoDirection: MediaDirection
    public var suite: SRTPCryptoSuite
    /// Adds `a=rtcp-fb:96 goog-remb` for peers that do receiver-side bandwidth estimation.
    public var offerGoogREMB: Bool

    public static let opusPayloadType: UInt8 = 111
    public static let vp8PayloadType: UInt8 = 96
    public static let opusParameters = "minptime=10;useinbandfec=1"
    public static let audioPacketTime: UInt32 = 20

    public init(
        localAddress: String,
        sessionID: UInt64,
        sessionVersion: UInt64 = 1,
        sessionName: String = "kioskd",
        ports: MediaPorts,
        keys: MediaKeys,
        profile: MediaProfile = .savpf,
        videoDirection: MediaDirection = .recvonly,
        suite: SRTPCryptoSuite = .aesCM128HMACSHA1_80,
        offerGoogREMB: Bool = false
    ) {
        self.localAddress = localAddress
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.sessionName = sessionName
        self.ports = ports
        self.keys = keys
        self.profile = profile
        self.videoDirection = videoDirection
        self.suite = suite
        self.offerGoogREMB = offerGoogREMB
    }

    /// Throws when a secure profile lacks a key of the suite's length for an offered m-line.
    public func build() throws(SDESError) -> SessionDescription {
        var media = [try audio()]
        media.append(try video(port: ports.video, key: keys.video, direction: videoDirection, slides: false))
        if let contentPort = ports.content {
            // The kiosk never shares content; it only shows the agent's.
            media.append(try video(port: contentPort, key: keys.content ?? [], direction: .recvonly, slides: true))
        }
        return SessionDescription(
            origin: SDPOrigin(sessionID: sessionID, sessionVersion: sessionVersion, address: localAddress),
            sessionName: sessionName,
            connection: SDPConnection(address: localAddress),
            media: media)
    }

    private func audio() throws(SDESError) -> MediaDescription {
        let map = RTPMap.opus(Self.opusPayloadType)
        var attributes = [
            SDPAttribute("rtpmap", map.attributeValue),
            SDPAttribute("fmtp", FormatParameters(payloadType: Self.opusPayloadType, text: Self.opusParameters).attributeValue),
            SDPAttribute("ptime", String(Self.audioPacketTime)),
            SDPAttribute(MediaDirection.sendrecv.rawValue),
            SDPAttribute("rtcp-mux"),
        ]
        if profile.isSecure { attributes.append(try SDESCrypto.make(tag: 1, suite: suite, keyAndSalt: keys.audio).attribute) }
        return MediaDescription(
            mediaType: "audio", port: ports.audio, transportProtocol: profile.transportProtocol,
            formats: [String(Self.opusPayloadType)], attributes: attributes)
    }

    private func video(port: UInt16, key: [UInt8], direction: MediaDirection, slides: Bool) throws(SDESError) -> MediaDescription {
        let map = RTPMap.vp8(Self.vp8PayloadType)
        var attributes = [SDPAttribute("rtpmap", map.attributeValue)]
        if profile.hasFeedback {
            var feedback: [RTCPFeedbackType] = [.nack, .nackPLI, .ccmFIR]
            if offerGoogREMB { feedback.append(.googREMB) }
            for item in feedback {
                attributes.append(SDPAttribute("rtcp-fb", RTCPFeedback(format: .payloadType(Self.vp8PayloadType), feedback: item).attributeValue))
            }
        }
        if slides { attributes.append(SDPAttribute("content", "slides")) }
        attributes.append(SDPAttribute(direction.rawValue))
        attributes.append(SDPAttribute("rtcp-mux"))
        if profile.isSecure { attributes.append(try SDESCrypto.make(tag: 1, suite: suite, keyAndSalt: key).attribute) }
        return MediaDescription(
            mediaType: "video", port: port, transportProtocol: profile.transportProtocol,
            formats: [String(Self.vp8PayloadType)], attributes: attributes)
    }
}
