import Kiosk
import Testing

/// Which keys of a changed configuration the running daemon takes between calls and which wait for a
/// restart; the running configuration gets only the first.
struct ConfigurationChangeTests {
    static let base = """
        { "kiosk": { "id": "K1", "name": "Lobby" }, "log": { "level": "info" },
          "camera": { "device": "synthetic", "fps": 30 }, "sip": { "user": "kiosk", "domain": "example.org" },
          "contactCenter": { "categories": { "loans": "sip:loans@example.org" } },
          "display": { "device": "offscreen:/tmp/x", "languages": ["en", "de"] },
          "fleet": { "certificate": "/c.pem", "key": "/k.pem", "tokens": { "laptop": "\(String(repeating: "ab", count: 32))" } } }
        """

    func config(_ text: String) throws -> KioskConfig {
        try KioskConfig.parse(Array(text.utf8), file: "test.json")
    }

    func change(_ from: String, _ to: String) throws -> ConfigurationChange {
        ConfigurationChange.between(try config(Self.base), try config(Self.base.replacingOccurrences(of: from, with: to)))
    }

    @Test func theSameConfigurationChangesNothing() throws {
        let c = ConfigurationChange.between(try config(Self.base), try config(Self.base))
        #expect(c.isEmpty)
        #expect(c.running == (try config(Self.base)))
    }

    @Test func perCallSettingsAreTakenLive() throws {
        let cases: [(String, String, String)] = [
            (#""name": "Lobby""#, #""name": "Hall""#, "kiosk"),
            (#""level": "info""#, #""level": "debug""#, "log.level"),
            (#""fps": 30"#, #""fps": 15"#, "camera.fps"),
            (#""loans": "sip:loans@example.org""#, #""loans": "sip:credit@example.org""#, "contactCenter.categories"),
            (#""languages": ["en", "de"]"#, #""languages": ["de"]"#, "display.languages"),
            (#""laptop": "#, #""tablet": "#, "fleet.tokens"),
        ]
        for (from, to, key) in cases {
            let c = try change(from, to)
            #expect(c.live == [key], "\(key)")
            #expect(c.needsRestart.isEmpty, "\(key): \(c.needsRestart)")
            #expect(c.running == (try config(Self.base.replacingOccurrences(of: from, with: to))), "\(key)")
        }
    }

    @Test func socketsDevicesAndTheDatabaseWaitForARestart() throws {
        let cases: [(String, String, String)] = [
            (#""domain": "example.org""#, #""domain": "example.org", "port": 5070"#, "sip"),
            (#""offscreen:/tmp/x""#, #""offscreen:/tmp/y""#, "display.device"),
            (#""key": "/k.pem""#, #""key": "/k2.pem""#, "fleet.key"),
            (#""log": { "level": "info" }"#, #""log": { "level": "info" }, "records": { "database": "/tmp/r.sqlite" }"#, "records"),
        ]
        for (from, to, key) in cases {
            let c = try change(from, to)
            #expect(c.needsRestart == [key], "\(key): \(c.needsRestart)")
            #expect(c.live.isEmpty, "\(key)")
            // The running configuration keeps what it started with.
            #expect(c.running == (try config(Self.base)), "\(key)")
        }
    }

    @Test func aMixedChangeTakesOnlyItsLivePart() throws {
        let c = try change(#""name": "Lobby" }"#, #""name": "Hall" }, "input": { "evdev": { "device": "/dev/input/event3" } }"#)
        #expect(c.live == ["kiosk"])
        #expect(c.needsRestart == ["input"])
        #expect(c.running.identity.name == "Hall")
        #expect(c.running.input == (try config(Self.base)).input)
    }

    @Test func addingOrRemovingTheFleetSectionWaitsForARestart() throws {
        let without = try config(#"{ "kiosk": { "id": "K1" } }"#)
        let with = try config(Self.base)
        #expect(ConfigurationChange.between(without, with).needsRestart.contains("fleet"))
        #expect(ConfigurationChange.between(with, without).needsRestart.contains("fleet"))
    }
}
