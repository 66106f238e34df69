// Out of service: the kiosk cannot take calls (not registered, a device failed, maintenance). A fault
// that appears while a call is under way does not end it (an established call may still work); the
// kiosk goes out of service when the call is over.
extension KioskFlow {
    mutating func faultAppeared(_ fault: ServiceFault) -> [Action] {
        guard !faults.contains(fault) else { return [] }
        faults.append(fault)
        switch state {
        case .idle, .outOfService:
            return enterIdle()
        case .choosingLanguage, .choosingCategory:
            // The customer's call would fail: say so now rather than after the choice.
            return cancel(.choice) + enterIdle()
        case .connecting, .ringing, .queued, .inCall, .ended, .stopped:
            return []
        }
    }

    mutating func faultCleared(_ fault: ServiceFault) -> [Action] {
        guard let index = faults.firstIndex(of: fault) else { return [] }
        faults.remove(at: index)
        guard case .outOfService = state else { return [] }
        return enterIdle()
    }

    static func reason(for faults: [ServiceFault]) -> String {
        faults.map(\.description).joined(separator: "; ")
    }
}
