import Testing
@testable import RTP

@Suite struct KeyFrameRequesterTests {
    let start = ContinuousClock.now
    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    @Test func aStreamStartingWithoutAKeyFrameAsksUntilOneComes() {
        var requester = KeyFrameRequester(minimumInterval: .milliseconds(250))
        #expect(requester.frameReceived(isKeyFrame: false, at: at(0)) == true)
        #expect(requester.lastReason == .streamStartWithoutKeyFrame)
        #expect(requester.frameReceived(isKeyFrame: false, at: at(100)) == false)
        #expect(requester.nextWakeup == at(250))
        #expect(requester.poll(at: at(249)) == false)
        // Still no key frame: the PLI (or its answer) may be lost, so it is repeated.
        #expect(requester.poll(at: at(250)) == true)
        #expect(requester.frameReceived(isKeyFrame: true, at: at(300)) == false)
        #expect(!requester.needsKeyFrame)
        #expect(requester.poll(at: at(1000)) == false)
        #expect(requester.nextWakeup == nil)
        #expect(requester.pictureLossIndicationsSent == 2)
    }

    @Test func requestsInsideTheIntervalAreMergedIntoOnePLI() {
        var requester = KeyFrameRequester(minimumInterval: .milliseconds(250))
        #expect(requester.frameReceived(isKeyFrame: true, at: at(0)) == false)
        #expect(requester.request(.frameDropped, at: at(10)) == true)
        #expect(requester.request(.decoderError, at: at(20)) == false)
        #expect(requester.request(.unrepairedLoss, at: at(200)) == false)
        #expect(requester.poll(at: at(260)) == true)
        #expect(requester.pictureLossIndicationsSent == 2)
        // Delta frames after the request do not end the need; a key frame does.
        #expect(requester.frameReceived(isKeyFrame: false, at: at(270)) == false)
        #expect(requester.needsKeyFrame)
    }

    @Test func theIntervalIsAtLeastTheRoundTrip() {
        var requester = KeyFrameRequester(minimumInterval: .milliseconds(250))
        requester.roundTripTime = .milliseconds(400)
        #expect(requester.request(.frameDropped, at: at(0)) == true)
        #expect(requester.poll(at: at(399)) == false)
        #expect(requester.poll(at: at(400)) == true)
    }

    @Test func eachNewFIRHasTheNextSequenceNumber() {
        var requester = KeyFrameRequester()
        let numbers = (0..<258).map { _ in
            requester.makeFullIntraRequest(senderSSRC: 1, mediaSSRC: 2).entries[0].sequenceNumber
        }
        #expect(numbers.prefix(3) == [0, 1, 2])
        #expect(numbers.suffix(3) == [255, 0, 1])
    }
}

@Suite struct KeyFrameRequestHandlerTests {
    let start = ContinuousClock.now
    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }
    let ours: UInt32 = 0xAAAA

    @Test func pliForcesAKeyFrameAtMostOncePerInterval() {
        var handler = KeyFrameRequestHandler(minimumInterval: .milliseconds(250))
        #expect(handler.received(RTCPPictureLossIndication(senderSSRC: 5, mediaSSRC: ours), ssrc: ours, at: at(0)) == true)
        #expect(handler.received(RTCPPictureLossIndication(senderSSRC: 5, mediaSSRC: ours), ssrc: ours, at: at(100)) == false)
        #expect(handler.nextWakeup == at(250))
        #expect(handler.poll(at: at(250)) == true)
        #expect(handler.poll(at: at(600)) == false)
        // A PLI for another stream is not ours to answer.
        #expect(handler.received(RTCPPictureLossIndication(senderSSRC: 5, mediaSSRC: 0xBBBB), ssrc: ours, at: at(700)) == false)
        #expect(handler.keyFramesForced == 2)
        #expect(handler.requestsReceived == 2)
    }

    @Test func aRepeatedFIRIsNotANewRequest() {
        var handler = KeyFrameRequestHandler(minimumInterval: .milliseconds(250))
        func fir(from sender: UInt32, _ number: UInt8) -> RTCPFullIntraRequest {
            RTCPFullIntraRequest(senderSSRC: sender, entries: [.init(ssrc: 0xBBBB, sequenceNumber: 0), .init(ssrc: ours, sequenceNumber: number)])
        }
        #expect(handler.received(fir(from: 5, 7), ssrc: ours, at: at(0)) == true)
        #expect(handler.received(fir(from: 5, 7), ssrc: ours, at: at(300)) == false)
        #expect(handler.repeatedFullIntraRequests == 1)
        #expect(handler.received(fir(from: 5, 8), ssrc: ours, at: at(600)) == true)
        // The same number from another requester is its own request.
        #expect(handler.received(fir(from: 6, 8), ssrc: ours, at: at(900)) == true)
        #expect(handler.keyFramesForced == 3)
    }

    @Test func anEncoderKeyFrameServesAPendingRequest() {
        var handler = KeyFrameRequestHandler(minimumInterval: .milliseconds(250))
        #expect(handler.received(RTCPPictureLossIndication(senderSSRC: 5, mediaSSRC: ours), ssrc: ours, at: at(0)) == true)
        #expect(handler.received(RTCPPictureLossIndication(senderSSRC: 5, mediaSSRC: ours), ssrc: ours, at: at(100)) == false)
        handler.keyFrameSent(at: at(120))
        #expect(handler.poll(at: at(400)) == false)
        #expect(handler.nextWakeup == nil)
    }
}
