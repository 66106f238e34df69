/// The transaction timers of RFC 3261 §17 (Table 4) and RFC 6026 (L, M). Timer C belongs to proxies.
public enum SIPTimer: String, Sendable, Hashable, CaseIterable {
    case a = "A", b = "B", d = "D", e = "E", f = "F", g = "G", h = "H", i = "I", j = "J", k = "K", l = "L", m = "M"
}

/// T1 (round-trip estimate), T2 (longest non-INVITE retransmit interval), T4 (how long the network keeps
/// a message); RFC 3261 §17.1.1.1 defaults.
public struct SIPTimerValues: Sendable, Hashable {
    public var t1: Duration
    public var t2: Duration
    public var t4: Duration

    public init(t1: Duration = .milliseconds(500), t2: Duration = .seconds(4), t4: Duration = .seconds(5)) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
    }

    /// 64 × T1: how long a transaction waits for a final answer (Timers B, F, H, J, L, M).
    public var transactionTimeout: Duration { t1 * 64 }
}
