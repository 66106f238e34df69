import Media
import SIP
import Synchronization

/// Counts of the engine's calls for /metrics: placed, ended by outcome, and how long each answered call
/// took from the press to the answer. The engine writes, the fleet API reads; a lock, no actor hop,
/// so a scrape never waits behind a call's work.
public final class CallTally: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var placed = 0
        public var answered = 0
        /// Ended calls by outcome: answered (ended after an answer), rejected, noAnswer, failed, cancelled.
        public var ended: [String: Int] = [:]
        public init() {}
    }

    private struct State {
        var snapshot = Snapshot()
        var setupTimes: [Duration] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0.snapshot } }

    /// The setup times recorded since the last call of this (at most the last 1000).
    public func takeSetupTimes() -> [Duration] {
        state.withLock { s in
            defer { s.setupTimes.removeAll() }
            return s.setupTimes
        }
    }

    func placed() { state.withLock { $0.snapshot.placed += 1 } }

    func answered(after setup: Duration) {
        state.withLock { s in
            s.snapshot.answered += 1
            if s.setupTimes.count >= 1000 { s.setupTimes.removeFirst() }
            s.setupTimes.append(setup)
        }
    }

    func ended(_ reason: SIPCallEndReason, answered: Bool) {
        let outcome: String
        switch reason {
        case _ where answered: outcome = "answered"
        case .rejected: outcome = "rejected"
        case .noAnswer: outcome = "noAnswer"
        case .failed: outcome = "failed"
        case .cancelled, .localHangUp, .remoteHangUp: outcome = "cancelled"
        }
        state.withLock { $0.snapshot.ended[outcome, default: 0] += 1 }
    }
}
