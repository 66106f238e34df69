/// The SDES keys of one stream: the kiosk protects what it sends with `local` and unprotects what it
/// receives with `remote` (RFC 4568 §6.1: each side's key is for its own sending direction).
public struct NegotiatedSRTP: Sendable, Hashable {
    public var suite: SRTPCryptoSuite
    public var local: SDESCrypto
    public var remote: SDESCrypto

    public init(suite: SRTPCryptoSuite, local: SDESCrypto, remote: SDESCrypto) {
        self.suite = suite
        self.local = local
        self.remote = remote
    }

    public var localKeyAndSalt: [UInt8] { local.keyAndSalt }
    public var remoteKeyAndSalt: [UInt8] { remote.keyAndSalt }
}
