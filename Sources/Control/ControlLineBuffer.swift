/// Splits a byte stream into lines (the protocol's framing). A line longer than the limit is reported
/// once and its rest skipped up to the next newline, so one bad client cannot make the daemon buffer
/// without bound, and what follows it is still read.
public struct ControlLineBuffer: Sendable {
    public enum Item: Sendable, Equatable {
        case line([UInt8])
        case tooLong
    }

    public let limit: Int
    private var pending: [UInt8] = []
    private var skipping = false

    public init(limit: Int = ControlProtocol.maximumLineBytes) {
        self.limit = limit
    }

    /// Adds bytes read from the socket; returns the complete lines in them (without the newline; a
    /// trailing carriage return is dropped too).
    public mutating func append(_ bytes: some Sequence<UInt8>) -> [Item] {
        var items: [Item] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if skipping {
                    skipping = false
                } else {
                    if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
                    // Blank lines (a client's keep-alive, a stray Enter) are no requests.
                    if !pending.isEmpty { items.append(.line(pending)) }
                }
                pending.removeAll(keepingCapacity: true)
                continue
            }
            if skipping { continue }
            pending.append(byte)
            if pending.count > limit {
                items.append(.tooLong)
                pending.removeAll()
                skipping = true
            }
        }
        return items
    }

    /// Bytes of an unfinished line, waiting for its newline.
    public var pendingCount: Int { pending.count }
}
