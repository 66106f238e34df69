import Testing
@testable import KioskCtl

@Test func kioskctlNamesItself() {
    #expect(KioskCtl.configuration.commandName == "kioskctl")
}
