import SDP

/// Real-world-shaped SDP bodies and fixed keys, so expected texts stay reviewable.
enum Fixtures {
    static let audioKey = Array(UInt8(0)..<30)
    static let videoKey = Array(UInt8(30)..<60)
    static let contentKey = Array(UInt8(60)..<90)
    static let agentKey = [UInt8](repeating: 0xAA, count: 30)
    static let agentKeyText = "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"

    static let keys = MediaKeys(audio: audioKey, video: videoKey, content: contentKey)

    static func crlf(_ lines: [String]) -> String { lines.map { $0 + "\r\n" }.joined() }

    // The baresip bodies below were captured from baresip 1.0.0 on this machine (the reference agent
    // config, mediaenc=srtp, driven by sipp); only the SDES keys are replaced by `agentKeyText`.

    /// baresip's answer to the kiosk's default offer with `rtcp_mux no` (the reference config):
    /// no a=rtcp-mux, and only `rtcp-fb:* nack pli` for video.
    static let baresipAnswer = crlf([
        "v=0",
        "o=- 3698510247 816768234 IN IP4 127.0.0.1",
        "s=-",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        "a=tool:baresip 1.0.0",
        "m=audio 21078 RTP/SAVPF 111",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 stereo=1;sprop-stereo=1;maxaveragebitrate=28000",
        "a=sendrecv",
        "a=label:1",
        "a=ssrc:811080476 cname:sip:agent@127.0.0.1:5170",
        "a=minptime:20",
        "a=ptime:20",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(agentKeyText)",
        "m=video 21040 RTP/SAVPF 96",
        "a=rtpmap:96 VP8/90000",
        "a=fmtp:96 max-fs=3600",
        "a=sendonly",
        "a=label:2",
        "a=ssrc:3888220682 cname:sip:agent@127.0.0.1:5170",
        "a=framerate:25.00",
        "a=rtcp-fb:* nack pli",
        "a=content:main",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(agentKeyText)",
    ])

    /// The same with `rtcp_mux yes`.
    static let baresipAnswerMux = crlf([
        "v=0",
        "o=- 3698510247 816768234 IN IP4 127.0.0.1",
        "s=-",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        "a=tool:baresip 1.0.0",
        "m=audio 21078 RTP/SAVPF 111",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 stereo=1;sprop-stereo=1;maxaveragebitrate=28000",
        "a=sendrecv",
        "a=label:1",
        "a=ssrc:811080476 cname:sip:agent@127.0.0.1:5170",
        "a=minptime:20",
        "a=ptime:20",
        "a=rtcp-mux",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(agentKeyText)",
        "m=video 21040 RTP/SAVPF 96",
        "a=rtpmap:96 VP8/90000",
        "a=fmtp:96 max-fs=3600",
        "a=sendonly",
        "a=label:2",
        "a=ssrc:3888220682 cname:sip:agent@127.0.0.1:5170",
        "a=framerate:25.00",
        "a=rtcp-fb:* nack pli",
        "a=content:main",
        "a=rtcp-mux",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(agentKeyText)",
    ])

    /// baresip with `mediaenc=srtp-mand` answering the `.savp` fallback offer (it 488s RTP/SAVPF).
    static let baresipAnswerSAVP = crlf([
        "v=0",
        "o=- 3698510247 816768234 IN IP4 127.0.0.1",
        "s=-",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        "a=tool:baresip 1.0.0",
        "m=audio 21078 RTP/SAVP 111",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 stereo=1;sprop-stereo=1;maxaveragebitrate=28000",
        "a=sendrecv",
        "a=label:1",
        "a=ssrc:811080476 cname:sip:agent@127.0.0.1:5170",
        "a=minptime:20",
        "a=ptime:20",
        "a=rtcp-mux",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(agentKeyText)",
        "m=video 21040 RTP/SAVP 96",
        "a=rtpmap:96 VP8/90000",
        "a=fmtp:96 max-fs=3600",
        "a=sendonly",
        "a=label:2",
        "a=ssrc:3888220682 cname:sip:agent@127.0.0.1:5170",
        "a=framerate:25.00",
        "a=rtcp-fb:* nack pli",
        "a=content:main",
        "a=rtcp-mux",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(agentKeyText)",
    ])

    /// baresip's own offer (`dial`), as in an agent-side re-INVITE: best-effort SRTP on RTP/AVP,
    /// Opus on payload type 96, telephone-event, `content:main` on the camera line.
    static let baresipOffer = crlf([
        "v=0",
        "o=- 2846749128 2061285585 IN IP4 127.0.0.1",
        "s=-",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        "a=tool:baresip 1.0.0",
        "m=audio 21072 RTP/AVP 96 101",
        "a=rtpmap:96 opus/48000/2",
        "a=fmtp:96 stereo=1;sprop-stereo=1;maxaveragebitrate=28000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=sendrecv",
        "a=label:1",
        "a=rtcp-rsize",
        "a=ssrc:2734420508 cname:sip:agent@127.0.0.1:5170",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(agentKeyText)",
        "a=minptime:20",
        "a=ptime:20",
        "m=video 21026 RTP/AVP 96",
        "a=rtpmap:96 VP8/90000",
        "a=fmtp:96 max-fs=3600",
        "a=sendrecv",
        "a=label:2",
        "a=rtcp-rsize",
        "a=ssrc:3154464680 cname:sip:agent@127.0.0.1:5170",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(agentKeyText)",
        "a=framerate:25.00",
        "a=rtcp-fb:* nack pli",
        "a=content:main",
    ])

    /// Chrome-shaped (through a gateway that rewrote DTLS to SDES): many attributes, BUNDLE, ssrc
    /// lines, extmap, a trailing blank line and a missing final CRLF on purpose.
    static let chromeStyle = crlf([
        "v=0",
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "a=extmap-allow-mixed",
        "a=msid-semantic: WMS 6a2a3a",
        "m=audio 9 RTP/SAVPF 111 63 9 0 8 13 110 126",
        "c=IN IP4 0.0.0.0",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=ice-ufrag:Kx4u",
        "a=ice-pwd:7XzQ3dCs0B2n/7tVh1kxkH1o",
        "a=ice-options:trickle",
        "a=mid:0",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
        "a=sendrecv",
        "a=msid:6a2a3a 8d1c",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "a=rtcp-fb:111 transport-cc",
        "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:63 red/48000/2",
        "a=fmtp:63 111/111",
        "a=rtpmap:9 G722/8000",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:13 CN/8000",
        "a=rtpmap:110 telephone-event/48000",
        "a=rtpmap:126 telephone-event/8000",
        "a=ssrc:1946542151 cname:N8fCPcO0t0rL1H0G",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(agentKeyText)|2^31|1:1",
        "m=video 9 RTP/SAVPF 96 97 102 103",
        "c=IN IP4 0.0.0.0",
        "b=AS:2500",
        "b=TIAS:2500000",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=mid:1",
        "a=sendrecv",
        "a=rtcp-mux",
        "a=rtcp-rsize",
        "a=rtpmap:96 VP8/90000",
        "a=rtcp-fb:96 goog-remb",
        "a=rtcp-fb:96 transport-cc",
        "a=rtcp-fb:96 ccm fir",
        "a=rtcp-fb:96 nack",
        "a=rtcp-fb:96 nack pli",
        "a=rtpmap:97 rtx/90000",
        "a=fmtp:97 apt=96",
        "a=rtpmap:102 H264/90000",
        "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
        "a=rtpmap:103 rtx/90000",
        "a=fmtp:103 apt=102",
        "a=framerate:29.97",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(agentKeyText)",
        "",
    ]) + "a=ssrc-group:FID 1 2"

    /// IPv6 with LF-only line ends, session-level direction and a media-level c=.
    static let ipv6 = """
        v=0
        o=agent 42 7 IN IP6 2001:db8::1
        s=call
        i=IPv6 session
        u=http://example.com/sdp
        e=ops@example.com (Ops)
        p=+1 617 555 6011
        c=IN IP6 2001:db8::1
        b=CT:1000
        t=2873397496 2873404696
        r=604800 3600 0 90000
        z=2882844526 -1h
        a=recvonly
        m=audio 49170 RTP/AVP 0 8
        i=voice
        c=IN IP6 2001:db8::2
        b=AS:64
        a=ptime:20.0
        m=video 51372/2 RTP/AVP 31
        a=sendrecv
        a=framerate:15
        a=content:slides,main
        a=label:deck
        a=rtcp:53020 IN IP6 2001:db8::3

        """
}
