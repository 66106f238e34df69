import Foundation
import Media
import RTP
import SRTP
import Synchronization
import Testing

/// Bad input on the agent's video while it plays: packets under a wrong key, of a payload type not
/// negotiated, for a stream nobody announced, with an absurd jump of sequence numbers (under the agent's
/// own key and stream, as a broken sender or a replay would send), truncated datagrams and noise; and,
/// separately, VP8 frames corrupted inside the stream. Each is counted and dropped; the pictures go on,
/// and no freeze lasts longer than it takes the sender to answer the PLI with a key frame.
@Suite(.serialized)
struct VideoBadInputTests {
    static let settings = MediaSettings(camera: .synthetic, size: FrameSize(width: 320, height: 240), framesPerSecond: 25,
                                        videoBitrateKbps: 400, cpuUsed: 8, microphone: .tone(440))

    @Test func badPacketsAreCountedAndDroppedAndThePictureGoesOn() async throws {
        let shownAt = Mutex<[ContinuousClock.Instant]>([])
        let kiosk = try CallMedia(localHost: "127.0.0.1", keepLastPackets: 4, pictureSink: { _ in shownAt.withLock { $0.append(.now) } })
        let agent = try CallMedia(localHost: "127.0.0.1")
        let kioskKeys = (SRTPSuite.randomKeyAndSalt(), SRTPSuite.randomKeyAndSalt())
        let agentKeys = (SRTPSuite.randomKeyAndSalt(), SRTPSuite.randomKeyAndSalt())
        try await kiosk.start(plan: VideoLossTests.plan(videoPort: agent.videoPort, audioPort: agent.audioPort, sendsVideo: false,
                                                        mine: kioskKeys, theirs: agentKeys), settings: Self.settings)
        try await agent.start(plan: VideoLossTests.plan(videoPort: kiosk.videoPort, audioPort: kiosk.audioPort, sendsVideo: true,
                                                        mine: agentKeys, theirs: kioskKeys), settings: Self.settings)
        try await Task.sleep(for: .seconds(1.5))
        let before = try #require(kiosk.statistics.video.pictures)
        let stream = try #require(kiosk.recentPackets(.video).last, "no video arrived")

        // An attacker (or a broken middlebox) on the kiosk's video port, for 3 s.
        let attacker = try UDPEndpoint(host: "127.0.0.1", port: 0)
        let to = try UDPSocket(endpoint: attacker, host: "127.0.0.1", port: kiosk.videoPort)
        // One session per kind of packet under the agent's key: an outbound SRTP context refuses to go
        // back by more than its window, and each kind has its own run of sequence numbers.
        func agentSession() throws -> SRTPSession { try SRTPSession(keyAndSalt: agentKeys.1, direction: .outbound) }
        let (forWrongPT, forStranger, forJump) = (try agentSession(), try agentSession(), try agentSession())
        let wrongKey = try SRTPSession(keyAndSalt: SRTPSuite.randomKeyAndSalt(), direction: .outbound)
        var rng = SplitMix64Relay(seed: 99)
        func noise(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        let strangerSSRC = stream.ssrc &+ 1
        let attackEnd = ContinuousClock.now + .seconds(3)
        var sent = (wrongKey: 0, wrongPT: 0, stranger: 0, jump: 0, truncated: 0, noise: 0)
        var round: UInt16 = 0
        while ContinuousClock.now < attackEnd {
            round &+= 1
            let seq = stream.sequenceNumber &+ round &* 7
            func packet(pt: UInt8 = 96, seq: UInt16, ssrc: UInt32, payload: [UInt8], marker: Bool = true) -> [UInt8] {
                RTPPacket(marker: marker, payloadType: pt, sequenceNumber: seq, timestamp: stream.timestamp &+ UInt32(round) &* 3600,
                          ssrc: ssrc, payload: payload).serialized()
            }
            to.send(try wrongKey.protect(rtp: packet(seq: seq, ssrc: stream.ssrc, payload: noise(300)))); sent.wrongKey += 1
            to.send(try forWrongPT.protect(rtp: packet(pt: 100, seq: round, ssrc: strangerSSRC &+ 7, payload: noise(200)))); sent.wrongPT += 1
            to.send(try forStranger.protect(rtp: packet(seq: 1000 &+ round &* 3, ssrc: strangerSSRC, payload: noise(500)))); sent.stranger += 1
            to.send(try forJump.protect(rtp: packet(seq: seq &+ 30_000, ssrc: stream.ssrc, payload: noise(400)))); sent.jump += 1
            to.send(Array(noise(40).prefix(Int(rng.next() % 12)))); sent.truncated += 1
            to.send(noise(Int(rng.next() % 1400))); sent.noise += 1
            try await Task.sleep(for: .milliseconds(20))
        }
        // After the attack the stream goes on for 2 s.
        try await Task.sleep(for: .seconds(2))
        await agent.stop()
        try await Task.sleep(for: .milliseconds(300))
        let k = kiosk.statistics
        await kiosk.stop()
        attacker.close()
        let decode = try #require(k.video.pictures)
        let times = shownAt.withLock { $0 }
        print("""
            bad input sent: \(sent)
            kiosk counted: SRTP failures \(k.video.srtpFailures), other payload type \(k.video.otherPayloadType), malformed \(k.video.malformed); \
            jitter buffer \(decode.jitterBuffer); decode errors \(decode.decodeErrors), frames dropped \(decode.framesDropped), \
            PLIs \(decode.pictureLossIndicationsSent), sender changes \(decode.senderChanges)
            pictures: \(before.framesDecoded) before, \(decode.framesDecoded) in all; longest freeze \(decode.longestFreeze)
            """)
        #expect(k.video.srtpFailures >= sent.wrongKey)
        #expect(k.video.otherPayloadType >= sent.wrongPT)
        #expect(k.video.malformed >= sent.truncated)
        // The jumps under the agent's own key were authentic but far: counted, never the stream's.
        #expect(k.video.sequenceJumps >= sent.jump && decode.jitterBuffer.discardedAsJump > 0)
        #expect(decode.senderChanges == 0, "the stranger's packets must not take over the agent's stream")
        // The pictures went on: 6.5 s at 25 fps, and at the end the last 2 s of them.
        let lastTwoSeconds = times.filter { $0 > times.last! - .seconds(2) }.count
        #expect(decode.framesDecoded > 100 && lastTwoSeconds >= 40, "\(decode.framesDecoded) pictures, \(lastTwoSeconds) in the last 2 s")
        #expect(decode.longestFreeze < .seconds(1), "longest freeze \(decode.longestFreeze)")
    }

    /// VP8 frames corrupted inside the agent's own stream (plain RTP through a relay that overwrites bytes
    /// of 5 % of the packets' payloads: what a sender gone bad would send): libvpx refuses them or they
    /// decode wrong until the next key frame, which the kiosk's PLI asks for.
    @Test func corruptedVP8FramesAreRefusedAndAKeyFrameBringsThePictureBack() async throws {
        let shownAt = Mutex<[ContinuousClock.Instant]>([])
        let kiosk = try CallMedia(localHost: "127.0.0.1", pictureSink: { _ in shownAt.withLock { $0.append(.now) } })
        let agent = try CallMedia(localHost: "127.0.0.1")
        let relay = try ImpairingRelay(receiverPort: kiosk.videoPort, lossFraction: 0, jitterMillis: 0, seed: 31, corruptFraction: 0.05)
        defer { relay.stop() }
        func plan(videoPort: Int, audioPort: Int, sendsVideo: Bool) -> CallMedia.Plan {
            CallMedia.Plan(remoteHost: "127.0.0.1",
                           audio: .init(remotePort: audioPort, sendPayloadType: 111, receivePayloadType: 111, sends: true, receives: true,
                                        sendKey: nil, receiveKey: nil),
                           video: .init(remotePort: videoPort, sendPayloadType: 96, receivePayloadType: 96, sends: sendsVideo,
                                        receives: !sendsVideo, sendKey: nil, receiveKey: nil))
        }
        try await kiosk.start(plan: plan(videoPort: relay.portB, audioPort: agent.audioPort, sendsVideo: false), settings: Self.settings)
        try await agent.start(plan: plan(videoPort: relay.portA, audioPort: kiosk.audioPort, sendsVideo: true), settings: Self.settings)
        try await Task.sleep(for: .seconds(8))
        await agent.stop()
        try await Task.sleep(for: .milliseconds(300))
        let k = kiosk.statistics, a = agent.statistics
        await kiosk.stop()
        let decode = try #require(k.video.pictures)
        let fraction = Double(decode.framesDecoded) / Double(max(1, a.send.videoFramesSent))
        print("""
            corrupted \(relay.statistics.corrupted) of \(relay.statistics.forwarded) packets; agent sent \(a.send.videoFramesSent) frames, \(a.send.videoKeyFrames) key, \(a.video.keyFrameRequests) PLIs received
            kiosk: \(decode.framesDecoded) pictures (\(String(format: "%.1f", fraction * 100))%), decode errors \(decode.decodeErrors), frames dropped \(decode.framesDropped), PLIs \(decode.pictureLossIndicationsSent); longest freeze \(decode.longestFreeze)
            """)
        #expect(relay.statistics.corrupted > 5)
        #expect(decode.decodeErrors + decode.framesDropped > 0, "the corruption must have been noticed")
        #expect(decode.pictureLossIndicationsSent > 0 && a.video.keyFrameRequests > 0 && a.send.videoKeyFrames > 1)
        #expect(fraction > 0.5, "only \(fraction * 100)% of the pictures shown")
        #expect(decode.longestFreeze < .seconds(1), "longest freeze \(decode.longestFreeze)")
    }
}
