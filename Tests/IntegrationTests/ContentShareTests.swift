import Foundation
import Testing

/// The agent adds shared content mid-call (a re-INVITE with a third m-line, video `a=content:slides`), as
/// contact centers do for co-browsing: sipp plays the agent; the kiosk answers the line with a port of
/// its own, receive-only, keyed, and says on its log (and screen) that content is shared.
@Suite(.serialized)
struct ContentShareTests {
    static let key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"

    static func sdp(content: Bool) -> String {
        var text = """
        v=0
        o=agent 1 \(content ? 2 : 1) IN IP4 [local_ip]
        s=-
        c=IN IP4 [local_ip]
        t=0 0
        m=audio [media_port] RTP/SAVPF 111
        a=rtpmap:111 opus/48000/2
        a=rtcp-mux
        a=sendrecv
        a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(key)
        m=video [media_port+2] RTP/SAVPF 96
        a=rtpmap:96 VP8/90000
        a=rtcp-fb:96 nack pli
        a=rtcp-mux
        a=sendonly
        a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(key)

        """
        if content {
            text += """
            m=video [media_port+4] RTP/SAVPF 96
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 nack pli
            a=content:slides
            a=rtcp-mux
            a=sendonly
            a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(key)

            """
        }
        return text
    }

    static let scenario = """
    <?xml version="1.0" encoding="ISO-8859-1" ?>
    <scenario name="agent shares content">
      <recv request="INVITE" crlf="true">
        <action>
          <ereg regexp=".*" search_in="hdr" header="From:" assign_to="kiosk"/>
          <ereg regexp="&lt;([^&gt;]*)&gt;" search_in="hdr" header="Contact:" assign_to="contact_header,contact"/>
        </action>
      </recv>
      <send><![CDATA[
    SIP/2.0 200 OK
    [last_Via:]
    [last_From:]
    [last_To:];tag=agent[call_number]
    [last_Call-ID:]
    [last_CSeq:]
    Contact: <sip:agent@[local_ip]:[local_port]>
    Content-Type: application/sdp
    Content-Length: [len]

    \(sdp(content: false))
    ]]></send>
      <recv request="ACK"/>
      <pause milliseconds="1500"/>
      <send retrans="500"><![CDATA[
    INVITE [$contact] SIP/2.0
    Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
    From: <sip:agent@[local_ip]>;tag=agent[call_number]
    To: [$kiosk]
    Call-ID: [call_id]
    CSeq: 1 INVITE
    Max-Forwards: 70
    Contact: <sip:agent@[local_ip]:[local_port]>
    Content-Type: application/sdp
    Content-Length: [len]

    \(sdp(content: true))
    ]]></send>
      <recv response="100" optional="true"/>
      <recv response="200" rtd="true">
        <action>
          <ereg regexp="m=video [1-9][0-9]* RTP/SAVPF 96\\r\\n([^m].*\\r\\n)*a=content:slides\\r\\n([^m].*\\r\\n)*a=recvonly" search_in="body" check_it="true" assign_to="content_line"/>
        </action>
      </recv>
      <send><![CDATA[
    ACK [$contact] SIP/2.0
    Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
    From: <sip:agent@[local_ip]>;tag=agent[call_number]
    To: [$kiosk]
    Call-ID: [call_id]
    CSeq: 1 ACK
    Max-Forwards: 70
    Content-Length: 0

    ]]></send>
      <recv request="BYE"/>
      <send><![CDATA[
    SIP/2.0 200 OK
    [last_Via:]
    [last_From:]
    [last_To:]
    [last_Call-ID:]
    [last_CSeq:]
    Content-Length: 0

    ]]></send>
      <Reference variables="content_line,contact_header"/>
    </scenario>
    """

    @Test func theAgentAddsSharedContentAndTheKioskReceivesIt() throws {
        let dir = try TestEnvironment.temporaryDirectory("content-share")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sipp = try SippAgent(scenario: Self.scenario, name: "agent", in: dir, calls: 1, timeout: 40)
        defer { sipp.stop() }
        let agentPort = sipp.port, kioskPort = try TestEnvironment.freePort()
        let config = """
        { "kiosk": { "id": "KSK-CONTENT", "name": "Kiosk" },
          "camera": { "device": "synthetic", "size": "320x240", "fps": 10 },
          "microphone": { "device": "tone:440" },
          "display": { "device": "offscreen:\(dir)/screen" },
          "sip": { "bindAddress": "127.0.0.1", "port": \(kioskPort), "user": "kiosk", "domain": "127.0.0.1" },
          "contactCenter": { "defaultTarget": "sip:agent@127.0.0.1:\(agentPort)" } }
        """
        try config.write(toFile: "\(dir)/kioskd.json", atomically: true, encoding: .utf8)
        let call = try TestProcess(try TestEnvironment.kioskd(), ["call", "--config", "\(dir)/kioskd.json", "--hang-up-after", "4"],
                                   in: dir, name: "kioskd")
        defer { call.stop() }
        #expect(call.wait(seconds: 30) == 0, "kioskd: \(call.stderr.suffix(3000))")
        #expect(sipp.process.wait(seconds: 30) == 0, "\(sipp.report)")
        let log = call.stderr
        #expect(log.contains("call: the agent shares content"), "\(log)")
        #expect(log.contains("call: over: the kiosk hung up"))
    }
}
