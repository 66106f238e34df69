// The kiosk's reaction times: from the call button's press to the INVITE on the wire (through the flow,
// the controller and the call engine), and from the agent's 200 OK to the kiosk's first RTP packet. A
// stand-in agent on a loopback socket receives the INVITE and answers it with an SDP of its own.
import Kiosk
import Logging
import Media
import SIP
#if canImport(Glibc)
import Glibc
#endif

/// A UDP socket bound on 127.0.0.1 (an ephemeral port), polled with a deadline.
struct BenchSocket {
    let fd: Int32
    let port: Int

    init() {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// The next datagram within `millis`, and where it came from.
    func receive(millis: Int32) -> ([UInt8], sockaddr_in)? {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, millis) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let n = withUnsafeMutablePointer(to: &from) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buffer, buffer.count, 0, $0, &length) }
        }
        return n > 0 ? (Array(buffer[0..<n]), from) : nil
    }

    func send(_ bytes: [UInt8], to address: sockaddr_in) {
        var to = address
        _ = withUnsafePointer(to: &to) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    func drain() { while receive(millis: 0) != nil {} }
}

/// `ringMillis`: how long the stand-in agent lets the call ring before its 200 OK (0: at once; the
/// kiosk gets its media ready while the INVITE is out, so an answer at once finds it less ready).
func benchFlow(rounds: Int, ringMillis: Int) async throws {
    let sip = BenchSocket(), audio = BenchSocket(), video = BenchSocket()
    var config = try KioskConfig.parse(Array("""
    { "kiosk": { "id": "KSK-BENCH" }, "camera": { "device": "synthetic", "size": "640x480" },
      "display": { "languages": ["en"] },
      "sip": { "bindAddress": "127.0.0.1", "port": 0, "user": "kiosk", "domain": "127.0.0.1", "mediaTimeoutSeconds": 0 },
      "contactCenter": { "categories": { "general": "sip:agent@127.0.0.1:\(sip.port)" } } }
    """.utf8), file: "benchmark")
    config.logLevel = "error"
    let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    let key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
    var pressToInvite: [Double] = [], okToMedia: [Double] = []
    for _ in 0..<rounds {
        let ua = SIPService.userAgent(config, logger: quiet)
        try await ua.start()
        let engine = CallEngine(config: config, userAgent: ua, logger: quiet)
        await engine.start()
        let controller = KioskController(config: config, engine: engine, presenter: nil, logger: quiet)
        await controller.start()
        let pressed = MonotonicClock.nowNanos()
        await controller.key(.call, .pressed)
        guard let (bytes, from) = sip.receive(millis: 2000), case let .request(invite)? = try? SIPMessageParser.parse(bytes),
              invite.method == .invite else { fatal("no INVITE after the press") }
        pressToInvite.append(Double(MonotonicClock.nowNanos() - pressed) / 1e6)
        await controller.key(.call, .released)
        var ok = SIPResponse(replyingTo: invite, statusCode: 200, toTag: "bench")
        ok.headers.add("Contact", "<sip:agent@127.0.0.1:\(sip.port)>")
        ok.headers.add("Content-Type", "application/sdp")
        ok.body = Array("""
        v=0\r
        o=agent 1 1 IN IP4 127.0.0.1\r
        s=-\r
        c=IN IP4 127.0.0.1\r
        t=0 0\r
        m=audio \(audio.port) RTP/SAVPF 111\r
        a=rtpmap:111 opus/48000/2\r
        a=rtcp-mux\r
        a=sendrecv\r
        a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(key)\r
        m=video \(video.port) RTP/SAVPF 96\r
        a=rtpmap:96 VP8/90000\r
        a=rtcp-mux\r
        a=sendonly\r
        a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(key)\r

        """.utf8)
        ok.headers["Content-Length"] = String(ok.body.count)
        if ringMillis > 0 { usleep(UInt32(ringMillis * 1000)) }
        audio.drain()
        let answeredAt = MonotonicClock.nowNanos()
        sip.send(ok.serialized(), to: from)
        // Only this call's audio counts (from the port its offer named): an earlier call's media may
        // still be ending (its RTCP BYE).
        let offered = String(decoding: invite.body, as: UTF8.self).split(whereSeparator: \.isNewline)
            .first { $0.hasPrefix("m=audio ") }.flatMap { Int($0.split(separator: " ")[1]) }
        var firstMedia: UInt64?
        while firstMedia == nil, MonotonicClock.nowNanos() - answeredAt < 2_000_000_000 {
            guard let (_, from) = audio.receive(millis: 2000) else { break }
            if Int(UInt16(bigEndian: from.sin_port)) == offered { firstMedia = MonotonicClock.nowNanos() }
        }
        guard let firstMedia else { fatal("no RTP after the 200 OK") }
        okToMedia.append(Double(firstMedia - answeredAt) / 1e6)
        await controller.shutdown()
        await engine.stop()
        await ua.stop()
        sip.drain()
        audio.drain()
    }
    pressToInvite.sort()
    okToMedia.sort()
    print("press → INVITE on the wire: median \(fmt(pressToInvite[rounds / 2])) ms, max \(fmt(pressToInvite.last!)) ms (target 20); 200 OK \(ringMillis > 0 ? "after \(ringMillis) ms of ringing" : "at once") → first RTP out: min \(fmt(okToMedia.first!)) median \(fmt(okToMedia[rounds / 2])) ms, max \(fmt(okToMedia.last!)) ms (target 50); \(rounds) calls")
}
