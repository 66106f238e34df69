import Kiosk
import Testing

/// A message from the agent that starts with a link is shown as a QR code with its caption.
struct AgentLinkTests {
    @Test func aMessageStartingWithALinkIsALinkWithItsCaption() {
        let form = KioskController.link(in: "https://town.example/forms/moving Anmeldeformular")
        #expect(form?.url == "https://town.example/forms/moving" && form?.caption == "Anmeldeformular")
        let bare = KioskController.link(in: "  http://a.example/x")
        #expect(bare?.url == "http://a.example/x" && bare?.caption == "http://a.example/x")
        #expect(KioskController.link(in: "Bitte sehen Sie https://town.example an") == nil)
        #expect(KioskController.link(in: "Guten Tag") == nil)
    }
}
