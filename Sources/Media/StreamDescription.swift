import SRTP

/// The SDP (RFC 8866) that describes what the pipeline sends, for a receiver such as ffmpeg or GStreamer
/// to open (`ffmpeg -protocol_whitelist file,udp,rtp -i stream.sdp`). The call's offer/answer SDP is
/// the SDP module's job; this is the one-way description of a technician's test stream. With SRTP keys
/// each stream is `RTP/SAVP` with its `a=crypto` line (RFC 4568), which ffmpeg opens with `srtp` added
/// to the protocol whitelist.
public struct StreamDescription: Sendable, Equatable {
    public var destination: MediaDestination
    public var settings: MediaSettings
    public var sendVideo: Bool
    public var sendAudio: Bool
    public var sessionID: UInt64

    public init(destination: MediaDestination, settings: MediaSettings, sendVideo: Bool = true, sendAudio: Bool = true,
                sessionID: UInt64 = UInt64.random(in: 1...UInt64(Int64.max))) {
        self.destination = destination
        self.settings = settings
        self.sendVideo = sendVideo
        self.sendAudio = sendAudio
        self.sessionID = sessionID
    }

    public var sdp: String {
        let family = destination.host.contains(":") ? "IP6" : "IP4"
        var lines = [
            "v=0",
            "o=kioskd \(sessionID) 1 IN \(family) \(destination.host)",
            "s=kioskd test stream",
            "c=IN \(family) \(destination.host)",
            "t=0 0",
        ]
        let profile = destination.srtp == nil ? "RTP/AVP" : "RTP/SAVP"
        if sendVideo {
            let pt = settings.videoPayloadType
            lines += ["m=video \(destination.videoPort) \(profile) \(pt)"]
            if let keys = destination.srtp { lines.append(SRTPKeys.cryptoAttribute(suite: keys.suite, keyAndSalt: keys.video)) }
            lines += ["a=rtpmap:\(pt) VP8/90000",
                      "a=framerate:\(settings.framesPerSecond)",
                      "a=sendonly"]
            if destination.rtcpMux { lines.append("a=rtcp-mux") }
        }
        if sendAudio {
            let pt = settings.audioPayloadType
            // RFC 7587: always opus/48000/2 in SDP, whatever the encoder's channel count.
            lines += ["m=audio \(destination.audioPort) \(profile) \(pt)"]
            if let keys = destination.srtp { lines.append(SRTPKeys.cryptoAttribute(suite: keys.suite, keyAndSalt: keys.audio)) }
            lines += ["a=rtpmap:\(pt) opus/48000/2",
                      "a=fmtp:\(pt) minptime=10;useinbandfec=1",
                      "a=ptime:20",
                      "a=sendonly"]
            if destination.rtcpMux { lines.append("a=rtcp-mux") }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// Why an SDP's SRTP keys could not be read.
public struct StreamDescriptionError: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension StreamDescription {
    /// The SRTP keys in an SDP such as `sdp` writes: the first `a=crypto` line of the video section and
    /// of the audio section (`TAG SUITE inline:BASE64[|lifetime][|MKI:len]`). A stream that has no
    /// section gets a fresh key (nothing is sent on it with keys anyone else knows); both sections must
    /// use the same suite, and one of them must have a key.
    public static func srtpKeys(in sdp: String) throws(StreamDescriptionError) -> SRTPKeys {
        var media = ""
        var found: [String: (suite: SRTPSuite, key: [UInt8])] = [:]
        // "\r\n" is one Character in Swift: split on newlines of either kind.
        for line in sdp.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("m=") {
                media = String(line.dropFirst(2).prefix { $0 != " " })
                continue
            }
            guard line.hasPrefix("a=crypto:"), found[media] == nil, media == "video" || media == "audio" else { continue }
            let fields = line.dropFirst("a=crypto:".count).split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3 else { throw StreamDescriptionError("\(media): a=crypto line has no key: \(line)") }
            guard let suite = SRTPSuite(name: fields[1]) else {
                throw StreamDescriptionError("\(media): crypto suite \(fields[1]) is not supported (AES_CM_128_HMAC_SHA1_80 or _32)")
            }
            guard fields[2].hasPrefix("inline:") else { throw StreamDescriptionError("\(media): key method is not inline: \(fields[2])") }
            let encoded = fields[2].dropFirst("inline:".count).prefix { $0 != "|" }
            guard let key = Base64.decode(encoded), key.count == SRTPSuite.keyAndSaltLength else {
                throw StreamDescriptionError("\(media): inline key is not base64 of \(SRTPSuite.keyAndSaltLength) bytes")
            }
            found[media] = (suite, key)
        }
        let suites = Set(found.values.map(\.suite))
        guard let suite = suites.first else { throw StreamDescriptionError("no a=crypto line in a video or audio section") }
        guard suites.count == 1 else { throw StreamDescriptionError("video and audio use different crypto suites") }
        return SRTPKeys(suite: suite, video: found["video"]?.key ?? SRTPSuite.randomKeyAndSalt(),
                        audio: found["audio"]?.key ?? SRTPSuite.randomKeyAndSalt())
    }
}
