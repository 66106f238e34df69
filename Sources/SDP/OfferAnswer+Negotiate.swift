extension OfferAnswer {
    /// Reads `answer` against the kiosk's `offer`, m-line by m-line (matched by index). Rejected
    /// streams (port 0 on either side) come back as nil; audio may not be rejected.
    public static func negotiate(
        offer: SessionDescription, answer: SessionDescription, policy: NegotiationPolicy = NegotiationPolicy()
    ) throws(NegotiationError) -> NegotiatedSession {
        guard offer.media.count == answer.media.count else {
            throw .mediaCountMismatch(offered: offer.media.count, answered: answer.media.count)
        }
        let roles = roles(of: offer)
        var result: [NegotiatedMedia?] = []
        for (index, offered) in offer.media.enumerated() {
            let answered = answer.media[index]
            guard answered.mediaType.lowercased() == offered.mediaType.lowercased() else {
                throw .mediaTypeMismatch(index: index)
            }
            guard offered.port != 0, answered.port != 0 else {
                if roles[index] == .audio { throw .audioRejected }
                result.append(nil)
                continue
            }
            result.append(try negotiateLine(
                index: index, role: roles[index], offered: offered, offer: offer,
                answered: answered, answer: answer, policy: policy))
        }
        guard roles.contains(.audio) else { throw .audioRejected }
        return NegotiatedSession(media: result, remoteOrigin: answer.origin)
    }

    private static func negotiateLine(
        index: Int, role: MediaRole?, offered: MediaDescription, offer: SessionDescription,
        answered: MediaDescription, answer: SessionDescription, policy: NegotiationPolicy
    ) throws(NegotiationError) -> NegotiatedMedia {
        guard isRTPTransport(answered) else { throw .unsupportedTransport(index: index, answered.transportProtocol) }

        // The first payload type in the answer that names a codec the kiosk offered (RFC 3264 §6.1:
        // the answer lists them in the answerer's preference order).
        var chosen: (send: UInt8, receive: UInt8, codec: RTPMap)?
        for payloadType in answered.payloadTypes {
            guard let theirs = answered.rtpMap(for: payloadType) else { continue }
            for ourType in offered.payloadTypes {
                guard let ours = offered.rtpMap(for: ourType), ours.isSameCodec(as: theirs),
                    policy.allows(ours, for: role)
                else { continue }
                chosen = (payloadType, ourType, ours)
                break
            }
            if chosen != nil { break }
        }
        guard let chosen else { throw .noCommonCodec(index: index) }

        let srtp = try answerSRTP(index: index, offered: offered, answered: answered, policy: policy)

        guard let connection = answer.connection(for: answered) else { throw .missingConnection(index: index) }
        let mux = offered.rtcpMux && answered.rtcpMux
        let rtcp = rtcpDestination(of: answered, host: connection.host, mux: mux)
        let offeredDirection = offered.direction(in: offer)
        let answeredDirection = answered.direction(in: answer)
        let content = answered.content.isEmpty ? offered.content : answered.content

        return NegotiatedMedia(
            index: index, role: role, mediaType: offered.mediaType, transportProtocol: answered.transportProtocol,
            localPort: offered.port, remoteAddress: connection.host, remotePort: answered.port,
            remoteRTCPAddress: rtcp.address, remoteRTCPPort: rtcp.port, rtcpMux: mux,
            codec: chosen.codec, sendPayloadType: chosen.send, receivePayloadType: chosen.receive,
            remoteFormatParameters: answered.formatParameters(for: chosen.send),
            rtcpFeedback: commonFeedback(
                offered.rtcpFeedback(for: chosen.receive), answered.rtcpFeedback(for: chosen.send), policy: policy),
            direction: MediaDirection(
                sends: offeredDirection.sends && answeredDirection.receives,
                receives: offeredDirection.receives && answeredDirection.sends),
            srtp: srtp, content: content)
    }

    /// The answer's crypto must carry a tag the kiosk offered, with the suite offered under it
    /// (RFC 4568 §5.1.2); the kiosk's key of that tag is then the one it sends with.
    private static func answerSRTP(
        index: Int, offered: MediaDescription, answered: MediaDescription, policy: NegotiationPolicy
    ) throws(NegotiationError) -> NegotiatedSRTP? {
        let cryptoValues = answered.attributes.values(named: "crypto")
        if policy.srtpRequired, !answered.isSecureTransport { throw .srtpRequired(index: index) }
        guard let value = cryptoValues.first else {
            if policy.srtpRequired { throw .srtpRequired(index: index) }
            if answered.isSecureTransport { throw .badCrypto(index: index, reason: .missing) }
            return nil
        }
        let offeredCryptos = offered.cryptos
        // Crypto in an answer to an offer that had none (plain RTP offer): nothing to pair it with.
        if offeredCryptos.isEmpty, !answered.isSecureTransport, !policy.srtpRequired { return nil }
        let remote: SDESCrypto
        do { remote = try SDESCrypto(attributeValue: value) } catch { throw .badCrypto(index: index, reason: .malformed) }
        guard let local = offeredCryptos.first(where: { $0.tag == remote.tag }) else {
            throw .badCrypto(index: index, reason: .unknownTag(remote.tag))
        }
        guard local.suite == remote.suite, policy.suites.contains(remote.suite) else {
            throw .badCrypto(index: index, reason: .suiteMismatch(remote.suite))
        }
        return NegotiatedSRTP(suite: remote.suite, local: local, remote: remote)
    }
}
