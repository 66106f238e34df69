/// One button's raw level changes in, clean presses and releases out. I/O-free: the caller passes the
/// time of each change (the kernel's stamp) and asks `advance(to:)` at `nextDeadline`.
///
/// A level counts once it has held for `settle` (contact bounce on a mechanical button lasts a few ms,
/// 20-30 ms at worst): a press or release is reported `settle` after the last bounce, stamped with the
/// time of that last change. Changes that come back within `settle` (bounce, a glitch on a GPIO line)
/// report nothing. A key held down reports one press however long it is held (kernel autorepeat is
/// ignored); a release with no press before it (a key held when the reader started) reports nothing.
public struct ButtonDebouncer: Sendable, Equatable {
    /// What one raw change of the button says.
    public enum Level: Sendable, Equatable {
        case released
        case pressed
        /// The kernel's autorepeat of a key held down (evdev value 2): it says nothing new.
        case autorepeat
    }

    public enum Event: Sendable, Equatable {
        case pressed(at: Duration)
        case released(at: Duration)
        /// The button has been held down for `stuckAfter` (held on purpose, stuck, or jammed): said once
        /// per press, so the owner can log it; a release still follows when it comes.
        case heldDown(since: Duration)
    }

    public let settle: Duration
    public let stuckAfter: Duration?

    /// The settled level: down or up.
    public private(set) var isDown: Bool
    /// Down, but that press was never reported (held when the reader started): its release is not either.
    private var downUnreported: Bool
    /// A change to the other level, not yet settled: when it came.
    private var pendingSince: Duration?
    /// When the reported press settled's level began, for the held-down warning; nil once warned.
    private var heldSince: Duration?
    /// The latest time seen: time never runs backwards here even if stamps do.
    private var now: Duration

    /// - Parameters:
    ///   - settle: how long a level must hold to count (at least 0).
    ///   - stuckAfter: when a press has lasted this long, `.heldDown` is reported once; nil: never.
    ///   - initiallyDown: the button is down when reading starts; that press is not reported, nor its release.
    ///   - time: the time reading starts.
    public init(settle: Duration = .milliseconds(25), stuckAfter: Duration? = .seconds(30),
                initiallyDown: Bool = false, at time: Duration = .zero) {
        self.settle = max(settle, .zero)
        self.stuckAfter = stuckAfter
        isDown = initiallyDown
        downUnreported = initiallyDown
        now = time
        heldSince = initiallyDown ? time : nil
    }

    /// When `advance(to:)` has something to report, or nil if nothing is pending.
    public var nextDeadline: Duration? {
        if let pendingSince { return pendingSince + settle }
        if let heldSince, let stuckAfter { return heldSince + stuckAfter }
        return nil
    }

    /// A raw level change at `time`. Reports what settled before it, if anything did.
    public mutating func change(_ level: Level, at time: Duration) -> [Event] {
        var events = advance(to: time)
        let t = now
        switch level {
        case .autorepeat:
            break
        case .pressed, .released:
            let down = level == .pressed
            if down == isDown {
                pendingSince = nil  // back to the settled level within `settle`: a bounce
            } else {
                // A second raw change to the same level (a lost release in between) keeps the first's time.
                if pendingSince == nil { pendingSince = t }
            }
        }
        if settle == .zero { events += advance(to: t) }
        return events
    }

    /// Reports what has settled by `time`: a pending change that held for `settle`, a press held for `stuckAfter`.
    public mutating func advance(to time: Duration) -> [Event] {
        now = max(now, time)
        var events: [Event] = []
        if let since = pendingSince, now - since >= settle {
            pendingSince = nil
            isDown.toggle()
            if isDown {
                events.append(.pressed(at: since))
                heldSince = since
            } else {
                if !downUnreported { events.append(.released(at: since)) }
                downUnreported = false
                heldSince = nil
            }
        }
        // Held down, no change pending: warn once. (A pending release means it is not held.)
        if isDown, pendingSince == nil, let since = heldSince, let stuckAfter, now - since >= stuckAfter {
            heldSince = nil
            events.append(.heldDown(since: since))
        }
        return events
    }
}
