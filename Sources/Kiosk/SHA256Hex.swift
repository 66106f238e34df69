import Crypto

/// The lower-case hex SHA-256 of `bytes`, as `sha256sum` prints it: fleet tokens are stored this way, and
/// check-in names a configuration file by it.
public func sha256Hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in SHA256.hash(data: bytes) {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
