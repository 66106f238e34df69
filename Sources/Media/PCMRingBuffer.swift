/// A bounded FIFO of samples between two threads' worth of audio (decoded voice on its way to the
/// speaker, the speaker's output on its way to the echo canceller). When a write would overflow it the
/// oldest samples go: a backlog is latency, and the newest audio is what should be heard. A value type;
/// the owner guards it with a lock.
public struct PCMRingBuffer: Sendable {
    public let capacity: Int
    public private(set) var count = 0
    private var storage: [Int16]
    private var head = 0  // index of the oldest sample

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        storage = [Int16](repeating: 0, count: capacity)
    }

    public var isEmpty: Bool { count == 0 }

    /// Appends `samples`; returns how many old samples were dropped to make room.
    @discardableResult
    public mutating func write<C: Collection>(_ samples: C) -> Int where C.Element == Int16 {
        var incoming = samples[...]
        var dropped = 0
        if incoming.count > capacity {
            // Only the newest `capacity` samples can stay; the rest are dropped unwritten.
            dropped += incoming.count - capacity
            incoming = incoming.suffix(capacity)
        }
        let overflow = count + incoming.count - capacity
        if overflow > 0 { discard(overflow); dropped += overflow }
        var tail = (head + count) % capacity
        for s in incoming {
            storage[tail] = s
            tail += 1
            if tail == capacity { tail = 0 }
        }
        count += incoming.count
        return dropped
    }

    /// Takes up to `maximum` of the oldest samples.
    public mutating func read(upTo maximum: Int) -> [Int16] {
        let n = min(maximum, count)
        var out = [Int16](repeating: 0, count: n)
        let first = min(n, capacity - head)
        out.withUnsafeMutableBufferPointer { dst in
            storage.withUnsafeBufferPointer { src in
                for i in 0..<first { dst[i] = src[head + i] }
                for i in 0..<(n - first) { dst[first + i] = src[i] }
            }
        }
        discard(n)
        return out
    }

    /// Drops the `n` oldest samples (all of them if there are fewer).
    public mutating func discard(_ n: Int) {
        let m = min(n, count)
        head = (head + m) % capacity
        count -= m
    }

    public mutating func removeAll() {
        head = 0
        count = 0
    }
}
