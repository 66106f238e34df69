import Media
import Testing

struct PCMRingBufferTests {
    @Test func samplesComeOutInOrderAcrossTheWrap() {
        var ring = PCMRingBuffer(capacity: 5)
        #expect(ring.write([1, 2, 3]) == 0)
        #expect(ring.read(upTo: 2) == [1, 2])
        #expect(ring.write([4, 5, 6, 7]) == 0)  // wraps past the end of storage
        #expect(ring.count == 5)
        #expect(ring.read(upTo: 10) == [3, 4, 5, 6, 7])
        #expect(ring.isEmpty && ring.read(upTo: 3) == [])
    }

    @Test func overflowDropsTheOldest() {
        var ring = PCMRingBuffer(capacity: 4)
        ring.write([1, 2, 3])
        #expect(ring.write([4, 5, 6]) == 2)
        #expect(ring.read(upTo: 4) == [3, 4, 5, 6])
        // More than the whole capacity at once: only the newest stay.
        #expect(ring.write([10, 11, 12, 13, 14, 15]) == 2)
        #expect(ring.read(upTo: 10) == [12, 13, 14, 15])
    }

    @Test func discardAndRemoveAll() {
        var ring = PCMRingBuffer(capacity: 4)
        ring.write([1, 2, 3, 4])
        ring.discard(3)
        #expect(ring.count == 1)
        ring.write([5, 6])
        #expect(ring.read(upTo: 3) == [4, 5, 6])
        ring.write([7])
        ring.removeAll()
        #expect(ring.isEmpty)
        ring.write([8, 9])
        #expect(ring.read(upTo: 2) == [8, 9])
    }
}
