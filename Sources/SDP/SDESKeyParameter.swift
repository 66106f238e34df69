/// One `inline:<key||salt>[|<lifetime>][|<MKI>:<length>]` key parameter (RFC 4568 §6.1).
public struct SDESKeyParameter: Sendable, Hashable {
    /// Master key followed by master salt, already base64-decoded.
    public var keyAndSalt: [UInt8]
    /// Packets the master key may protect; written as `2^n` when a power of two.
    public var lifetime: UInt64?
    public var mki: MKI?

    public struct MKI: Sendable, Hashable {
        public var value: UInt64
        /// Octets the MKI takes in each packet, 1...128.
        public var length: UInt8

        public init(value: UInt64, length: UInt8) {
            self.value = value
            self.length = length
        }
    }

    public init(keyAndSalt: [UInt8], lifetime: UInt64? = nil, mki: MKI? = nil) {
        self.keyAndSalt = keyAndSalt
        self.lifetime = lifetime
        self.mki = mki
    }

    public var text: String {
        var out = "inline:" + Base64.encode(keyAndSalt)
        if let lifetime {
            if lifetime != 0, lifetime & (lifetime - 1) == 0 {
                out += "|2^\(lifetime.trailingZeroBitCount)"
            } else {
                out += "|\(lifetime)"
            }
        }
        if let mki { out += "|\(mki.value):\(mki.length)" }
        return out
    }

    init(parsing text: Substring) throws(SDESError) {
        let (method, info) = SDPText.split(text, at: SDPText.colon)
        guard method.lowercased() == "inline", let info else { throw .unsupportedKeyMethod }
        let parts = SDPText.components(info, separatedBy: SDPText.pipe)
        guard parts.count <= 3, let keyAndSalt = Base64.decode(parts[0]) else { throw .badKey }
        var lifetime: UInt64?
        var mki: MKI?
        for part in parts.dropFirst() {
            let (valueText, lengthText) = SDPText.split(part, at: SDPText.colon)
            if let lengthText {
                guard mki == nil, let value = SDPText.decimal(valueText, as: UInt64.self),
                    let length = SDPText.decimal(lengthText, as: UInt8.self), (1...128).contains(length)
                else { throw .badKeyParameter }
                mki = MKI(value: value, length: length)
            } else {
                guard lifetime == nil, mki == nil, let parsed = Self.parseLifetime(part) else { throw .badKeyParameter }
                lifetime = parsed
            }
        }
        self.init(keyAndSalt: keyAndSalt, lifetime: lifetime, mki: mki)
    }

    private static func parseLifetime(_ text: Substring) -> UInt64? {
        if text.hasPrefix("2^") {
            guard let exponent = SDPText.decimal(text.dropFirst(2), as: UInt8.self), exponent < 64 else { return nil }
            return 1 << UInt64(exponent)
        }
        return SDPText.decimal(text, as: UInt64.self)
    }
}
