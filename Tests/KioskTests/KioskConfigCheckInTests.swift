import Control
@testable import Kiosk
import Testing

/// The `checkIn` section: where the kiosk posts its status, how often, with which token and CA.
@Suite struct KioskConfigCheckInTests {
    @Test func withoutTheSectionThereIsNoCheckIn() throws {
        #expect(try KioskConfigTests.parse("{}").checkIn == nil)
    }

    @Test func everyKeyIsReadAndTheIntervalDefaultsToFiveMinutes() throws {
        let config = try KioskConfigTests.parse("""
            { "checkIn": { "url": "https://fleet.example.org/v1/checkin", "intervalSeconds": 60, "token": "t0ken",
                           "caFile": "/etc/kioskd/fleet-ca.pem" } }
            """)
        #expect(config.checkIn == CheckInSettings(url: "https://fleet.example.org/v1/checkin", intervalSeconds: 60, token: "t0ken",
                                                  caFile: "/etc/kioskd/fleet-ca.pem"))
        let plain = try KioskConfigTests.parse(#"{ "checkIn": { "url": "http://10.0.0.5:8080/checkin" } }"#)
        #expect(plain.checkIn == CheckInSettings(url: "http://10.0.0.5:8080/checkin", intervalSeconds: 300, token: nil, caFile: nil))
    }

    @Test(arguments: [
        (#"{ "checkIn": {} }"#, "checkIn.url"),
        (#"{ "checkIn": { "url": "ftp://fleet.example.org/x" } }"#, "checkIn.url"),
        (#"{ "checkIn": { "url": "fleet.example.org" } }"#, "checkIn.url"),
        (#"{ "checkIn": { "url": "https://f.example.org", "intervalSeconds": 0 } }"#, "checkIn.intervalSeconds"),
        (#"{ "checkIn": { "url": "https://f.example.org", "intervalSeconds": 100000 } }"#, "checkIn.intervalSeconds"),
        (#"{ "checkIn": { "url": "https://f.example.org", "token": "" } }"#, "checkIn.token"),
        (#"{ "checkIn": { "url": "https://f.example.org", "token": "a b" } }"#, "checkIn.token"),
        (#"{ "checkIn": { "url": "https://f.example.org", "caFile": "" } }"#, "checkIn.caFile"),
        (#"{ "checkIn": { "url": "http://f.example.org", "caFile": "/ca.pem" } }"#, "checkIn.caFile"),
        (#"{ "checkIn": { "url": "https://f.example.org", "interval": 60 } }"#, "checkIn.interval"),
        (#"{ "checkIn": "https://f.example.org" }"#, "checkIn"),
    ])
    func aBadValueNamesItsKey(json: String, key: String) throws {
        let error = try #require(KioskConfigTests.failure(json))
        #expect(error.key == key, "\(error)")
    }
}

/// The check-in token is a secret: `config show` (and `GET /v1/config`) masks it.
@Suite struct CheckInTokenMaskTests {
    @Test func configShowMasksTheCheckInToken() throws {
        let masked = ControlCommands.masked(try ControlValue(parsing: #"{ "checkIn": { "url": "https://f.example.org", "token": "t0ken" } }"#))
        #expect(masked["checkIn"]?["token"] == "********")
        #expect(masked["checkIn"]?["url"] == "https://f.example.org")
    }
}

/// The check-in's client is made at start: a new `checkIn` section is written and waits for the next start.
@Suite struct CheckInConfigurationChangeTests {
    @Test func aNewCheckInSectionNeedsARestart() throws {
        let old = try KioskConfigTests.parse(#"{ "checkIn": { "url": "https://f.example.org/a", "intervalSeconds": 300 } }"#)
        let new = try KioskConfigTests.parse(#"{ "checkIn": { "url": "https://f.example.org/b", "intervalSeconds": 60 } }"#)
        let change = ConfigurationChange.between(old, new)
        #expect(change.needsRestart == ["checkIn"])
        #expect(change.live.isEmpty)
        #expect(change.running.checkIn == old.checkIn)
    }
}
