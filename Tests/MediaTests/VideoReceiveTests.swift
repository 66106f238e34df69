import Foundation
import Media
import RTP
import Synchronization
import Testing

/// The agent's video on the kiosk: received over SRTP, put back in order, decoded and handed to the
/// screen as pictures; the kiosk reports what it receives (RTCP) to the sender.
@Suite(.serialized)
struct VideoReceiveTests {
    static let size = FrameSize(width: 320, height: 240)
    static let settings = MediaSettings(camera: .synthetic, size: size, framesPerSecond: 15,
                                        videoBitrateKbps: 400, cpuUsed: 8, microphone: .tone(440))

    @Test func theAgentsVideoBecomesPicturesOnTheKiosk() async throws {
        let pictures = Mutex<[VideoFrame]>([])
        let kiosk = try CallMedia(localHost: "127.0.0.1", pictureSink: { picture in
            pictures.withLock { if $0.count < 200 { $0.append(picture) } }
        })
        let agent = try CallMedia(localHost: "127.0.0.1")
        let kioskKeys = CallMediaTests.Keys(), agentKeys = CallMediaTests.Keys()
        try await kiosk.start(plan: CallMediaTests.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys,
                                                        sendsVideo: false, receivesVideo: true), settings: Self.settings)
        try await agent.start(plan: CallMediaTests.plan(to: kiosk, kiosk: false, mine: agentKeys, theirs: kioskKeys,
                                                        sendsVideo: true, receivesVideo: false), settings: Self.settings)
        try await Task.sleep(for: .seconds(3))
        // The agent stops first, and what was in flight plays out, before anything is counted.
        await agent.stop()
        try await Task.sleep(for: .milliseconds(500))
        let k = kiosk.statistics, a = agent.statistics
        await kiosk.stop()
        let shown = pictures.withLock { $0 }
        let decode = try #require(k.video.pictures)
        print("agent sent \(a.send.videoFramesSent) frames; kiosk decoded \(decode.framesDecoded), dropped \(decode.framesDropped), playout delay \(decode.playoutDelay), longest freeze \(decode.longestFreeze); kiosk sent \(k.video.rtcpSent) RTCP, agent got \(a.video.rtcpPackets)")
        // 3 s at 15 fps, less the jitter buffer's delay and the start.
        #expect(shown.count >= 30 && decode.framesDecoded == shown.count)
        #expect(decode.framesDecoded >= a.send.videoFramesSent - 5)
        #expect(decode.framesDropped == 0 && decode.decodeErrors == 0)
        #expect(shown.allSatisfy { $0.width == 320 && $0.height == 240 })
        // The pictures are the agent's camera: each matches one of the synthetic frames closely.
        let camera = SyntheticCamera(size: Self.size, framesPerSecond: 15, paced: false)
        let reference = (0..<80).map { camera.frame(number: $0) }
        for picture in [shown[5], shown[shown.count / 2]] {
            let best = reference.map { VideoFrame.lumaPSNR(picture, $0) }.max() ?? 0
            // 28-35 dB on a quiet machine; a loaded one makes the encoder (cpu-used 8) coarser.
            #expect(best > 24, "best match \(best) dB")
        }
        // The kiosk reported on what it received: the agent's video socket got its receiver reports.
        #expect(k.video.rtcpSent >= 2 && a.video.rtcpPackets >= 2)
        #expect(a.video.srtpFailures == 0)
    }

    /// The agent's shared content (a second video stream) arrives on a socket of its own and its pictures
    /// go to their own sink, not the agent's picture's.
    @Test func sharedContentHasItsOwnSocketAndPictures() async throws {
        let agentPictures = Mutex(0), contentPictures = Mutex<[VideoFrame]>([])
        let kiosk = try CallMedia(localHost: "127.0.0.1", pictureSink: { _ in agentPictures.withLock { $0 += 1 } },
                                  contentSink: { picture in contentPictures.withLock { if $0.count < 100 { $0.append(picture) } } })
        let contentPort = try #require(kiosk.contentPort)
        #expect(Set([kiosk.audioPort, kiosk.videoPort, contentPort]).count == 3)
        let agent = try CallMedia(localHost: "127.0.0.1")
        let kioskKeys = CallMediaTests.Keys(), agentKeys = CallMediaTests.Keys()
        // The agent's sender for this test sends its "video" to the kiosk's content port: the slides.
        var kioskPlan = CallMediaTests.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsVideo: false, receivesVideo: true)
        kioskPlan.content = .init(remotePort: agent.videoPort, sendPayloadType: 96, receivePayloadType: 96, sends: false, receives: true,
                                  sendKey: kioskKeys.video, receiveKey: agentKeys.video)
        kioskPlan.video?.receives = false
        var agentPlan = CallMediaTests.plan(to: kiosk, kiosk: false, mine: agentKeys, theirs: kioskKeys, sendsVideo: true, receivesVideo: false)
        agentPlan.video?.remotePort = contentPort
        try await kiosk.start(plan: kioskPlan, settings: Self.settings)
        try await agent.start(plan: agentPlan, settings: Self.settings)
        try await Task.sleep(for: .seconds(2))
        let k = kiosk.statistics
        await agent.stop()
        await kiosk.stop()
        let content = try #require(k.content)
        print("content: \(content.packets) packets, \(content.pictures?.framesDecoded ?? 0) pictures; agent picture sink got \(agentPictures.withLock { $0 })")
        #expect(content.packets > 20 && content.srtpFailures == 0)
        #expect(contentPictures.withLock { $0.count } >= 15)
        #expect(agentPictures.withLock { $0 } == 0 && k.video.packets == 0)
        #expect(!kiosk.isCameraOpen)
        // Without a content sink the call has no third socket, and a plan with content is refused.
        let plain = try CallMedia(localHost: "127.0.0.1")
        #expect(plain.contentPort == nil)
        await #expect(throws: CallMediaError.self) { try await plain.start(plan: kioskPlan, settings: Self.settings) }
        await plain.stop()
    }
}
