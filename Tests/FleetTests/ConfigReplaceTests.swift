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

    func withConfig(_ body: (KioskManagement, String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-replace-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/kioskd.json"
        try Self.original.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try KioskConfig.load(path: path)
        try body(KioskManagement(config: config, configPath: path, version: "test", sipAgent: nil, logger: Logger(label: "test")), path)
    }

    func replace(_ m: KioskManagement, _ text: String, keepFleet: Bool = true) -> Result<ControlValue, KioskManagement.ReplaceError> {
        Result { () throws(KioskManagement.ReplaceError) -> ControlValue in try m.replaceConfig(Array(text.utf8), keepFleet: keepFleet) }
    }

    @Test func refusedConfigurationsChangeNothingAndNameTheKey() throws {
        try withConfig { m, path in
            let cases: [(String, String?)] = [
                (#"{ "kiosk": { "id": "K1" }, "camera": { "fps": 0 }, "fleet": { "certificate": "/c", "key": "/k" } }"#, "camera.fps"),
                (#"{ "kiosk": { "id": "K1" }, "fleet": { "certificate": "/c", "key": "/k", "tokens": { "x": "plain" } } }"#, "fleet.tokens.x"),
                (#"{ "kiosk": { "id": "K1" } }"#, "fleet"),
                (#"{ "kiosk": "#, nil),
            ]
            for (text, key) in cases {
                switch replace(m, text) {
                case .success: Issue.record("accepted \(text)")
                case let .failure(.invalid(error)): #expect(error.key == key, "\(error)")
                case .failure(.notJSON): #expect(key == nil)
                case let .failure(.writeFailed(why)): Issue.record("\(why)")
                }
                #expect((try? String(contentsOfFile: path, encoding: .utf8)) == Self.original)
            }
        }
    }

    @Test func maskedSecretsKeepTheirValue() throws {
        try withConfig { m, path in
            let shown = try m.configShow()["config"]
            #expect(shown?["sip"]?["password"] == "********")
            #expect(shown?["fleet"]?["tokens"] == "********")
            // The shown configuration with a new name goes back: the secrets are the file's, not the mask.
            guard case var .object(pairs)? = shown else { Issue.record("no config"); return }
            let index = try #require(pairs.firstIndex { $0.0 == "kiosk" })
            pairs[index].1 = ["id": "K1", "name": "Lobby North"]
            let result = replace(m, ControlValue.object(pairs).json)
            #expect((try? result.get())?["applies"]?.string?.contains("next start") == true)
            let written = try KioskConfig.load(path: path)
            #expect(written.identity.name == "Lobby North")
            #expect(written.sip.password == "s3cret")
            #expect(written.fleet?.tokens == ["laptop": Self.hash])
        }
    }
}
