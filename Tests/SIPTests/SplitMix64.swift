import SIP

/// The seeded generator the fuzz-style tests use: the library's own token source (SplitMix64).
typealias SplitMix64 = SIPTokenSource

extension SIPTokenSource {
    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
