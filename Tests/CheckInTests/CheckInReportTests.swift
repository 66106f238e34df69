import CheckIn
import Control
import Testing

/// The check-in's body as docs/checkin.md describes it.
struct CheckInReportTests {
    @Test func theReportCarriesTheKioskItsVersionsAndStatus() throws {
        let report = CheckInReport(kiosk: "KSK-1", version: "0.1.0", configVersion: "ab12", status: ["state": "idle"])
        #expect(report.json == ["kiosk": "KSK-1", "version": "0.1.0", "configVersion": "ab12", "status": ["state": "idle"]])
        let unreadable = CheckInReport(kiosk: "KSK-1", version: "0.1.0", configVersion: nil, status: [:])
        #expect(unreadable.json["configVersion"] == .null)
    }

    @Test func aRefusalAndTheLastAppliedVersionAreReported() {
        let report = CheckInReport(kiosk: "KSK-1", version: "0.1.0", configVersion: "ab12", status: [:], appliedServerVersion: "v6",
                                   lastConfigError: ConfigRefusal(field: "camera.fps", message: "500 is out of range 1...120", serverVersion: "v7"))
        #expect(report.json["appliedServerVersion"] == "v6")
        #expect(report.json["lastConfigError"] == ["field": "camera.fps", "message": "500 is out of range 1...120", "configVersion": "v7"])
    }
}
