extension KioskFlow {
    /// Takes a changed configuration (languages, categories, timings) between customers: only while
    /// the kiosk is idle or out of service, never while a customer chooses or calls. Returns nil when
    /// it is not the time (the owner offers it again when the flow is back to idle), else what to do:
    /// the screen again, in the kiosk's own (possibly new) first language.
    /// Whether the kiosk waits for its registration stays as it started (that is the SIP side's, which
    /// a restart changes).
    public mutating func reconfigure(_ new: Configuration) -> [Action]? {
        switch state {
        case .idle, .outOfService: break
        default: return nil
        }
        var taken = new
        taken.waitsForRegistration = configuration.waitsForRegistration
        configuration = taken
        language = taken.languages[0]
        return [.setLanguage(language.id), .show(screen(for: state))]
    }
}
