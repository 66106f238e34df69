import Foundation
import Media
import RTP
import SRTP
import Synchronization
import Testing

/// The agent's video over a bad network: 5 % of the datagrams lost and up to 30 ms of jitter each way
/// (a seeded impairing relay on the path, this machine's kernel having no netem). The kiosk NACKs what
/// is missing, the sender resends it, and a frame that cannot be repaired costs a PLI and a key frame.
@Suite(.serialized)
struct VideoLossTests {
    static let settings = MediaSettings(camera: .synthetic, size: FrameSize(width: 640, height: 480), framesPerSecond: 25,
                                        videoBitrateKbps: 800, cpuUsed: 8, microphone: .tone(440))

    /// One side's plan toward the other: video one way (agent → kiosk), audio both ways, SRTP.
    static func plan(videoPort: Int, audioPort: Int, sendsVideo: Bool, mine: (audio: [UInt8], video: [UInt8]),
                     theirs: (audio: [UInt8], video: [UInt8])) -> CallMedia.Plan {
        CallMedia.Plan(
            remoteHost: "127.0.0.1",
            audio: .init(remotePort: audioPort, sendPayloadType: 111, receivePayloadType: 111, sends: true, receives: true,
                         sendKey: mine.audio, receiveKey: theirs.audio),
            video: .init(remotePort: videoPort, sendPayloadType: 96, receivePayloadType: 96, sends: sendsVideo, receives: !sendsVideo,
                         sendKey: mine.video, receiveKey: theirs.video))
    }

    @Test func videoRecoversThroughNackAndPLIWithFivePercentLossAndJitter() async throws {
        let shownAt = Mutex<[ContinuousClock.Instant]>([])
        let played = Mutex<[Int16]>([])
        let kiosk = try CallMedia(localHost: "127.0.0.1", pictureSink: { _ in shownAt.withLock { $0.append(.now) } },
                                  audioSink: { pcm in played.withLock { $0 += pcm } })
        let agent = try CallMedia(localHost: "127.0.0.1")
        let relay = try ImpairingRelay(receiverPort: kiosk.videoPort, lossFraction: 0.05, jitterMillis: 30, seed: 20261121)
        defer { relay.stop() }
        let audioRelay = try ImpairingRelay(receiverPort: kiosk.audioPort, lossFraction: 0.05, jitterMillis: 30, seed: 7)
        defer { audioRelay.stop() }
        let kioskKeys = (SRTPSuite.randomKeyAndSalt(), SRTPSuite.randomKeyAndSalt())
        let agentKeys = (SRTPSuite.randomKeyAndSalt(), SRTPSuite.randomKeyAndSalt())
        // The agent's video goes to the relay's side A; the kiosk's reports and feedback cross it too, from side B.
        let kioskPlan = Self.plan(videoPort: relay.portB, audioPort: audioRelay.portB, sendsVideo: false, mine: kioskKeys, theirs: agentKeys)
        let agentPlan = Self.plan(videoPort: relay.portA, audioPort: audioRelay.portA, sendsVideo: true, mine: agentKeys, theirs: kioskKeys)
        try await kiosk.start(plan: kioskPlan, settings: Self.settings)
        try await agent.start(plan: agentPlan, settings: Self.settings)
        try await Task.sleep(for: .seconds(10))
        // The agent stops first; what is in flight and in the kiosk's buffers plays out before counting.
        await agent.stop()
        try await Task.sleep(for: .milliseconds(700))
        let k = kiosk.statistics, a = agent.statistics
        await kiosk.stop()
        let path = relay.statistics
        let decode = try #require(k.video.pictures)
        let times = shownAt.withLock { $0 }
        // Frames shown against frames sent, over the run; freezes from the pictures' own times.
        let fraction = Double(decode.framesDecoded) / Double(max(1, a.send.videoFramesSent))
        print("""
            5% loss, 30 ms jitter: relay forwarded \(path.forwarded), dropped \(path.dropped) (\(String(format: "%.1f", 100 * Double(path.dropped) / Double(path.forwarded + path.dropped)))%), feedback dropped \(path.reverseDropped) of \(path.reversed + path.reverseDropped)
            agent sent \(a.send.videoFramesSent) frames (\(a.send.videoKeyFrames) key), resent \(a.send.videoRetransmissions) packets on \(a.video.nacksReceived) NACKs, \(a.video.keyFrameRequests) PLIs
            kiosk showed \(decode.framesDecoded) frames (\(String(format: "%.1f", fraction * 100))%), dropped \(decode.framesDropped), decode errors \(decode.decodeErrors), NACKed \(decode.packetsNacked) packets, \(decode.pictureLossIndicationsSent) PLIs; longest freeze \(decode.longestFreeze), playout delay \(decode.playoutDelay); jitter buffer \(decode.jitterBuffer)
            """)
        #expect(path.dropped > 50, "the relay must really have dropped packets")
        #expect(a.send.videoRetransmissions > 0 && a.video.nacksReceived > 0, "NACKs must have been answered")
        #expect(fraction >= 0.9, "only \(fraction * 100)% of the frames were shown")
        #expect(decode.longestFreeze < .seconds(1), "longest freeze \(decode.longestFreeze)")
        #expect(times.count == decode.framesDecoded)
        // Up to 30 ms of random delay per packet: RFC 3550's jitter is the mean spacing error, about a
        // third of that range (what the fleet's /metrics and the call record report).
        let videoJitter = try #require(k.video.jitterMilliseconds), audioJitter = try #require(k.audio.jitterMilliseconds)
        print("interarrival jitter through the relay: audio \(audioJitter) ms, video \(videoJitter) ms")
        #expect(audioJitter > 4 && audioJitter < 30 && videoJitter > 4 && videoJitter < 30)

        // The agent's tone, through the same kind of path: continuous (as long as what was sent, less
        // the playout delay), at its frequency, the lost packets rebuilt from FEC or concealed.
        let sound = try #require(k.audio.sound)
        let pcm = played.withLock { $0 }
        let sentSeconds = Double(a.send.audioPacketsSent) * 0.02
        let tone = SignalAnalysis.tone(pcm.dropFirst(4800), sampleRate: 48_000)
        print("audio: agent sent \(a.send.audioPacketsSent) packets (\(sentSeconds) s), relay dropped \(audioRelay.statistics.dropped); kiosk played \(Double(pcm.count) / 48_000) s: \(sound.decoder.decoded) decoded, \(sound.decoder.recoveredByFEC) from FEC, \(sound.decoder.concealed) concealed; \(tone.frequency) Hz, RMS \(tone.rms)")
        #expect(audioRelay.statistics.dropped > 10)
        // Every packet the kiosk never got was rebuilt or concealed (the relay's own count also holds the
        // RTCP it dropped, which nothing conceals).
        #expect(k.audio.lost > 5 && sound.decoder.recoveredByFEC + sound.decoder.concealed >= k.audio.lost,
                "lost \(k.audio.lost), recovered \(sound.decoder.recoveredByFEC), concealed \(sound.decoder.concealed)")
        #expect(Double(pcm.count) / 48_000 > sentSeconds - 0.3 && Double(pcm.count) / 48_000 <= sentSeconds + 0.05)
        #expect(abs(tone.frequency - 440) < 3 && tone.rms > 0.15)
    }

    /// The interarrival jitter the kiosk measures (RFC 3550, per stream): near zero on a clean path, and
    /// clearly larger when the relay delays each packet by a random 0…40 ms (no loss either way).
    @Test func measuredJitterIsNearZeroOnACleanPathAndFollowsTheDelayVariation() async throws {
        // A small picture at libvpx's fastest: RFC 3550 jitter counts the sender's own variation too
        // (capture to send is the encoder's time), which a big picture on this busy 2-core VM makes ms of.
        let settings = MediaSettings(camera: .synthetic, size: FrameSize(width: 320, height: 240), framesPerSecond: 25,
                                     videoBitrateKbps: 400, cpuUsed: 16, microphone: .tone(440))
        func run(jitterMillis: Double) async throws -> CallMedia.Statistics {
            let kiosk = try CallMedia(localHost: "127.0.0.1", pictureSink: { _ in }, audioSink: { _ in })
            let agent = try CallMedia(localHost: "127.0.0.1")
            let relay = try ImpairingRelay(receiverPort: kiosk.videoPort, lossFraction: 0, jitterMillis: jitterMillis, seed: 11, impairReverse: false)
            defer { relay.stop() }
            let audioRelay = try ImpairingRelay(receiverPort: kiosk.audioPort, lossFraction: 0, jitterMillis: jitterMillis, seed: 12, impairReverse: false)
            defer { audioRelay.stop() }
            let kioskKeys = (SRTPSuite.randomKeyAndSalt(), SRTPSuite.randomKeyAndSalt())
            let agentKeys = (SRTPSuite.randomKeyAndSalt(), SRTPSuite.randomKeyAndSalt())
            try await kiosk.start(plan: Self.plan(videoPort: relay.portB, audioPort: audioRelay.portB, sendsVideo: false, mine: kioskKeys, theirs: agentKeys),
                                  settings: settings)
            try await agent.start(plan: Self.plan(videoPort: relay.portA, audioPort: audioRelay.portA, sendsVideo: true, mine: agentKeys, theirs: kioskKeys),
                                  settings: settings)
            try await Task.sleep(for: .seconds(5))
            await agent.stop()
            let statistics = kiosk.statistics
            await kiosk.stop()
            return statistics
        }
        let clean = try await run(jitterMillis: 0)
        let rough = try await run(jitterMillis: 40)
        let (cleanAudio, cleanVideo) = (try #require(clean.audio.jitterMilliseconds), try #require(clean.video.jitterMilliseconds))
        let (roughAudio, roughVideo) = (try #require(rough.audio.jitterMilliseconds), try #require(rough.video.jitterMilliseconds))
        print("interarrival jitter: clean path audio \(cleanAudio) ms, video \(cleanVideo) ms; 0-40 ms random delay audio \(roughAudio) ms, video \(roughVideo) ms")
        #expect(clean.audio.packets > 150 && rough.audio.packets > 150 && clean.video.packets > 100 && rough.video.packets > 100)
        #expect(cleanAudio < 3 && cleanVideo < 3, "a clean loopback path")
        // Uniform 0…40 ms delays: the mean |difference| of two is 13 ms (less the reordered packets,
        // which RFC 3550 leaves out).
        #expect(roughAudio > 6 && roughAudio < 25 && roughAudio > 3 * cleanAudio)
        #expect(roughVideo > 5 && roughVideo < 25 && roughVideo > 3 * cleanVideo)
    }
}
