import Input
import Testing

struct KeyMapTests {
    @Test(arguments: [
        ("KEY_ENTER", 28), ("KEY_SPACE", 57), ("KEY_UP", 103), ("KEY_DOWN", 108), ("KEY_ESC", 1),
        ("KEY_F1", 59), ("KEY_F10", 68), ("KEY_F11", 87), ("KEY_F12", 88), ("KEY_F13", 183), ("KEY_F24", 194),
        ("KEY_1", 2), ("KEY_0", 11), ("KEY_Q", 16), ("KEY_A", 30), ("KEY_L", 38), ("KEY_Z", 44), ("KEY_M", 50),
        ("KEY_OK", 352), ("KEY_SELECT", 353), ("BTN_0", 256), ("BTN_9", 265),
        ("key_enter", 28), (" KEY_ENTER ", 28), ("28", 28), ("0x1c", 28), ("0X1C", 28), ("767", 767),
    ])
    func namesAndNumbersAreCodes(text: String, code: Int) throws {
        #expect(try KeyCode.parse(text) == UInt16(code))
    }

    @Test(arguments: ["", "KEY_NOPE", "ENTER", "0", "-1", "768", "0x300", "99999999999999999999", "0x", "1.5"])
    func whatIsNotAKeyIsRefusedWithWhy(text: String) {
        #expect(throws: KeyMapError.self) { try KeyCode.parse(text) }
        do { _ = try KeyCode.parse(text) } catch {
            #expect(error.description.contains("'\(text)'"), "the error names what was given: \(error)")
        }
    }

    @Test func aCodeHasItsNameBack() {
        #expect(KeyCode.name(of: 28) == "KEY_ENTER")
        #expect(KeyCode.name(of: 103) == "KEY_UP")
        #expect(KeyCode.name(of: 700) == "700")
    }

    @Test func theStandardMap() {
        let map = KeyMap.standard
        #expect(map[28] == .call && map[57] == .call)
        #expect(map[1] == .hangUp && map[103] == .up && map[108] == .down && map[0x160] == .select)
        #expect(map[30] == nil)
        #expect(map.codes(for: .call) == [28, 57])
    }

    @Test func aConfiguredMapTakesNamesAndNumbers() throws {
        let map = try KeyMap([.call: ["KEY_F1", "0x3c"], .hangUp: ["1"], .select: ["KEY_ENTER"]])
        #expect(map[59] == .call && map[60] == .call && map[1] == .hangUp && map[28] == .select)
        #expect(map.codes(for: .up).isEmpty)
    }

    @Test func oneCodeForTwoKeysIsRefused() {
        #expect(throws: KeyMapError.self) { try KeyMap([.call: ["KEY_ENTER"], .select: ["28"]]) }
        do { _ = try KeyMap([.call: ["KEY_ENTER"], .select: ["28"]]) } catch {
            #expect(error.description == "key select: '28': code 28 (KEY_ENTER) already means call")
        }
        #expect(throws: Never.self) { try KeyMap([.call: ["KEY_ENTER", "28"]]) }
    }

    @Test func aBadNameInTheMapNamesTheKey() {
        do { _ = try KeyMap([.hangUp: ["KEY_ESCAPE"]]); Issue.record("accepted KEY_ESCAPE") } catch {
            #expect(error.key == .hangUp && error.description.hasPrefix("key hangUp: 'KEY_ESCAPE': "))
        }
    }

    @Test func keyEventsPrintAsTheTestToolPrintsThem() {
        #expect("\(KeyEvent(key: .call, isPressed: true, time: .milliseconds(12_345)))" == "key call pressed at 12.345")
        #expect("\(KeyEvent(key: .hangUp, isPressed: false, time: .milliseconds(7)))" == "key hangUp released at 0.007")
        #expect("\(KeyEvent(key: .up, isPressed: true, time: .microseconds(1_000_999)))" == "key up pressed at 1.000")
    }

    @Test func deviceSelectors() throws {
        #expect(try EvdevDeviceSelector(parsing: "/dev/input/event3") == .path("/dev/input/event3"))
        #expect(try EvdevDeviceSelector(parsing: "name:USB Call Button") == .name("USB Call Button"))
        #expect(throws: InputError.self) { try EvdevDeviceSelector(parsing: "name:") }
        #expect(throws: InputError.self) { try EvdevDeviceSelector(parsing: "event3") }
    }

    @Test func keyScripts() throws {
        let script = try KeyScript(parsing: "call:press, 50ms, call:release,1.5s,KEY_UP:repeat,0x6c:press")
        #expect(script.steps == [.key(code: 28, value: 1), .pause(.milliseconds(50)), .key(code: 28, value: 0),
                                 .pause(.milliseconds(1500)), .key(code: 103, value: 2), .key(code: 108, value: 1)])
        #expect(script.codes == [28, 103, 108])
        for bad in ["call", "call:push", "nope:press", "50 ms", "call:press,-5ms"] {
            #expect(throws: KeyMapError.self, "\(bad)") { try KeyScript(parsing: bad) }
        }
    }
}
