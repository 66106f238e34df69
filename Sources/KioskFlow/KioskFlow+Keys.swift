extension KioskFlow {
    /// Which keys are down and whether their presses counted, so a held key does not repeat and a
    /// burst of presses acts once. Debouncing the contacts is the Input layer's; this is about people.
    struct KeyTracker: Sendable, Hashable {
        struct Down: Sendable, Hashable {
            /// When the press began.
            var since: ContinuousClock.Instant
            /// When the key was last reported down (autorepeat refreshes it).
            var lastSeen: ContinuousClock.Instant
            /// Whether the press passed the burst guard and acted.
            var counts: Bool
            /// A long press already acted; its release must not act again.
            var longPressHandled = false
        }

        private(set) var down: [Key: Down] = [:]
        private var lastCountedPress: ContinuousClock.Instant?

        /// Records a press; returns whether it counts (not a repeat of a held key, not part of a burst).
        mutating func press(_ key: Key, at now: ContinuousClock.Instant, configuration: Configuration) -> Bool {
            if var held = down[key] {
                // The same key again without a release: autorepeat, or a stuck key. It counts again
                // only if the key was silent long enough that its release must have been lost.
                guard now - held.lastSeen >= configuration.lostReleaseLimit else {
                    held.lastSeen = now
                    down[key] = held
                    return false
                }
            }
            let counts = lastCountedPress.map { now - $0 >= configuration.pressGuard } ?? true
            down[key] = Down(since: now, lastSeen: now, counts: counts)
            if counts { lastCountedPress = now }
            return counts
        }

        /// Records a release; returns the press it ends, if the key was down.
        mutating func release(_ key: Key) -> Down? {
            down.removeValue(forKey: key)
        }

        mutating func markLongPressHandled(_ key: Key) {
            down[key]?.longPressHandled = true
        }
    }
}
