/// Why an `a=crypto` value was rejected or a key could not be made.
public enum SDESError: Error, Sendable, Hashable {
    /// Not `<tag> <suite> <key-params> [<session-params>...]`, or the tag is not 1–9 digits.
    case malformed
    /// A key method other than `inline`.
    case unsupportedKeyMethod
    /// The key is not strict base64, or its length does not fit the suite.
    case badKey
    /// A lifetime or MKI that does not parse, or more than one of either.
    case badKeyParameter
    /// `make` was given the wrong number of key+salt octets for the suite.
    case wrongKeyLength(expected: Int, actual: Int)
}
