import Control
import Foundation
import Kiosk
import Logging
import Testing

/// `PUT /v1/config`'s core (KioskManagement.replaceConfig) on a real file: what is refused changes
/// nothing and names the key; masked secrets keep their value.
struct ConfigReplaceTests {
    static let hash = String(repeating: "ab", count: 32)
    static let original = """
        { "kiosk": { "id": "K1", "name": "Lobby" },
          "sip": { "user": "kiosk", "domain": "example.org", "password": "s3cret" },
          "fleet": { "certificate": "/c.pem", "key": "/k.pem", "tokens": { "laptop": "\(hash)" } } }
        """

    func withConfig(managed: Bool = false, _ body: (KioskManagement, String) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-replace-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/kioskd.json"
        try Self.original.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try KioskConfig.load(path: path)
        let live = LiveConfiguration(config, factoryPath: path, managedPath: managed ? "\(dir)/managed.json" : nil)
        try await body(KioskManagement(live: live, version: "test", sipAgent: nil, logger: Logger(label: "test")), path)
    }

    func replace(_ m: KioskManagement, _ text: String, keepFleet: Bool = true) async -> Result<ControlValue, KioskManagement.ReplaceError> {
        do { return .success(try await m.replaceConfig(Array(text.utf8), keepFleet: keepFleet)) } catch { return .failure(error) }
    }

    @Test func refusedConfigurationsChangeNothingAndNameTheKey() async throws {
        try await withConfig { m, path in
            let cases: [(String, String?)] = [
                (#"{ "kiosk": { "id": "K1" }, "camera": { "fps": 0 }, "fleet": { "certificate": "/c", "key": "/k" } }"#, "camera.fps"),
                (#"{ "kiosk": { "id": "K1" }, "fleet": { "certificate": "/c", "key": "/k", "tokens": { "x": "plain" } } }"#, "fleet.tokens.x"),
                (#"{ "kiosk": { "id": "K1" } }"#, "fleet"),
                (#"{ "kiosk": "#, nil),
            ]
            for (text, key) in cases {
                switch await replace(m, text) {
                case .success: Issue.record("accepted \(text)")
                case let .failure(.invalid(error)): #expect(error.key == key, "\(error)")
                case .failure(.notJSON): #expect(key == nil)
                case let .failure(.writeFailed(why)): Issue.record("\(why)")
                }
                #expect((try? String(contentsOfFile: path, encoding: .utf8)) == Self.original)
            }
        }
    }

    @Test func maskedSecretsKeepTheirValue() async throws {
        try await withConfig { m, path in
            let shown = try m.configShow()["config"]
            #expect(shown?["sip"]?["password"] == "********")
            #expect(shown?["fleet"]?["tokens"] == "********")
            // The shown configuration with a new name goes back: the secrets are the file's, not the mask.
            guard case var .object(pairs)? = shown else { Issue.record("no config"); return }
            let index = try #require(pairs.firstIndex { $0.0 == "kiosk" })
            pairs[index].1 = ["id": "K1", "name": "Lobby North"]
            let result = await replace(m, ControlValue.object(pairs).json)
            // The name is read at each call and by the screen: taken at once (no call is in progress).
            #expect((try? result.get())?["applies"] == "now")
            #expect((try? result.get())?["appliedLive"] == ["kiosk"])
            #expect(m.config.identity.name == "Lobby North")
            let written = try KioskConfig.load(path: path)
            #expect(written.identity.name == "Lobby North")
            #expect(written.sip.password == "s3cret")
            #expect(written.fleet?.tokens == ["laptop": Self.hash])
        }
    }

    @Test func aSocketChangeWaitsForTheRestartAndTheRunningConfigurationKeepsTheOldOne() async throws {
        try await withConfig { m, path in
            let text = Self.original.replacingOccurrences(of: #""domain": "example.org""#, with: #""domain": "example.org", "port": 5070"#)
                .replacingOccurrences(of: #""name": "Lobby""#, with: #""name": "Hall""#)
            let result = try await replace(m, text).get()
            #expect(result["appliedLive"] == ["kiosk"])
            #expect(result["needsRestart"] == ["sip"])
            #expect(result["applies"]?.string?.hasPrefix("now; the rest at the next start") == true, "\(result)")
            #expect(m.config.identity.name == "Hall")
            #expect(m.config.sip.port == 5060)
            #expect(try KioskConfig.load(path: path).sip.port == 5070)
        }
    }

    /// Under systemd /etc/kioskd is read-only to the daemon: changes go to the managed file in its
    /// StateDirectory, which is read from then on; the factory file stays as the image shipped it.
    @Test func withAManagedFileTheFactoryFileIsNeverWritten() async throws {
        try await withConfig(managed: true) { m, path in
            let managed = path.replacingOccurrences(of: "kioskd.json", with: "managed.json")
            #expect(m.configPath == path)
            let text = Self.original.replacingOccurrences(of: #""name": "Lobby""#, with: #""name": "Hall""#)
            let result = try await replace(m, text).get()
            #expect(result["path"]?.string == managed)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.original)
            #expect(try KioskConfig.load(path: managed).identity.name == "Hall")
            #expect(try KioskConfig.load(path: managed).sip.password == "s3cret")
            #expect(m.configPath == managed)
            // A damaged managed file does not keep the kiosk down: the factory file is read, and why is said.
            try "{ broken".write(toFile: managed, atomically: true, encoding: .utf8)
            let loaded = try LiveConfiguration.load(factoryPath: path, managedPath: managed)
            #expect(loaded.path == path)
            #expect(loaded.config.identity.name == "Lobby")
            #expect(loaded.problem != nil)
        }
    }
}
