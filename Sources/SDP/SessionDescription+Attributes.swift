/// Session-level attribute views and the revision helpers used for re-offers.
extension SessionDescription {
    /// The session-level direction, the default for every m-line that has none.
    public var declaredDirection: MediaDirection? { attributes.direction }

    public mutating func setDirection(_ direction: MediaDirection) { attributes.setDirection(direction) }

    /// The connection that applies to a media section: its own `c=`, else the session's.
    public func connection(for media: MediaDescription) -> SDPConnection? { media.connection ?? connection }

    /// The same description as the next revision: `o=` version + 1 (RFC 3264 §8), for a re-offer or
    /// a changed answer in the same dialog.
    public func bumpingVersion() -> SessionDescription {
        var copy = self
        copy.bumpVersion()
        return copy
    }

    public mutating func bumpVersion() { origin.sessionVersion &+= 1 }

    /// True when `other` is the same revision from the same origin, i.e. an unchanged SDP that
    /// RFC 3264 §8 lets the receiver skip (a session refresh re-INVITE).
    public func isSameRevision(as other: SessionDescription) -> Bool {
        origin == other.origin
    }
}
