import Foundation

/// sipp playing the contact center's side of a call from a scenario (UAS: it waits for the kiosk's
/// INVITE), on a free loopback port, for `calls` calls; stopped by its PID.
final class SippAgent {
    let port: Int
    let process: TestProcess
    let dir: String
    let name: String

    init(scenario: String, name: String, in dir: String, calls: Int, timeout: Int = 60) throws {
        self.dir = dir
        self.name = name
        try scenario.write(toFile: "\(dir)/\(name).xml", atomically: true, encoding: .utf8)
        port = try TestEnvironment.freePort()
        let mediaPort = try TestEnvironment.freeEvenPortBlock()
        process = try TestProcess("sipp", ["-sf", "\(name).xml", "-m", String(calls), "-i", "127.0.0.1", "-p", String(port),
                                           "-mp", String(mediaPort), "-timeout", "\(timeout)s", "-timeout_error", "-nostdin",
                                           "-trace_err", "-trace_msg"], in: dir, name: name)
        guard TestEnvironment.waitForUDPListener(port: port, seconds: 10) else {
            process.stop()
            throw TestSetupError("sipp did not start: \(process.stderr)")
        }
    }

    var uri: String { "sip:agent@127.0.0.1:\(port)" }

    /// Everything sipp said, its errors and the messages it traded, for a failed expectation.
    var report: String {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let logs = files.filter { $0.hasPrefix("\(name)_") && ($0.hasSuffix("_errors.log") || $0.hasSuffix("_messages.log")) }
        let traced = logs.sorted().map { file in
            "\(file):\n" + String(((try? String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8)) ?? "").suffix(6000))
        }
        return "sipp \(name): \(process.stdout.suffix(1500))\n\(process.stderr.suffix(1500))\n" + traced.joined(separator: "\n")
    }

    func stop() { process.stop() }

    /// A 200 OK's, 486's or 503's headers for the INVITE just received (`[last_…]`), with sipp's tag.
    static func response(_ status: String, body: String? = nil) -> String {
        """
          <send><![CDATA[
        SIP/2.0 \(status)
        [last_Via:]
        [last_From:]
        [last_To:];tag=agent[call_number]
        [last_Call-ID:]
        [last_CSeq:]
        Contact: <sip:agent@[local_ip]:[local_port]>
        \(body == nil ? "" : "Content-Type: application/sdp\n")Content-Length: [len]

        \(body ?? "")
        ]]></send>
        """
    }

    /// The 200 OK to the kiosk's BYE.
    static let byeAnswered = """
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
    """

    static func scenario(_ name: String, _ steps: String) -> String {
        """
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="\(name)">
        \(steps)
        </scenario>
        """
    }
}
