import Kiosk
import Testing

struct ContextTaggingTests {
    let context = KioskContext(kioskID: "KSK-0412", site: "Zürich HB, Halle Süd", address: "北京市朝阳区建国路 88 号",
                               floor: "EG", latitude: 47.378177, longitude: 8.540192, category: "loans", language: "de",
                               customerID: "C-77;x=1%", requestID: "6f1c2a9e-4b7d-4e8a-9c3f-0d2b1e5a7c44")

    @Test func xHeadersCarryEveryFieldInUTF8() {
        let headers = ContextTagging(userToUser: false).headers(for: context)
        let byName = Dictionary(headers.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(headers.count == 9)
        #expect(byName["X-Kiosk-Id"] == "KSK-0412")
        #expect(byName["X-Kiosk-Site"] == "Zürich HB, Halle Süd")
        #expect(byName["X-Kiosk-Address"] == "北京市朝阳区建国路 88 号")
        #expect(byName["X-Kiosk-Geo"] == "47.378177,8.540192")
        #expect(byName["X-Kiosk-Customer-Id"] == "C-77;x=1%")
        #expect(byName["X-Kiosk-Request-Id"] == "6f1c2a9e-4b7d-4e8a-9c3f-0d2b1e5a7c44")
    }

    @Test func userToUserRoundTripsWithinCiscoSize() throws {
        let tagging = ContextTagging(xHeaders: false, userToUserMaxBytes: 400)
        let headers = tagging.headers(for: context)
        #expect(headers.count == 1 && headers[0].name == "User-to-User")
        #expect(headers[0].value.hasSuffix(";encoding=hex"))
        let decoded = try #require(ContextTagging.decodeUserToUser(headers[0].value))
        #expect(decoded["kioskId"] == "KSK-0412")
        #expect(decoded["site"] == "Zürich HB, Halle Süd")
        #expect(decoded["address"] == "北京市朝阳区建国路 88 号")
        #expect(decoded["customerId"] == "C-77;x=1%")  // separators inside a value survive
        #expect(decoded["geo"] == "47.378177,8.540192")
        #expect(decoded.count == 9)
    }

    @Test func genesysLimitLeavesOutTheLeastImportantFields() throws {
        let tagging = ContextTagging(xHeaders: false, fields: [.kioskID, .category, .language, .requestID, .site, .address],
                                     userToUserMaxBytes: 128)
        let payload = try #require(tagging.userToUserPayload(for: context))
        #expect(payload.count <= 128)
        let decoded = try #require(ContextTagging.decodeUserToUser(tagging.headers(for: context)[0].value))
        // The first four take 86 bytes, the site 28 more (114); the address (43) would pass 128.
        #expect(Set(decoded.keys) == ["kioskId", "category", "lang", "requestId", "site"])
        #expect(payload.count == 114)
    }

    @Test func aFieldTooLongForTheLimitIsCutAtACharacterBoundary() throws {
        let tagging = ContextTagging(xHeaders: false, fields: [.address], userToUserMaxBytes: 20)
        let payload = try #require(tagging.userToUserPayload(for: context))
        // "address=" is 8 bytes; 12 left hold four 3-byte characters exactly.
        #expect(payload.count == 20)
        #expect(String(validating: payload, as: UTF8.self) == "address=北京市朝")
        let odd = ContextTagging(xHeaders: false, fields: [.address], userToUserMaxBytes: 19)
        #expect(String(validating: try #require(odd.userToUserPayload(for: context)), as: UTF8.self) == "address=北京市")
    }

    @Test func emptyFieldsAreNotSentAndOnlyOneUserToUser() {
        let sparse = KioskContext(kioskID: "K1", requestID: "r1")
        let headers = ContextTagging(userToUserPurpose: "isdn-uui").headers(for: sparse)
        #expect(headers.map(\.name) == ["X-Kiosk-Id", "X-Kiosk-Request-Id", "User-to-User"])
        #expect(headers[2].value == "6B696F736B49643D4B313B7265717565737449643D7231;encoding=hex;purpose=isdn-uui")
    }

    @Test func controlCharactersCannotBreakAHeaderLine() {
        var evil = context
        evil.category = "loans\r\nX-Injected: 1"
        let value = ContextTagging(userToUser: false).headers(for: evil).first { $0.name == "X-Kiosk-Category" }?.value
        #expect(value == "loans  X-Injected: 1")
    }

    @Test func badHexIsRejected() {
        #expect(ContextTagging.decodeUserToUser("ABC;encoding=hex") == nil)
        #expect(ContextTagging.decodeUserToUser("ZZ;encoding=hex") == nil)
    }
}
