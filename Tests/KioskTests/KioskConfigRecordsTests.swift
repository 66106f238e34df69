import Kiosk
import Testing

/// The `records` section: where the database is, where records are reported, how long they are kept.
@Suite struct KioskConfigRecordsTests {
    @Test func theDefaultsAreTheStateDirectoryNoEndpointThirtyDaysAndFiveMinutes() throws {
        let config = try KioskConfigTests.parse("{}")
        #expect(config.records.databasePath.hasSuffix("/records.sqlite"))
        #expect(config.records.reportingURL == nil)
        #expect(config.records.retentionDays == 30 && config.records.retryCapSeconds == 300)
        #expect(config.screen.endedScreenSeconds == 8)
    }

    @Test func everyKeyIsRead() throws {
        let config = try KioskConfigTests.parse("""
            { "records": { "database": "/data/kiosk/records.sqlite", "reportingUrl": "https://cc.example.org/v1/interactions",
                           "retentionDays": 7, "retryCapSeconds": 60 },
              "display": { "endedScreenSeconds": 0.5 } }
            """)
        #expect(config.records == RecordsSettings(databasePath: "/data/kiosk/records.sqlite",
                                                  reportingURL: "https://cc.example.org/v1/interactions", retentionDays: 7, retryCapSeconds: 60))
        #expect(config.screen.endedScreenSeconds == 0.5)
    }

    @Test(arguments: [
        (#"{ "records": { "database": "/var/lib/kioskd/" } }"#, "records.database"),
        (#"{ "records": { "reportingUrl": "ftp://cc.example.org/x" } }"#, "records.reportingUrl"),
        (#"{ "records": { "reportingUrl": "not a url" } }"#, "records.reportingUrl"),
        (#"{ "records": { "retentionDays": -1 } }"#, "records.retentionDays"),
        (#"{ "records": { "retryCapSeconds": 0 } }"#, "records.retryCapSeconds"),
        (#"{ "records": { "retry": 5 } }"#, "records.retry"),
        (#"{ "display": { "endedScreenSeconds": 0 } }"#, "display.endedScreenSeconds"),
    ])
    func aBadValueNamesItsKey(json: String, key: String) throws {
        let error = try #require(KioskConfigTests.failure(json))
        #expect(error.key == key, "\(error)")
        print(error)
    }
}
