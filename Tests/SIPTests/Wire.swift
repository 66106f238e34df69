/// Test helpers: message text written with "\n" line ends goes on the wire with CRLF.
enum Wire {
    static func bytes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for c in text.utf8 {
            if c == 0x0A { out.append(0x0D) }
            out.append(c)
        }
        return out
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The SDP body the RFC 4475 messages carry, with their c=/o= address.
    static func sdp(_ address: String, origin: String? = nil, time: String = "0 0", sessionName: Bool = true) -> String {
        var text = "v=0\no=mhandley 29739 7272939 IN IP4 \(origin ?? address)\n"
        if sessionName { text += "s=-\n" }
        text += "c=IN IP4 \(address)\n"
        if time != "" { text += "t=\(time)\n" }
        text += "m=audio 49217 RTP/AVP 0 12\nm=video 3227 RTP/AVP 31\na=rtpmap:31 LPC\n"
        return text
    }

    /// A typical INVITE as the kiosk sends it: 12 header fields and an Opus/VP8 SDP offer, ~1 KB.
    static let invite = bytes("""
        INVITE sip:support@cc.example.com SIP/2.0
        Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport
        Max-Forwards: 70
        To: "Support" <sip:support@cc.example.com>
        From: "Kiosk 17" <sip:kiosk-17@kiosk.example.com>;tag=1928301774
        Call-ID: a84b4c76e66710@kiosk-17.example.com
        CSeq: 314159 INVITE
        Contact: <sip:kiosk-17@192.0.2.10:5060;transport=udp>
        Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, UPDATE
        Supported: replaces, timer
        User-Agent: kioskd/1.0
        Content-Type: application/sdp
        Content-Length: 549

        v=0
        o=kiosk 2890844526 2890844526 IN IP4 192.0.2.10
        s=-
        c=IN IP4 192.0.2.10
        t=0 0
        m=audio 49170 RTP/SAVPF 111
        a=rtpmap:111 opus/48000/2
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtcp-mux
        a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32
        a=sendrecv
        m=video 49172 RTP/SAVPF 96
        a=rtpmap:96 VP8/90000
        a=rtcp-fb:96 nack
        a=rtcp-fb:96 nack pli
        a=rtcp-fb:96 ccm fir
        a=rtcp-mux
        a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:32
        a=recvonly
        a=content:main

        """)
}
