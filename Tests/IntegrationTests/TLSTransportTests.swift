import Foundation
import NIOCore
import SIP
import SIPTransport
import Testing

/// SIP over TLS against a real TLS server (OpenSSL's s_server with a certificate from a test CA the test
/// makes): the kiosk's REGISTER arrives intact when the CA is the configured one, and the connection is
/// refused, with a clear error, when the certificate is not from the configured CA or not for the name.
@Suite(.serialized)
struct TLSTransportTests {
    /// A CA, and a server certificate for the name localhost signed by it (no IP address in it: NIOSSL
    /// also accepts a certificate naming the address connected to); a second, unrelated CA.
    static func makeCertificates(in dir: String) throws {
        let script = """
        set -e
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj /CN=kioskd-test-ca -days 2 2>/dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other-ca.pem -subj /CN=someone-else -days 2 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost 2>/dev/null
        printf 'subjectAltName=DNS:localhost\\n' > san.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext 2>/dev/null
        """
        try script.write(toFile: "\(dir)/certs.sh", atomically: true, encoding: .utf8)
        let p = try TestProcess("/bin/sh", ["certs.sh"], in: dir, name: "certs")
        guard p.wait(seconds: 60) == 0 else { throw TestSetupError("openssl: \(p.stderr)") }
    }

    static func register(via port: Int, hostPort: String) throws -> SIPRequest {
        var headers = SIPHeaders()
        headers.add("Via", "SIP/2.0/TLS \(hostPort);branch=z9hG4bK-tls-1;rport")
        headers.add("Max-Forwards", "70")
        headers.add("From", "<sips:kiosk@localhost>;tag=t1")
        headers.add("To", "<sips:kiosk@localhost>")
        headers.add("Call-ID", "tls-test@kioskd")
        headers.add("CSeq", "1 REGISTER")
        headers.add("Contact", "<sips:kiosk@\(hostPort)>")
        return SIPRequest(method: .register, requestURI: try SIPURI(parsing: "sips:localhost:\(port)"), headers: headers)
    }

    @Test func aRegisterCrossesTLSToAServerTheConfiguredCAVouchesFor() async throws {
        let dir = try TestEnvironment.temporaryDirectory("tls")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.makeCertificates(in: dir)
        let port = try TestEnvironment.freeTCPPort()
        let server = try TestProcess("openssl", ["s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-cert", "server.pem",
                                                 "-key", "server.key"], in: dir, name: "s_server", keepStdinOpen: true)
        defer { server.stop() }
        try #require(TestEnvironment.waitForTCPListener(port: port, seconds: 10), "s_server: \(server.stderr)")

        let layer = try await SIPTransportLayer.bind(host: "127.0.0.1", port: 0, trustRoots: "\(dir)/ca.pem")
        let peer = SIPPeer(kind: .tls, address: try SocketAddress(ipAddress: "127.0.0.1", port: port))
        let register = try Self.register(via: port, hostPort: "127.0.0.1:\(layer.localUDPAddress.port ?? 0)")
        try await layer.send(.request(register), to: peer, serverName: "localhost")
        let until = Date().addingTimeInterval(5)
        while Date() < until && !server.stdout.contains("CSeq: 1 REGISTER") { try await Task.sleep(for: .milliseconds(50)) }
        #expect(server.stdout.hasPrefix("REGISTER sips:localhost:\(port) SIP/2.0\r\n"), "\(server.stdout)")
        #expect(server.stdout.contains("Via: SIP/2.0/TLS ") && server.stdout.contains("Content-Length: 0"))
        await layer.close()
    }

    @Test(arguments: ["other-ca.pem:localhost", "ca.pem:kiosk.example.org"])
    func aCertificateNotFromTheCAOrNotForTheNameIsRefused(_ setup: String) async throws {
        let (caFile, name) = (String(setup.split(separator: ":")[0]), String(setup.split(separator: ":")[1]))
        let dir = try TestEnvironment.temporaryDirectory("tls-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.makeCertificates(in: dir)
        let port = try TestEnvironment.freeTCPPort()
        let server = try TestProcess("openssl", ["s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-cert", "server.pem",
                                                 "-key", "server.key"], in: dir, name: "s_server", keepStdinOpen: true)
        defer { server.stop() }
        try #require(TestEnvironment.waitForTCPListener(port: port, seconds: 10))
        let layer = try await SIPTransportLayer.bind(host: "127.0.0.1", port: 0, trustRoots: "\(dir)/\(caFile)")
        let peer = SIPPeer(kind: .tls, address: try SocketAddress(ipAddress: "127.0.0.1", port: port))
        let register = try Self.register(via: port, hostPort: "127.0.0.1:5061")
        var failure = ""
        do {
            try await layer.send(.request(register), to: peer, serverName: name)
            // A handshake failure can surface on the write after the connection was made.
            try await Task.sleep(for: .milliseconds(500))
            try await layer.send(.request(register), to: peer, serverName: name)
        } catch {
            failure = "\(error)"
        }
        print("\(caFile) for \(name): \(failure)")
        #expect(failure.contains("tls:127.0.0.1:\(port)"), "no error naming the peer: '\(failure)'")
        #expect(failure.contains("TLS: ") && failure.lowercased().contains("certificate"), "the error does not say why: '\(failure)'")
        #expect(!server.stdout.contains("REGISTER"), "the REGISTER crossed an untrusted TLS connection")
        await layer.close()
    }
}
