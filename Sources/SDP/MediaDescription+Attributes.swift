/// Typed views of a media section's attributes. Malformed attribute lines are skipped here rather
/// than failing the whole SDP: a peer's odd `a=` line should not end a call that does not need it.
extension MediaDescription {
    public var rtpMaps: [RTPMap] { attributes.values(named: "rtpmap").compactMap(RTPMap.init(attributeValue:)) }

    /// The mapping for a payload type: its rtpmap line, else the RFC 3551 static one.
    public func rtpMap(for payloadType: UInt8) -> RTPMap? {
        rtpMaps.first { $0.payloadType == payloadType } ?? RTPMap.staticMapping(for: payloadType)
    }

    public var formatParameters: [FormatParameters] {
        attributes.values(named: "fmtp").compactMap(FormatParameters.init(attributeValue:))
    }

    public func formatParameters(for payloadType: UInt8) -> FormatParameters? {
        formatParameters.first { $0.payloadType == payloadType }
    }

    public var rtcpFeedback: [RTCPFeedback] {
        attributes.values(named: "rtcp-fb").compactMap(RTCPFeedback.init(attributeValue:))
    }

    /// Feedback kinds that apply to `payloadType` (its own lines and `*` lines), without repeats.
    public func rtcpFeedback(for payloadType: UInt8) -> [RTCPFeedbackType] {
        var result: [RTCPFeedbackType] = []
        for item in rtcpFeedback where item.applies(to: payloadType) {
            if !result.contains(where: { $0.matches(item.feedback) }) { result.append(item.feedback) }
        }
        return result
    }

    /// The media-level direction attribute; see `direction(in:)` for the effective one.
    public var declaredDirection: MediaDirection? { attributes.direction }

    /// Media level, else the session's, else sendrecv (RFC 3264 §5.1).
    public func direction(in session: SessionDescription) -> MediaDirection {
        declaredDirection ?? session.declaredDirection ?? .sendrecv
    }

    public mutating func setDirection(_ direction: MediaDirection) { attributes.setDirection(direction) }

    public var rtcpMux: Bool { attributes.contains(named: "rtcp-mux") }

    public var rtcp: RTCPAddress? { attributes.values(named: "rtcp").lazy.compactMap(RTCPAddress.init(attributeValue:)).first }

    public var mid: String? { attributes.values(named: "mid").first.map { String(SDPText.trimmed($0[...])) } }

    /// `a=content` values (RFC 4796), e.g. `["slides"]`; empty when absent.
    public var content: [String] {
        attributes.values(named: "content").flatMap { value in
            SDPText.components(SDPText.trimmed(value[...]), separatedBy: SDPText.comma)
                .map { String(SDPText.trimmed($0)) }.filter { !$0.isEmpty }
        }
    }

    /// `a=content:slides`: the agent's shared content, not its camera.
    public var isSlides: Bool { content.contains { $0.lowercased() == "slides" } }

    public var label: String? { attributes.values(named: "label").first }

    /// Parseable `a=crypto` lines in order; malformed ones are skipped.
    public var cryptos: [SDESCrypto] {
        attributes.values(named: "crypto").compactMap { try? SDESCrypto(attributeValue: $0) }
    }

    /// Milliseconds of audio per packet; fractional values (`20.0`) are truncated.
    public var ptime: UInt32? { attributes.values(named: "ptime").first.flatMap(Self.milliseconds) }

    public var maxptime: UInt32? { attributes.values(named: "maxptime").first.flatMap(Self.milliseconds) }

    public var framerate: Double? {
        attributes.values(named: "framerate").first.flatMap { Double(String(SDPText.trimmed($0[...]))) }
            .flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
    }

    /// `RTP/SAVP`, `RTP/SAVPF` and the DTLS variants.
    public var isSecureTransport: Bool { transportProtocol.uppercased().contains("SAVP") }

    /// AVPF profiles (RFC 4585), which carry rtcp-fb.
    public var hasFeedbackProfile: Bool { transportProtocol.uppercased().hasSuffix("AVPF") }

    private static func milliseconds(_ text: String) -> UInt32? {
        let (whole, _) = SDPText.split(SDPText.trimmed(text[...]), at: UInt8(ascii: "."))
        return SDPText.decimal(whole, as: UInt32.self)
    }
}
