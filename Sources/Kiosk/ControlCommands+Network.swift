import Control
import Media
import SIP
import SIPTransport
import SIPUserAgent
#if canImport(Glibc)
import Glibc
#endif

/// `kioskctl test network`: can the kiosk find and reach the contact center? Each host's name is looked
/// up (DNS, timed), then every entry point gets one SIP OPTIONS (round-trip time; over TLS an answer
/// also means the certificate was accepted against the configured CA and name).
extension ControlCommands {
    /// The SIP URIs a call can go to: the entry points, or without them the targets; and the registrar.
    func networkTargets() -> (endpoints: [String], registrar: String?) {
        let cc = config.contactCenter
        var endpoints = cc.endpoints
        if endpoints.isEmpty {
            endpoints = Array(Set(Array(cc.targets.values) + (cc.defaultTarget.map { [$0] } ?? []))).sorted()
        }
        return (endpoints, config.sip.registrar)
    }

    func testNetwork(_ args: ControlValue) async throws -> ControlValue {
        guard let engine = sipAgent?.engine else {
            throw ControlFailure(.unavailable, "no SIP: the configuration has no sip section")
        }
        let timeout = try Self.double(args, "timeout", default: 3, range: 0.2...30)
        let (endpoints, registrar) = networkTargets()
        guard !endpoints.isEmpty || registrar != nil else {
            throw ControlFailure(.unavailable, "no contact-center endpoints or targets configured (contactCenter in \(configPath))")
        }
        var hosts: [String] = []
        for uri in endpoints + (registrar.map { [$0] } ?? []) {
            if let host = try? SIPURI(parsing: uri).host, !hosts.contains(host) { hosts.append(host) }
        }
        var dns: [ControlValue] = []
        for host in hosts {
            let started = MonotonicClock.nowNanos()
            let result = await Self.onThread { Self.resolve(host) }
            let millis = Double(MonotonicClock.nowNanos() - started) / 1e6
            switch result {
            case let .success(addresses):
                dns.append(["host": .string(host), "ok": true, "addresses": .array(addresses.map { .string($0) }),
                            "ms": .double((millis * 10).rounded() / 10)])
            case let .failure(why):
                dns.append(["host": .string(host), "ok": false, "error": .string(why.description)])
            }
        }
        var sip: [ControlValue] = []
        var allAnswered = true
        for endpoint in endpoints + (registrar.map { [$0] } ?? []) {
            let probe = await engine.probe(endpoint, timeout: .milliseconds(Int(timeout * 1000)))
            var pairs: [(String, ControlValue)] = [("endpoint", .string(endpoint)), ("transport", .string(probe.transport ?? "?"))]
            if let status = probe.status, let rtt = probe.roundTrip {
                let ms = Double(rtt.components.seconds) * 1000 + Double(rtt.components.attoseconds) / 1e15
                pairs += [("ok", true), ("status", .string("\(status) \(probe.reason)")), ("rttMs", .double((ms * 10).rounded() / 10))]
                if probe.transport == "tls" { pairs.append(("tls", "certificate accepted")) }
            } else {
                allAnswered = false
                pairs += [("ok", false), ("error", .string(probe.reason))]
                // The user agent only says it could not reach a TLS peer; the transport says why (the
                // certificate is not from sip.caFile, or not for the name).
                if probe.transport == "tls", let why = await tlsFailure(endpoint) { pairs.append(("tls", .string(why))) }
            }
            sip.append(.object(pairs))
        }
        let dnsOK = dns.allSatisfy { $0["ok"]?.bool == true }
        return ["ok": .bool(dnsOK && allAnswered), "dns": .array(dns), "sip": .array(sip)]
    }

    /// Connects to a TLS endpoint on a transport of its own and returns the handshake's failure (nil when
    /// the certificate was accepted).
    func tlsFailure(_ endpoint: String) async -> String? {
        guard let uri = try? SIPURI(parsing: endpoint), let peer = try? SIPCallRunner.peer(for: uri) else { return nil }
        let layer: SIPTransportLayer
        do {
            layer = try await SIPTransportLayer.bind(host: config.sip.bindAddress, port: 0, trustRoots: config.sip.caFile)
        } catch {
            return "cannot open a TLS check: \(error)"
        }
        var headers = SIPHeaders()
        headers.add("Via", "SIP/2.0/TLS \(config.sip.bindAddress):5061;branch=z9hG4bK-kioskctl-tls;rport")
        headers.add("Max-Forwards", "70")
        headers.add("From", "<sip:\(config.sip.user)@\(config.sip.domain)>;tag=kioskctl")
        headers.add("To", "<\(endpoint)>")
        headers.add("Call-ID", "kioskctl-tls-check@kioskd")
        headers.add("CSeq", "1 OPTIONS")
        let options = SIPRequest(method: .options, requestURI: uri, headers: headers)
        var failure: String?
        do {
            try await layer.send(.request(options), to: peer)
            // A handshake failure can surface on the write after the connection was made.
            try await Task.sleep(for: .milliseconds(300))
            try await layer.send(.request(options), to: peer)
        } catch {
            let text = "\(error)"
            // BoringSSL's words first in plain ones, the details after for whoever reads further.
            failure = text.contains("CERTIFICATE_VERIFY_FAILED")
                ? "certificate refused: not from the CA in sip.caFile (\(config.sip.caFile ?? "none")) or not for the name \(peer.serverName ?? uri.host); \(text)"
                : text
        }
        await layer.close()
        return failure
    }

    struct LookupError: Error, CustomStringConvertible { var description: String }

    /// The host's addresses (getaddrinfo; an address literal comes back as itself).
    static func resolve(_ host: String) -> Result<[String], LookupError> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let name = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let rc = getaddrinfo(name, nil, &hints, &list)
        guard rc == 0, let list else { return .failure(LookupError(description: String(cString: gai_strerror(rc)))) }
        defer { freeaddrinfo(list) }
        var found: [String] = []
        var next: UnsafeMutablePointer<addrinfo>? = list
        while let entry = next {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !found.contains(text) { found.append(text) }
            }
            next = entry.pointee.ai_next
        }
        return .success(found)
    }
}
