/// RFC 3264 offer/answer for the kiosk: `negotiate` reads the answer to the kiosk's own offer
/// (`OfferAnswer+Negotiate.swift`); `answer` answers an offer from the agent, e.g. a re-INVITE that
/// adds video or content (`OfferAnswer+Answer.swift`).
public enum OfferAnswer {
    /// The role of each m-line: the first audio, the first camera video and the first slides video
    /// get one; every other line gets nil (and is rejected when the kiosk answers).
    static func roles(of session: SessionDescription) -> [MediaRole?] {
        var taken: Set<MediaRole> = []
        return session.media.map { media in
            guard let role = MediaRole(media), !taken.contains(role) else { return nil }
            taken.insert(role)
            return role
        }
    }

    /// Where RTCP goes: the RTP address and port with rtcp-mux, else `a=rtcp`, else port + 1.
    static func rtcpDestination(
        of media: MediaDescription, host: String, mux: Bool
    ) -> (address: String, port: UInt16) {
        if mux { return (host, media.port) }
        if let rtcp = media.rtcp { return (rtcp.connection?.host ?? host, rtcp.port) }
        return (host, media.port == .max ? media.port : media.port + 1)
    }

    static func isRTPTransport(_ media: MediaDescription) -> Bool {
        ["RTP/AVP", "RTP/AVPF", "RTP/SAVP", "RTP/SAVPF"].contains(media.transportProtocol.uppercased())
    }

    /// Feedback kinds in both lists, in the order of `first`, limited to what the policy supports.
    static func commonFeedback(
        _ first: [RTCPFeedbackType], _ second: [RTCPFeedbackType], policy: NegotiationPolicy
    ) -> [RTCPFeedbackType] {
        first.filter { item in
            second.contains { $0.matches(item) } && policy.feedback.contains { $0.matches(item) }
        }
    }
}
