import CheckIn
import Control
import Testing

/// The check-in answer's decision: what the kiosk does with each kind of answer, with the configuration it has.
struct CheckInAnswerTests {
    static let current: ControlValue = [
        "kiosk": ["id": "KSK-1", "name": "Rathaus"],
        "camera": ["device": "synthetic", "fps": 15],
        "sip": ["user": "kiosk", "password": "s3cret"],
    ]
    static let version = String(repeating: "a", count: 64)

    static func answer(_ status: Int, _ body: String, version: String? = CheckInAnswerTests.version,
                       current: ControlValue? = CheckInAnswerTests.current) -> CheckInAnswer {
        CheckInAnswer(status: status, body: Array(body.utf8), currentVersion: version, currentConfig: current)
    }

    @Test func noContentOrNoConfigIsNothing() {
        #expect(Self.answer(204, "").decision == .nothing)
        #expect(Self.answer(200, "").decision == .nothing)
        #expect(Self.answer(200, " \n").decision == .nothing)
        #expect(Self.answer(200, "{}").decision == .nothing)
        #expect(Self.answer(200, #"{"config": null}"#).decision == .nothing)
        #expect(Self.answer(201, #"{"ok": true}"#).decision == .nothing)
    }

    @Test func aDifferentConfigIsAppliedAsItsJSONWithTheServersVersion() throws {
        let a = Self.answer(200, #"{"configVersion": "v7", "config": {"kiosk": {"id": "KSK-1", "name": "Rathaus Nord"}}}"#)
        guard case let .apply(bytes, serverVersion) = a.decision else {
            Issue.record("expected apply, got \(a.decision)")
            return
        }
        #expect(serverVersion == "v7")
        #expect(try ControlValue(parsing: bytes) == ["kiosk": ["id": "KSK-1", "name": "Rathaus Nord"]])
        // Without a version of the server's own it is applied as well.
        let unversioned = Self.answer(200, #"{"config": {"kiosk": {"name": "Rathaus Nord"}}}"#)
        #expect(unversioned.decision == .apply(config: Array(#"{"kiosk":{"name":"Rathaus Nord"}}"#.utf8), serverVersion: nil))
    }

    @Test func theServerNamingTheKiosksVersionIsNothing() {
        let a = Self.answer(200, #"{"configVersion": "\#(Self.version)", "config": {"kiosk": {"name": "other"}}}"#)
        #expect(a.decision == .nothing)
    }

    @Test func theSameConfigInAnotherOrderOrWithMaskedSecretsIsNothing() {
        // Key order, 15 vs 15.0, and "********" where the file has the password: the same configuration.
        let same = #"""
        {"configVersion": "v8", "config": {"sip": {"password": "********", "user": "kiosk"},
         "camera": {"fps": 15.0, "device": "synthetic"}, "kiosk": {"name": "Rathaus", "id": "KSK-1"}}}
        """#
        #expect(Self.answer(200, same).decision == .nothing)
        // A real new password is a change; so is the mask where the file has no such key.
        let newPassword = #"{"config": {"sip": {"password": "n3w", "user": "kiosk"}, "camera": {"fps": 15, "device": "synthetic"}, "kiosk": {"name": "Rathaus", "id": "KSK-1"}}}"#
        #expect(Self.answer(200, newPassword).decision != .nothing)
        let maskedName = #"{"config": {"sip": {"password": "s3cret", "user": "kiosk"}, "camera": {"fps": 15, "device": "synthetic"}, "kiosk": {"name": "********", "id": "KSK-1"}}}"#
        #expect(Self.answer(200, maskedName).decision != .nothing)
        // A key left out is a change (the daemon would take its default).
        #expect(Self.answer(200, #"{"config": {"kiosk": {"name": "Rathaus", "id": "KSK-1"}}}"#).decision != .nothing)
    }

    @Test func withoutTheCurrentFileAnyConfigIsApplied() {
        let a = Self.answer(200, #"{"config": {"kiosk": {"name": "x"}}}"#, version: nil, current: nil)
        #expect(a.decision == .apply(config: Array(#"{"kiosk":{"name":"x"}}"#.utf8), serverVersion: nil))
    }

    @Test func anUnusableAnswerIsRefusedWithAReason() {
        for (body, reason) in [("{\"config\": ", "not JSON"), ("[1]", "a list, not an object"),
                               (#"{"config": "camera.fps=10"}"#, "config is a string, not an object"),
                               (#"{"configVersion": 7, "config": {}}"#, "configVersion is a number, not a string"),
                               (#"{"nextCheckInSeconds": "soon"}"#, "nextCheckInSeconds is a string, not a number")] {
            let a = Self.answer(200, body)
            guard case let .refuse(why) = a.decision else {
                Issue.record("\(body): expected refuse, got \(a.decision)")
                continue
            }
            #expect(why.contains(reason), "\(body): \(why)")
        }
    }

    @Test func anHTTPErrorIsAFailedAttempt() {
        #expect(Self.answer(401, #"{"error": "unauthorized"}"#).decision == .failed("HTTP 401"))
        #expect(Self.answer(503, "").decision == .failed("HTTP 503"))
        #expect(Self.answer(302, "").decision == .failed("HTTP 302"))
    }

    @Test func theServersNextIntervalIsKeptInRange() {
        #expect(Self.answer(200, #"{"nextCheckInSeconds": 60}"#).nextIntervalSeconds == 60)
        #expect(Self.answer(200, #"{"nextCheckInSeconds": 0}"#).nextIntervalSeconds == 1)
        #expect(Self.answer(200, #"{"nextCheckInSeconds": 1e9}"#).nextIntervalSeconds == 86_400)
        #expect(Self.answer(200, #"{"nextCheckInSeconds": 60}"#).decision == .nothing)
        #expect(Self.answer(204, "").nextIntervalSeconds == nil)
    }
}
