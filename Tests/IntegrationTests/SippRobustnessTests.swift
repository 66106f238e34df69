import Foundation
import Testing

/// sipp fires a burst of malformed and valid requests at a running kioskd: every malformed request
/// that can be answered gets its 4xx/5xx, garbage gets nothing, every valid one its 200, and the
/// daemon is still up and answering afterwards.
@Suite(.serialized)
struct SippRobustnessTests {
    static let scenario = """
    <?xml version="1.0" encoding="ISO-8859-1" ?>
    <scenario name="kioskd robustness">
      <send><![CDATA[
    OPTIONS sip:kiosk@[remote_ip]:[remote_port] SIP/2.0
    Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
    From: <sip:tester@[local_ip]>;tag=[call_number]
    To: <sip:kiosk@[remote_ip]>
    Call-ID: [call_id]
    CSeq: 1 OPTIONS
    Max-Forwards: 70
    Content-Length: 0

    ]]></send>
      <recv response="200"/>
      <send><![CDATA[
    MESSAGE sip:kiosk@[remote_ip]:[remote_port] SIP/2.0
    Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
    From: <sip:tester@[local_ip]>;tag=[call_number]
    To: <sip:kiosk@[remote_ip]>
    Call-ID: [call_id]
    CSeq: 2 MESSAGE
    Max-Forwards: not-a-number
    Max-Forwards: 70
    Content-Length: 0

    ]]></send>
      <recv response="400"/>
      <send><![CDATA[
    MESSAGE sip:kiosk@[remote_ip]:[remote_port] SIP/2.0
    Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
    From: <sip:tester@[local_ip]>;tag=[call_number]
    To: <sip:kiosk@[remote_ip]>
    Call-ID: [call_id]
    CSeq: 3 MESSAGE
    Max-Forwards: 70
    Content-Type: text/plain
    Content-Length: 400

    too short for its Content-Length
    ]]></send>
      <recv response="400"/>
      <send><![CDATA[
    OPTIONS sip:kiosk@[remote_ip]:[remote_port] SIP/7.0
    Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
    From: <sip:tester@[local_ip]>;tag=[call_number]
    To: <sip:kiosk@[remote_ip]>
    Call-ID: [call_id]
    CSeq: 4 OPTIONS
    Max-Forwards: 70
    Content-Length: 0

    ]]></send>
      <recv response="505"/>
      <send><![CDATA[
    @@@@ not SIP at all [call_number] %%%% ~~~~
    ]]></send>
      <pause milliseconds="5"/>
      <send><![CDATA[
    SIP/2.0 200 OK
    Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
    Content-Length: 0

    ]]></send>
      <send><![CDATA[
    MESSAGE sip:kiosk@[remote_ip]:[remote_port] SIP/2.0
    Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
    From: <sip:tester@[local_ip]>;tag=[call_number]
    To: <sip:kiosk@[remote_ip]>
    Call-ID: [call_id]
    CSeq: 5 MESSAGE
    Max-Forwards: 70
    Content-Type: text/plain;charset=UTF-8
    Content-Length: [len]

    Grüße [call_number]
    ]]></send>
      <recv response="200"/>
    </scenario>
    """

    @Test func aBurstOfMalformedAndValidRequests() throws {
        let dir = try TestEnvironment.temporaryDirectory("sipp")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let kioskPort = try TestEnvironment.freePort()
        try """
        { "kiosk": { "id": "KSK-1" }, "camera": { "device": "synthetic" },
          "sip": { "bindAddress": "127.0.0.1", "port": \(kioskPort), "user": "kiosk", "domain": "127.0.0.1" } }
        """.write(toFile: "\(dir)/kioskd.json", atomically: true, encoding: .utf8)
        try Self.scenario.write(toFile: "\(dir)/burst.xml", atomically: true, encoding: .utf8)
        let daemon = try TestProcess(try TestEnvironment.kioskd(), ["run", "--config", "\(dir)/kioskd.json"], in: dir, name: "kioskd")
        defer { daemon.stop() }
        try #require(TestEnvironment.waitForUDPListener(port: kioskPort, seconds: 10), "kioskd did not listen: \(daemon.stderr)")

        let sippPort = try TestEnvironment.freePort()
        let sipp = try TestProcess("sipp", ["-sf", "burst.xml", "-m", "200", "-r", "200", "-l", "50", "-i", "127.0.0.1",
                                            "-p", String(sippPort), "-timeout", "60s", "-timeout_error", "-nostdin",
                                            "-trace_stat", "-stf", "stats.csv", "127.0.0.1:\(kioskPort)"], in: dir, name: "sipp")
        defer { sipp.stop() }
        let status = sipp.wait(seconds: 90)
        let stats = (try? String(contentsOfFile: "\(dir)/stats.csv", encoding: .utf8)) ?? ""
        print("sipp exit \(String(describing: status)); \(stats.split(separator: "\n").last ?? "")")
        #expect(status == 0, "sipp: \(sipp.stdout.suffix(3000))\n\(sipp.stderr.suffix(2000))")
        #expect(daemon.isRunning, "kioskd died: \(daemon.stderr.suffix(3000))")

        // Still answering afterwards: a second, small round all succeeds.
        let again = try TestProcess("sipp", ["-sf", "burst.xml", "-m", "5", "-r", "5", "-i", "127.0.0.1", "-p", String(sippPort),
                                             "-timeout", "20s", "-timeout_error", "-nostdin", "127.0.0.1:\(kioskPort)"],
                                    in: dir, name: "sipp-again")
        #expect(again.wait(seconds: 30) == 0, "\(again.stdout.suffix(2000))")
        daemon.signal(SIGTERM)
        #expect(daemon.wait(seconds: 10) == 0, "\(daemon.stderr.suffix(2000))")
    }
}
