import Media
import RTP
import SRTP
import Synchronization
import Testing

/// Two CallMedia on 127.0.0.1 aimed at each other, as a kiosk and an agent after offer/answer: real
/// sockets, real SRTP, the synthetic camera and the tone generator.
@Suite(.serialized)
struct CallMediaTests {
    static let settings = MediaSettings(camera: .synthetic, size: FrameSize(width: 320, height: 240), framesPerSecond: 15,
                                        videoBitrateKbps: 300, cpuUsed: 8, microphone: .tone(440))

    /// The keys of one side: what it sends with (the peer receives with them).
    struct Keys {
        var audio = SRTPSuite.randomKeyAndSalt()
        var video = SRTPSuite.randomKeyAndSalt()
    }

    /// One side's plan towards `peer`. The kiosk (side A) puts audio payload type 109 on the wire and
    /// expects 111; the agent does the opposite, so a mix-up shows.
    static func plan(to peer: CallMedia, kiosk: Bool, mine: Keys?, theirs: Keys?, sendsAudio: Bool = true,
                     sendsVideo: Bool, receivesVideo: Bool, rtcpMux: Bool = true) -> CallMedia.Plan {
        CallMedia.Plan(
            remoteHost: "127.0.0.1",
            audio: .init(remotePort: peer.audioPort, rtcpMux: rtcpMux, sendPayloadType: kiosk ? 109 : 111,
                         receivePayloadType: kiosk ? 111 : 109, sends: sendsAudio, receives: true,
                         sendKey: mine?.audio, receiveKey: theirs?.audio),
            video: .init(remotePort: peer.videoPort, rtcpMux: rtcpMux, sendPayloadType: 96, receivePayloadType: 96,
                         sends: sendsVideo, receives: receivesVideo, sendKey: mine?.video, receiveKey: theirs?.video))
    }

    static func sleep(_ seconds: Double) async {
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
    }

    /// Stops `media`, checking that it is prompt and that a second stop is harmless.
    static func stopPromptly(_ media: CallMedia) async {
        let clock = ContinuousClock()
        let took = await clock.measure { await media.stop() }
        #expect(took < .seconds(1), "stop took \(took)")
        let again = await clock.measure { await media.stop() }
        #expect(again < .milliseconds(100))
        #expect(!media.isCameraOpen)
    }

    @Test func eachSideReceivesTheOthersAudioAndTheKioskCameraStaysClosed() async throws {
        let received = Mutex<[StreamKind: [RTPPacket]]>([:])
        let kiosk = try CallMedia(localHost: "127.0.0.1") { kind, packet in
            received.withLock { $0[kind, default: []].append(packet) }
        }
        let agent = try CallMedia(localHost: "127.0.0.1")
        #expect(Set([kiosk.audioPort, kiosk.videoPort, agent.audioPort, agent.videoPort]).count == 4)
        let kioskKeys = Keys(), agentKeys = Keys()
        // One-way video: the kiosk receives the agent's video and sends none.
        try await kiosk.start(plan: Self.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsVideo: false, receivesVideo: true),
                              settings: Self.settings)
        try await agent.start(plan: Self.plan(to: kiosk, kiosk: false, mine: agentKeys, theirs: kioskKeys, sendsVideo: true, receivesVideo: false),
                              settings: Self.settings)
        var kioskCameraEverOpen = false, agentCameraSeenOpen = false
        for _ in 0..<40 {
            await Self.sleep(0.05)
            kioskCameraEverOpen = kioskCameraEverOpen || kiosk.isCameraOpen
            agentCameraSeenOpen = agentCameraSeenOpen || agent.isCameraOpen
        }
        #expect(!kioskCameraEverOpen)
        #expect(agentCameraSeenOpen)

        // Both stop sending (a re-INVITE to inactive): the counts sent are final; what is in flight lands.
        try await kiosk.update(plan: Self.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsAudio: false, sendsVideo: false, receivesVideo: true))
        try await agent.update(plan: Self.plan(to: kiosk, kiosk: false, mine: agentKeys, theirs: kioskKeys, sendsAudio: false, sendsVideo: false, receivesVideo: false))
        #expect(!agent.isCameraOpen)
        await Self.sleep(0.3)
        let k = kiosk.statistics, a = agent.statistics
        print("kiosk sent audio \(k.send.audioPacketsSent), agent received \(a.audio.packets) (lost \(a.audio.lost)); agent sent audio \(a.send.audioPacketsSent) video \(a.send.videoPackets), kiosk received audio \(k.audio.packets) video \(k.video.packets) (lost \(k.video.lost))")

        for (sender, receiver, pt) in [(k, a, UInt8(109)), (a, k, UInt8(111))] {
            #expect(sender.send.audioPacketsSent >= 80)  // 2 s at 50 packets a second
            #expect(Double(receiver.audio.packets) >= 0.9 * Double(sender.send.audioPacketsSent))
            #expect(receiver.audio.srtpFailures == 0 && receiver.audio.malformed == 0)
            #expect(receiver.audio.payloadTypes == [pt] && receiver.audio.otherPayloadType == 0)
            #expect(receiver.audio.ssrcs.count == 1)
            #expect(receiver.audio.rtcpPackets >= 2 && receiver.audio.rtcpByes == 1)  // sender reports, then the BYE
            #expect(receiver.audio.lastArrivalNanos != nil)
        }
        // The kiosk never opened its camera, and no video left it.
        #expect(k.send.cameraOpens == 0 && k.send.videoPackets == 0 && k.send.videoSource == "")
        #expect(a.video.packets == 0 && a.video.srtpFailures == 0 && a.video.malformed == 0)
        // The agent's video reached the kiosk.
        #expect(a.send.cameraOpens == 1 && a.send.videoPackets > 0)
        #expect(Double(k.video.packets) >= 0.9 * Double(a.send.videoPackets))
        #expect(k.video.payloadTypes == [96] && k.video.ssrcs.count == 1 && k.video.srtpFailures == 0)

        // The sink got what was accepted, of the negotiated payload types, and the last few are kept.
        let sunk = received.withLock { $0 }
        #expect(sunk[.audio]?.count == k.audio.packets && sunk[.audio]?.allSatisfy { $0.payloadType == 111 } == true)
        #expect(sunk[.video]?.count == k.video.packets)
        #expect(kiosk.recentPackets(.audio).count == 16 && kiosk.recentPackets(.audio).last == sunk[.audio]?.last)

        await Self.stopPromptly(kiosk)
        await Self.stopPromptly(agent)
    }

    @Test func aReInviteTurnsTheKioskCameraOnAndOff() async throws {
        let kiosk = try CallMedia(localHost: "127.0.0.1")
        let agent = try CallMedia(localHost: "127.0.0.1")
        let kioskKeys = Keys(), agentKeys = Keys()
        try await kiosk.start(plan: Self.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsVideo: false, receivesVideo: true),
                              settings: Self.settings)
        try await agent.start(plan: Self.plan(to: kiosk, kiosk: false, mine: agentKeys, theirs: kioskKeys, sendsVideo: true, receivesVideo: true),
                              settings: Self.settings)
        await Self.sleep(0.5)
        #expect(!kiosk.isCameraOpen && kiosk.statistics.send.cameraOpens == 0)
        #expect(agent.statistics.video.packets == 0)
        #expect(agent.statistics.audio.packets > 0)

        // The customer agreed to show the camera.
        try await kiosk.update(plan: Self.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsVideo: true, receivesVideo: true))
        var opened = false
        for _ in 0..<20 where !opened {
            await Self.sleep(0.05)
            opened = kiosk.isCameraOpen
        }
        #expect(opened)
        await Self.sleep(1.0)
        let during = agent.statistics.video
        #expect(during.packets > 0 && during.ssrcs.count == 1 && during.payloadTypes == [96] && during.srtpFailures == 0)
        #expect(kiosk.statistics.send.cameraOpens == 1 && kiosk.statistics.send.videoPackets > 0)
        #expect(kiosk.statistics.send.videoKeyFrames == 1)

        // The agent lost the picture: a PLI (RFC 4585, PT 206 FMT 1) under its SRTCP key gets a key frame.
        let pli: [UInt8] = [0x81, 206, 0, 2, 0, 0, 0, 9] + withUnsafeBytes(of: during.ssrcs.first!.bigEndian) { Array($0) }
        let srtcp = try SRTPSession(keyAndSalt: agentKeys.video, direction: .outbound).protectRTCP(pli)
        try UDPSocket(host: "127.0.0.1", port: kiosk.videoPort).send(srtcp)
        await Self.sleep(0.4)
        #expect(kiosk.statistics.video.keyFrameRequests == 1 && kiosk.statistics.video.rtcpPackets > 0)
        #expect(kiosk.statistics.send.videoKeyFrames == 2)
        // Audio went on through the re-INVITE, from the same sender.
        #expect(agent.statistics.audio.ssrcs.count == 1)

        // The agent no longer needs it: the camera is closed by the time update returns.
        try await kiosk.update(plan: Self.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsVideo: false, receivesVideo: true))
        #expect(!kiosk.isCameraOpen)
        await Self.sleep(0.2)
        let after = agent.statistics.video
        #expect(after.rtcpByes == 1)
        await Self.sleep(0.5)
        #expect(agent.statistics.video.packets == after.packets)
        #expect(!kiosk.isCameraOpen && kiosk.statistics.send.cameraOpens == 1)
        #expect(Double(after.packets) >= 0.9 * Double(kiosk.statistics.send.videoPackets))

        await Self.stopPromptly(kiosk)
        await Self.stopPromptly(agent)
    }

    /// The kiosk gets ready while its INVITE is out: nothing leaves before the answer, the camera stays
    /// closed, and the answer's `start` sends the newest microphone block before it returns; the stream
    /// goes on from there without a gap, with the answer's payload type and key.
    @Test func aPreparedCallSendsNothingBeforeTheAnswerAndItsFirstAudioWithTheStart() async throws {
        let kiosk = try CallMedia(localHost: "127.0.0.1")
        let agent = try CallMedia(localHost: "127.0.0.1")
        let kioskKeys = Keys(), agentKeys = Keys()
        try await agent.start(plan: Self.plan(to: kiosk, kiosk: false, mine: agentKeys, theirs: kioskKeys, sendsAudio: false,
                                              sendsVideo: false, receivesVideo: true), settings: Self.settings)
        await kiosk.prepare(settings: Self.settings)
        await kiosk.prepare(settings: Self.settings)  // a second prepare changes nothing
        await Self.sleep(0.5)
        #expect(agent.statistics.audio.packets == 0 && agent.statistics.audio.srtpFailures == 0 && agent.statistics.audio.malformed == 0)
        #expect(kiosk.statistics.send.audioPacketsSent == 0)
        #expect(!kiosk.isCameraOpen && kiosk.statistics.send.cameraOpens == 0)

        try await kiosk.start(plan: Self.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsVideo: true, receivesVideo: true),
                              settings: Self.settings)
        // The block read while waiting went out within the start.
        #expect(kiosk.statistics.send.audioPacketsSent >= 1)
        await Self.sleep(1.0)
        try await kiosk.update(plan: Self.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsAudio: false,
                                               sendsVideo: false, receivesVideo: true))
        await Self.sleep(0.2)
        let k = kiosk.statistics, a = agent.statistics
        print("prepared kiosk sent audio \(k.send.audioPacketsSent), video \(k.send.videoPackets) packets; agent received audio \(a.audio.packets) (lost \(a.audio.lost)), video \(a.video.packets)")
        #expect(k.send.audioPacketsSent >= 40)  // about 1.2 s at 50 a second
        #expect(a.audio.packets == k.send.audioPacketsSent && a.audio.lost == 0)
        #expect(a.audio.payloadTypes == [109] && a.audio.ssrcs.count == 1 && a.audio.srtpFailures == 0)
        #expect(a.audio.rtcpByes == 1)
        // The camera opened only with the answer's video, and its packets arrived too.
        #expect(k.send.cameraOpens == 1 && a.video.packets > 0 && a.video.srtpFailures == 0)
        await Self.stopPromptly(kiosk)
        await Self.stopPromptly(agent)
    }

    /// A prepared call that ends unanswered, or whose answer does not take the kiosk's audio, sends none.
    @Test func aPreparedCallSendsNoAudioWhenTheAnswerDoesNotTakeItOrThereIsNone() async throws {
        let agent = try CallMedia(localHost: "127.0.0.1")
        let unanswered = try CallMedia(localHost: "127.0.0.1")
        let recvonly = try CallMedia(localHost: "127.0.0.1")
        let keys = Keys()
        try await agent.start(plan: Self.plan(to: recvonly, kiosk: false, mine: keys, theirs: keys, sendsAudio: false,
                                              sendsVideo: false, receivesVideo: false), settings: Self.settings)
        await unanswered.prepare(settings: Self.settings)
        await recvonly.prepare(settings: Self.settings)
        await Self.sleep(0.3)
        await Self.stopPromptly(unanswered)
        #expect(unanswered.statistics.send.audioPacketsSent == 0)
        try await recvonly.start(plan: Self.plan(to: agent, kiosk: true, mine: keys, theirs: keys, sendsAudio: false,
                                                 sendsVideo: false, receivesVideo: true), settings: Self.settings)
        await Self.sleep(0.5)
        #expect(recvonly.statistics.send.audioPacketsSent == 0)
        #expect(agent.statistics.audio.packets == 0 && agent.statistics.audio.rtcpByes == 0)
        await Self.stopPromptly(recvonly)
        await Self.stopPromptly(agent)
        // A prepare after the stop does nothing.
        await unanswered.prepare(settings: Self.settings)
        #expect(unanswered.statistics.send.audioPacketsSent == 0)
    }

    @Test func aWrongReceiveKeyFailsEveryPacketAndAcceptsNone() async throws {
        let kiosk = try CallMedia(localHost: "127.0.0.1")
        let agent = try CallMedia(localHost: "127.0.0.1")
        let kioskKeys = Keys(), agentKeys = Keys(), wrong = Keys()
        try await kiosk.start(plan: Self.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsVideo: false, receivesVideo: true),
                              settings: Self.settings)
        try await agent.start(plan: Self.plan(to: kiosk, kiosk: false, mine: agentKeys, theirs: wrong, sendsVideo: false, receivesVideo: false),
                              settings: Self.settings)
        await Self.sleep(1.2)
        try await kiosk.update(plan: Self.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsAudio: false, sendsVideo: false, receivesVideo: true))
        await Self.sleep(0.2)
        let sent = kiosk.statistics.send.audioPacketsSent
        let got = agent.statistics.audio
        #expect(sent >= 50)
        #expect(got.packets == 0 && got.rtcpPackets == 0 && got.lastArrivalNanos == nil)
        // Every RTP packet and every SRTCP report failed (a report a second, then the BYE).
        #expect(got.srtpFailures >= sent && got.srtpFailures <= sent + 4)
        #expect(got.lastSRTPError == .authenticationFailed)
        // The other direction was unharmed.
        #expect(kiosk.statistics.audio.packets > 0 && kiosk.statistics.audio.srtpFailures == 0)
        await Self.stopPromptly(kiosk)
        await Self.stopPromptly(agent)
    }

    @Test func garbageIsCountedAsMalformedAndReceptionGoesOn() async throws {
        let kiosk = try CallMedia(localHost: "127.0.0.1")
        let agent = try CallMedia(localHost: "127.0.0.1")
        let kioskKeys = Keys(), agentKeys = Keys()
        try await kiosk.start(plan: Self.plan(to: agent, kiosk: true, mine: kioskKeys, theirs: agentKeys, sendsVideo: false, receivesVideo: true),
                              settings: Self.settings)
        try await agent.start(plan: Self.plan(to: kiosk, kiosk: false, mine: agentKeys, theirs: kioskKeys, sendsVideo: false, receivesVideo: false),
                              settings: Self.settings)
        await Self.sleep(0.4)
        let before = agent.statistics.audio.packets
        #expect(before > 0)
        // Not RTP or RTCP: empty, too short, a STUN binding request, text, a DTLS record; to the RTP port
        // and to the RTCP port above it.
        let garbage: [[UInt8]] = [
            [], [0x80], [0x80, 0x6F, 0x01],
            [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42] + Array(repeating: 7, count: 12),
            Array("INVITE sip:kiosk@example.com SIP/2.0\r\n".utf8),
            [0x16, 0xFE, 0xFD] + Array(repeating: 0, count: 40),
            Array(repeating: 0xFF, count: 1400),
        ]
        let rtpPort = try UDPSocket(host: "127.0.0.1", port: agent.audioPort)
        let rtcpPort = try UDPSocket(host: "127.0.0.1", port: agent.audioRTCPPort)
        for _ in 0..<10 {
            for datagram in garbage {
                rtpPort.send(datagram)
                rtcpPort.send(datagram)
            }
        }
        await Self.sleep(0.5)
        let after = agent.statistics.audio
        #expect(after.malformed == 10 * garbage.count * 2)
        #expect(after.packets > before + 15)
        #expect(after.srtpFailures == 0)
        await Self.stopPromptly(kiosk)
        await Self.stopPromptly(agent)
    }

    @Test func withoutRtcpMuxRTCPUsesThePortsAboveAndPlainRTPWorks() async throws {
        let kiosk = try CallMedia(localHost: "127.0.0.1")
        let agent = try CallMedia(localHost: "127.0.0.1")
        try await kiosk.start(plan: Self.plan(to: agent, kiosk: true, mine: nil, theirs: nil, sendsVideo: false, receivesVideo: true, rtcpMux: false),
                              settings: Self.settings)
        try await agent.start(plan: Self.plan(to: kiosk, kiosk: false, mine: nil, theirs: nil, sendsVideo: false, receivesVideo: false, rtcpMux: false),
                              settings: Self.settings)
        await Self.sleep(0.6)
        for side in [kiosk.statistics, agent.statistics] {
            #expect(side.audio.packets > 15 && side.audio.rtcpPackets >= 1 && side.audio.srtpFailures == 0)
        }
        // The kiosk's stop sends its RTCP BYE, from its RTCP port to the agent's.
        await Self.stopPromptly(kiosk)
        await Self.sleep(0.2)
        #expect(agent.statistics.audio.rtcpByes == 1)
        await Self.stopPromptly(agent)
    }

    @Test func portsComeInPairsFromTheConfiguredRange() async throws {
        let base = 20_000 + 2 * Int.random(in: 0..<10_000)
        let range = base...(base + 7)  // room for two calls, two pairs each
        let first = try CallMedia(localHost: "127.0.0.1", portRange: range)
        let second = try CallMedia(localHost: "127.0.0.1", portRange: range)
        let ports = [first.audioPort, first.videoPort, second.audioPort, second.videoPort]
        #expect(ports.allSatisfy { range.contains($0) && range.contains($0 + 1) && $0 % 2 == 0 })
        #expect(Set(ports).count == 4)
        #expect(first.audioRTCPPort == first.audioPort + 1)
        #expect(throws: CallMediaError.noFreePorts(range)) { try CallMedia(localHost: "127.0.0.1", portRange: range) }
        await first.stop()
        // Stopped media gave its ports back.
        let third = try CallMedia(localHost: "127.0.0.1", portRange: range)
        #expect(Set([third.audioPort, third.videoPort]) == Set([first.audioPort, first.videoPort]))
        #expect(throws: CallMediaError.badPortRange(5000...5002)) { try CallMedia(portRange: 5000...5002) }
        await second.stop()
        await third.stop()
    }

    @Test func theLifecycleIsCheckedAndStopIsIdempotent() async throws {
        let media = try CallMedia(localHost: "127.0.0.1")
        let peer = try CallMedia(localHost: "127.0.0.1")
        let plan = Self.plan(to: peer, kiosk: true, mine: Keys(), theirs: Keys(), sendsVideo: false, receivesVideo: true)
        await #expect(throws: CallMediaError.notStarted) { try await media.update(plan: plan) }
        var bad = plan
        bad.audio?.sendKey = [1, 2, 3]
        await #expect(throws: CallMediaError.self) { try await media.start(plan: bad, settings: Self.settings) }
        try await media.start(plan: plan, settings: Self.settings)
        await #expect(throws: CallMediaError.alreadyStarted) { try await media.start(plan: plan, settings: Self.settings) }
        // Two stops at once: both return promptly, the second finds it done.
        let clock = ContinuousClock()
        let took = await clock.measure {
            async let one: Void = media.stop()
            async let two: Void = media.stop()
            _ = await (one, two)
        }
        #expect(took < .seconds(1))
        await #expect(throws: CallMediaError.stopped) { try await media.start(plan: plan, settings: Self.settings) }
        await #expect(throws: CallMediaError.stopped) { try await media.update(plan: plan) }
        await peer.stop()
        await peer.stop()
    }
}
