/// The `o=` line: who made the session and which revision of it this is (RFC 8866 §5.2).
public struct SDPOrigin: Sendable, Hashable {
    /// `-` when the host has no user concept, as most SIP endpoints send.
    public var username: String
    public var sessionID: UInt64
    /// Must grow with every changed SDP sent in the same dialog (RFC 3264 §8).
    public var sessionVersion: UInt64
    public var networkType: String
    public var addressType: String
    public var address: String

    public init(
        username: String = "-",
        sessionID: UInt64,
        sessionVersion: UInt64,
        networkType: String = "IN",
        addressType: String,
        address: String
    ) {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// An `IN IP4`/`IN IP6` origin, the address type chosen from the address's shape.
    public init(username: String = "-", sessionID: UInt64, sessionVersion: UInt64, address: String) {
        self.init(
            username: username, sessionID: sessionID, sessionVersion: sessionVersion,
            addressType: SDPConnection.addressType(of: address), address: address)
    }
}
