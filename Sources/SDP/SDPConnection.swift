/// A `c=` line (RFC 8866 §5.7). The address is kept as written, with any multicast `/ttl/count`.
public struct SDPConnection: Sendable, Hashable {
    public var networkType: String
    public var addressType: String
    public var address: String

    public init(networkType: String = "IN", addressType: String, address: String) {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// `IN IP6` when the address has a colon, else `IN IP4`.
    public init(address: String) {
        self.init(addressType: Self.addressType(of: address), address: address)
    }

    public var isIPv6: Bool { addressType.uppercased() == "IP6" }

    /// The host part without a multicast `/ttl` or `/count` suffix.
    public var host: String {
        String(SDPText.split(address[...], at: SDPText.slash).0)
    }

    static func addressType(of address: String) -> String {
        address.utf8.contains(SDPText.colon) ? "IP6" : "IP4"
    }
}
