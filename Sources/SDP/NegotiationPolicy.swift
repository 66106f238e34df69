/// What the kiosk accepts in an answer, or in an offer it answers.
public struct NegotiationPolicy: Sendable, Hashable {
    /// Reject media without SDES-SRTP: an RTP/AVP(F) line, or a line with no usable crypto.
    public var srtpRequired: Bool
    /// Codecs by role; payload type numbers here are only what the kiosk offers.
    public var audioCodecs: [RTPMap]
    public var videoCodecs: [RTPMap]
    /// Suites accepted from an offer, in preference order (the offer's order decides among them).
    public var suites: [SRTPCryptoSuite]
    /// Feedback the kiosk acts on or sends; others in an offer are not answered.
    public var feedback: [RTCPFeedbackType]

    public init(
        srtpRequired: Bool = true,
        audioCodecs: [RTPMap] = [.opus()],
        videoCodecs: [RTPMap] = [.vp8()],
        suites: [SRTPCryptoSuite] = [.aesCM128HMACSHA1_80, .aesCM128HMACSHA1_32],
        feedback: [RTCPFeedbackType] = [.nack, .nackPLI, .ccmFIR, .googREMB]
    ) {
        self.srtpRequired = srtpRequired
        self.audioCodecs = audioCodecs
        self.videoCodecs = videoCodecs
        self.suites = suites
        self.feedback = feedback
    }

    func codecs(for role: MediaRole) -> [RTPMap] {
        role == .audio ? audioCodecs : videoCodecs
    }

    func allows(_ map: RTPMap, for role: MediaRole?) -> Bool {
        let candidates = role.map(codecs(for:)) ?? (audioCodecs + videoCodecs)
        return candidates.contains { $0.isSameCodec(as: map) }
    }
}
