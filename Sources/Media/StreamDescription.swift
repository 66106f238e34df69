/// The SDP (RFC 8866) that describes what the pipeline sends, for a receiver such as ffmpeg or GStreamer
/// to open (`ffmpeg -protocol_whitelist file,udp,rtp -i stream.sdp`). The call's offer/answer SDP is
/// the SDP module's job; this is the one-way description of a technician's test stream.
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
        if sendVideo {
            let pt = settings.videoPayloadType
            lines += ["m=video \(destination.videoPort) RTP/AVP \(pt)",
                      "a=rtpmap:\(pt) VP8/90000",
                      "a=framerate:\(settings.framesPerSecond)",
                      "a=sendonly"]
            if destination.rtcpMux { lines.append("a=rtcp-mux") }
        }
        if sendAudio {
            let pt = settings.audioPayloadType
            // RFC 7587: always opus/48000/2 in SDP, whatever the encoder's channel count.
            lines += ["m=audio \(destination.audioPort) RTP/AVP \(pt)",
                      "a=rtpmap:\(pt) opus/48000/2",
                      "a=fmtp:\(pt) minptime=10;useinbandfec=1",
                      "a=ptime:20",
                      "a=sendonly"]
            if destination.rtcpMux { lines.append("a=rtcp-mux") }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
