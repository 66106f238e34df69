extension OfferAnswer {
    /// Answers an offer from the agent (RFC 3264 §6): one m-line per offered m-line, in order.
    /// Accepts Opus for audio and VP8 for video and slides, picks a crypto from the offer's suites,
    /// and rejects (port 0) what the kiosk cannot do. Throws when audio cannot be accepted, so the
    /// caller answers 488 and, for a re-INVITE, keeps the old session.
    ///
    /// Video direction follows the customer's consent: an offered `sendrecv` is answered `sendrecv`
    /// only if `cameraAllowed`, else `recvonly`; `recvonly` becomes `sendonly` if allowed, else
    /// `inactive`. The kiosk never sends slides.
    public static func answer(
        offer: SessionDescription,
        origin: SDPOrigin,
        localAddress: String,
        ports: MediaPorts,
        keys: MediaKeys,
        cameraAllowed: Bool,
        sessionName: String = "kioskd",
        policy: NegotiationPolicy = NegotiationPolicy()
    ) throws(NegotiationError) -> (SessionDescription, NegotiatedSession) {
        let roles = roles(of: offer)
        var answerMedia: [MediaDescription] = []
        var negotiated: [NegotiatedMedia?] = []
        for (index, offered) in offer.media.enumerated() {
            let role = roles[index]
            do throws(NegotiationError) {
                // Lines without a role (a second audio, an application line, ...), lines the
                // offerer disabled and roles the kiosk has no port for are rejected.
                guard let role, offered.port != 0, let port = ports[role] else { throw .audioRejected }
                let (media, result) = try answerLine(
                    index: index, role: role, offered: offered, offer: offer, port: port, keys: keys,
                    cameraAllowed: cameraAllowed, policy: policy)
                answerMedia.append(media)
                negotiated.append(result)
            } catch {
                if role == .audio { throw error }
                answerMedia.append(MediaDescription(
                    mediaType: offered.mediaType, port: 0, transportProtocol: offered.transportProtocol,
                    formats: offered.formats.isEmpty ? ["0"] : offered.formats))
                negotiated.append(nil)
            }
        }
        guard roles.contains(.audio) else { throw .audioRejected }
        let answer = SessionDescription(
            origin: origin, sessionName: sessionName, connection: SDPConnection(address: localAddress), media: answerMedia)
        return (answer, NegotiatedSession(media: negotiated, remoteOrigin: offer.origin))
    }

    /// The kiosk's direction for a stream, from the offerer's direction and the customer's consent.
    public static func answerDirection(role: MediaRole, offered: MediaDirection, cameraAllowed: Bool) -> MediaDirection {
        let mayReceive = offered.sends
        let maySend = offered.receives
        switch role {
        case .audio: return MediaDirection(sends: maySend, receives: mayReceive)
        case .video: return MediaDirection(sends: maySend && cameraAllowed, receives: mayReceive)
        case .content: return MediaDirection(sends: false, receives: mayReceive)
        }
    }

    private static func answerLine(
        index: Int, role: MediaRole, offered: MediaDescription, offer: SessionDescription, port: UInt16,
        keys: MediaKeys, cameraAllowed: Bool, policy: NegotiationPolicy
    ) throws(NegotiationError) -> (MediaDescription, NegotiatedMedia) {
        guard isRTPTransport(offered) else { throw .unsupportedTransport(index: index, offered.transportProtocol) }

        // The first offered payload type (the offerer's preference) that is an allowed codec.
        var chosen: (payloadType: UInt8, theirs: RTPMap, ours: RTPMap)?
        for payloadType in offered.payloadTypes {
            guard let theirs = offered.rtpMap(for: payloadType),
                let ours = policy.codecs(for: role).first(where: { $0.isSameCodec(as: theirs) })
            else { continue }
            chosen = (payloadType, theirs, ours)
            break
        }
        guard let chosen else { throw .noCommonCodec(index: index) }

        let srtp = try offerSRTP(index: index, offered: offered, key: keys[role] ?? [], policy: policy)
        guard let connection = offer.connection(for: offered) else { throw .missingConnection(index: index) }
        let direction = answerDirection(role: role, offered: offered.direction(in: offer), cameraAllowed: cameraAllowed)
        let feedback = offered.hasFeedbackProfile || !offered.rtcpFeedback.isEmpty
            ? commonFeedback(offered.rtcpFeedback(for: chosen.payloadType), policy.feedback, policy: policy) : []
        let mux = offered.rtcpMux
        let rtcp = rtcpDestination(of: offered, host: connection.host, mux: mux)

        // The offer's payload type number is kept (RFC 3264 §6.1 SHOULD), with the offer's rtpmap.
        let codec = RTPMap(
            payloadType: chosen.payloadType, encodingName: chosen.theirs.encodingName,
            clockRate: chosen.theirs.clockRate, channels: chosen.theirs.channels)
        var attributes = [SDPAttribute("rtpmap", codec.attributeValue)]
        if role == .audio {
            attributes.append(SDPAttribute(
                "fmtp", FormatParameters(payloadType: chosen.payloadType, text: KioskOfferBuilder.opusParameters).attributeValue))
        }
        for item in feedback {
            attributes.append(SDPAttribute(
                "rtcp-fb", RTCPFeedback(format: .payloadType(chosen.payloadType), feedback: item).attributeValue))
        }
        if role == .audio { attributes.append(SDPAttribute("ptime", String(KioskOfferBuilder.audioPacketTime))) }
        if let mid = offered.mid { attributes.append(SDPAttribute("mid", mid)) }
        if role == .content { attributes.append(SDPAttribute("content", offered.content.joined(separator: ","))) }
        attributes.append(SDPAttribute(direction.rawValue))
        if mux { attributes.append(SDPAttribute("rtcp-mux")) }
        if let srtp { attributes.append(srtp.local.attribute) }

        let media = MediaDescription(
            mediaType: offered.mediaType, port: port, transportProtocol: offered.transportProtocol,
            formats: [String(chosen.payloadType)], attributes: attributes)
        let result = NegotiatedMedia(
            index: index, role: role, mediaType: offered.mediaType, transportProtocol: offered.transportProtocol,
            localPort: port, remoteAddress: connection.host, remotePort: offered.port,
            remoteRTCPAddress: rtcp.address, remoteRTCPPort: rtcp.port, rtcpMux: mux,
            codec: RTPMap(payloadType: chosen.payloadType, encodingName: chosen.ours.encodingName,
                          clockRate: chosen.ours.clockRate, channels: chosen.ours.channels),
            sendPayloadType: chosen.payloadType, receivePayloadType: chosen.payloadType,
            remoteFormatParameters: offered.formatParameters(for: chosen.payloadType),
            rtcpFeedback: feedback, direction: direction, srtp: srtp, content: offered.content)
        return (media, result)
    }

    /// The first offered crypto whose suite the policy allows and the kiosk has a key for; the answer
    /// reuses its tag (RFC 4568 §5.1.2). An RTP/AVP offer with crypto (baresip's best-effort
    /// `mediaenc=srtp`) is answered with SRTP too.
    private static func offerSRTP(
        index: Int, offered: MediaDescription, key: [UInt8], policy: NegotiationPolicy
    ) throws(NegotiationError) -> NegotiatedSRTP? {
        let cryptos = offered.cryptos
        let usable = cryptos.first { crypto in
            policy.suites.contains(crypto.suite) && crypto.suite.keyAndSaltLength == key.count
        }
        guard let remote = usable else {
            if policy.srtpRequired { throw .srtpRequired(index: index) }
            if offered.isSecureTransport {
                let hasLines = offered.attributes.contains(named: "crypto")
                throw .badCrypto(index: index, reason: hasLines && cryptos.isEmpty ? .malformed : hasLines ? .noLocalKey : .missing)
            }
            return nil
        }
        let local: SDESCrypto
        do { local = try SDESCrypto.make(tag: remote.tag, suite: remote.suite, keyAndSalt: key) } catch {
            throw .badCrypto(index: index, reason: .noLocalKey)
        }
        return NegotiatedSRTP(suite: remote.suite, local: local, remote: remote)
    }
}
