import Control
import Media
import SIP
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
            }
            sip.append(.object(pairs))
        }
        let dnsOK = dns.allSatisfy { $0["ok"]?.bool == true }
        return ["ok": .bool(dnsOK && allAnswered), "dns": .array(dns), "sip": .array(sip)]
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
