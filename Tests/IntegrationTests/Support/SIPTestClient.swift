import Foundation
import Synchronization
import NIOCore
import SIP
import SIPTransport
import SIPUserAgent

/// Small helpers to drive the kiosk's user agent in tests: a UA on a free loopback port, the
/// registration configuration for a Kamailio, and a second party ("the agent") that sends MESSAGEs
/// through the proxy (answering its 407 like a phone would).
enum SIPTestSupport {
    static func userAgent(logger: LogCollector, timers: SIPTimerValues = SIPTimerValues()) async throws -> SIPUserAgent {
        let ua = SIPUserAgent(configuration: .init(bindHost: "127.0.0.1", bindPort: 0, timers: timers), logger: logger.logger("ua"))
        try await ua.start()
        return ua
    }

    static func peer(_ port: Int, _ kind: SIPTransportKind = .udp) throws -> SIPPeer {
        SIPPeer(kind: kind, address: try SocketAddress(ipAddress: "127.0.0.1", port: port))
    }

    static func registration(ua: SIPUserAgent, kamailioPort: Int, user: String = "kiosk", password: String,
                             expires: UInt32 = 60, seed: UInt64 = 1, transport: SIPTransportKind = .udp) async throws -> SIPRegistration {
        let hostPort = await ua.advertisedHostPort
        let suffix = transport == .udp ? "" : ";transport=\(transport.rawValue.lowercased())"
        let configuration = SIPRegistration.Configuration(
            registrar: try SIPURI(parsing: "sip:127.0.0.1:\(kamailioPort)\(suffix)"),
            addressOfRecord: try SIPURI(parsing: "sip:\(user)@127.0.0.1"),
            contact: try SIPURI(parsing: "sip:\(user)@\(hostPort)\(suffix)"), viaSentBy: hostPort, viaTransport: transport.rawValue,
            credentials: DigestCredentials(username: user, password: password), expires: expires,
            minimumRetry: .seconds(1), maximumRetry: .seconds(4))
        return SIPRegistration(configuration: configuration, tokens: SIPTokenSource(seed: seed))
    }

    /// The kiosk's user agent and its registration with `kamailio`, started.
    static func startRegistration(with kamailio: KamailioPeer, password: String, expires: UInt32 = 60,
                                  transport: SIPTransportKind = .udp, keepAlive: SIPKeepAlive.Configuration? = nil,
                                  logs: LogCollector) async throws -> (SIPUserAgent, SIPRegistrationRunner) {
        let kiosk = try await userAgent(logger: logs)
        let runner = SIPRegistrationRunner(
            registration: try await registration(ua: kiosk, kamailioPort: kamailio.port, password: password, expires: expires,
                                                 transport: transport),
            userAgent: kiosk, registrar: try peer(kamailio.port, transport), keepAlive: keepAlive,
            logger: logs.logger("registration"))
        await runner.start()
        return (kiosk, runner)
    }

    /// Waits for the first state satisfying `predicate`, at most `seconds`.
    static func waitFor(_ runner: SIPRegistrationRunner, seconds: Double,
                        _ predicate: @escaping @Sendable (SIPRegistration.State) -> Bool) async -> SIPRegistration.State? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            let state = await runner.state
            if predicate(state) { return state }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Sends a MESSAGE as `from` through the proxy to `to`, answering one proxy challenge; returns the
    /// final status.
    static func sendMessage(_ text: String, from ua: SIPUserAgent, user: String, password: String, to target: String,
                            proxy: SIPPeer, seed: UInt64) async throws -> Int {
        var tokens = SIPTokenSource(seed: seed)
        let hostPort = await ua.advertisedHostPort
        let callID = tokens.token()
        func request(_ cseq: UInt32, authorization: String?) throws -> SIPRequest {
            var headers = SIPHeaders()
            headers.add("Via", "SIP/2.0/UDP \(hostPort);branch=\(tokens.branch());rport")
            headers.add("Max-Forwards", "70")
            headers.add("From", "<sip:\(user)@127.0.0.1>;tag=\(tokens.token())")
            headers.add("To", "<\(target)>")
            headers.add("Call-ID", callID)
            headers.add("CSeq", "\(cseq) MESSAGE")
            if let authorization { headers.add("Proxy-Authorization", authorization) }
            headers.add("Content-Type", "text/plain;charset=UTF-8")
            return SIPRequest(method: .message, requestURI: try SIPURI(parsing: target), headers: headers, body: Array(text.utf8))
        }
        guard case let .response(first) = await ua.send(try request(1, authorization: nil), to: proxy) else { return 408 }
        guard first.statusCode == 407, let value = first.headers["Proxy-Authenticate"],
              let challenge = try? DigestChallenge(parsing: value) else { return first.statusCode }
        let authorization = DigestCredentials(username: user, password: password)
            .authorization(for: challenge, method: "MESSAGE", uri: target, cnonce: tokens.token(), nonceCount: 1)
        guard case let .response(second) = await ua.send(try request(2, authorization: authorization), to: proxy) else { return 408 }
        return second.statusCode
    }

    /// Answers every MESSAGE (and OPTIONS) at `ua` with 200 for as long as the returned inbox lives,
    /// keeping the texts, so a test can ask what arrived after each send.
    static func answerMessages(at ua: SIPUserAgent) -> MessageInbox {
        let inbox = MessageInbox()
        inbox.task = Task {
            for await incoming in ua.incomingRequests {
                let request = incoming.request
                guard request.method == .message || request.method == .options else { continue }
                await ua.respond(SIPResponse(replyingTo: request, statusCode: 200, toTag: "t1"), to: request)
                if request.method == .message { inbox.append(String(decoding: request.body, as: UTF8.self)) }
            }
        }
        return inbox
    }
}

/// The texts of the MESSAGEs a test's user agent received.
final class MessageInbox: @unchecked Sendable {
    private let texts = Mutex<[String]>([])
    var task: Task<Void, Never>?

    var received: [String] { texts.withLock { $0 } }
    func append(_ text: String) { texts.withLock { $0.append(text) } }

    deinit { task?.cancel() }
}
