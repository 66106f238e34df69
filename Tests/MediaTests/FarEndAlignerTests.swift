import Media
import Testing

/// The pairing of the far end with the microphone, sample by sample, with small numbers: samples are
/// their own positions in the far-end stream.
struct FarEndAlignerTests {
    static func stream(_ range: Range<Int>) -> [Int16] { range.map { Int16($0) } }

    @Test func theFirstBlockTakesTheNewestFarEndLessTheMargin() {
        var aligner = FarEndAligner(capacity: 100, margin: 2, maxOwed: 10)
        aligner.played(Self.stream(1..<11))
        // 4 samples: the newest 6 less the margin of 2 → 5...8; 1...4 dropped, 9 and 10 wait.
        #expect(aligner.farEnd(for: 4) == [5, 6, 7, 8])
        #expect(aligner.dropped == 4 && aligner.backlog == 2 && aligner.pairings == 1)
        aligner.played(Self.stream(11..<15))
        #expect(aligner.farEnd(for: 4) == [9, 10, 11, 12])
    }

    @Test func aSpeakerThatHasJustBegunIsPrecededBySilence() {
        var aligner = FarEndAligner(capacity: 100, margin: 2, maxOwed: 10)
        #expect(aligner.farEnd(for: 4) == [0, 0, 0, 0])  // nothing played yet: not paired
        #expect(aligner.pairings == 0)
        aligner.played(Self.stream(1..<4))
        #expect(aligner.farEnd(for: 4) == [0, 0, 0, 1])
        #expect(aligner.missing == 7 && aligner.pairings == 1)
    }

    @Test func lateSamplesAreSkippedSoThePairingHolds() {
        var aligner = FarEndAligner(capacity: 100, margin: 0, maxOwed: 10)
        aligner.played(Self.stream(1..<5))
        #expect(aligner.farEnd(for: 4) == [1, 2, 3, 4])
        aligner.played(Self.stream(5..<7))
        #expect(aligner.farEnd(for: 4) == [5, 6, 0, 0])  // 7 and 8 late
        aligner.played(Self.stream(7..<13))
        #expect(aligner.farEnd(for: 4) == [9, 10, 11, 12])  // 7 and 8 skipped
        #expect(aligner.missing == 2 && aligner.pairings == 1)
    }

    @Test func aStalledCaptureSideOrAStoppedSpeakerIsPairedAnew() {
        var aligner = FarEndAligner(capacity: 8, margin: 0, maxOwed: 6)
        aligner.played(Self.stream(1..<5))
        #expect(aligner.farEnd(for: 4) == [1, 2, 3, 4])
        // The capture side stalls: the FIFO overflows; the next capture pairs with the newest.
        aligner.played(Self.stream(5..<15))
        #expect(aligner.farEnd(for: 4) == [11, 12, 13, 14])
        #expect(aligner.pairings == 2)
        // The speaker stops: after more than 6 samples missing the pairing is given up...
        #expect(aligner.farEnd(for: 4) == [0, 0, 0, 0])
        #expect(aligner.farEnd(for: 4) == [0, 0, 0, 0])
        // ...and made anew when it plays again (nothing of what it plays now is skipped as owed).
        aligner.played(Self.stream(30..<34))
        #expect(aligner.farEnd(for: 4) == [30, 31, 32, 33])
        #expect(aligner.pairings == 3)
    }
}
