import Foundation

/// Small tools several suites need: waiting for a condition, picking log lines, a self-signed TLS
/// certificate for a loopback server, SHA-256 as `sha256sum` prints it (independent of the daemon's code).
extension TestEnvironment {
    /// Polls `condition` until it holds or `seconds` pass; its last answer.
    static func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// The lines of `text` that contain `marker`.
    static func lines(_ text: String, containing marker: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.contains(marker) }
    }

    /// `DIR/NAME.crt` and `DIR/NAME.key`: a P-256 certificate for 127.0.0.1, valid a day, made by openssl.
    static func selfSignedCertificate(in dir: String, name: String) throws -> (certificate: String, key: String) {
        let certificate = "\(dir)/\(name).crt", key = "\(dir)/\(name).key"
        let openssl = try TestProcess(try TestProcess.which("openssl"),
                                      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                       "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=kioskd test \(name)",
                                       "-addext", "subjectAltName=IP:127.0.0.1"], in: dir, name: "openssl-\(name)")
        guard openssl.wait(seconds: 30) == 0 else { throw TestSetupError("openssl: \(openssl.stderr)") }
        return (certificate, key)
    }

    /// SHA-256 hex of a file's bytes, by sha256sum.
    static func sha256sum(file path: String) throws -> String {
        let run = try TestProcess(try TestProcess.which("sha256sum"), [path], in: (path as NSString).deletingLastPathComponent, name: "sha256sum")
        guard run.wait(seconds: 10) == 0 else { throw TestSetupError("sha256sum: \(run.stderr)") }
        return String(run.stdout.prefix(64))
    }

    /// SHA-256 hex of a text's UTF-8 bytes, by sha256sum (a fleet token's hash as the configuration stores it).
    static func sha256sum(text: String) throws -> String {
        let dir = try temporaryDirectory("sha")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: "\(dir)/t", atomically: true, encoding: .utf8)
        return try sha256sum(file: "\(dir)/t")
    }
}
