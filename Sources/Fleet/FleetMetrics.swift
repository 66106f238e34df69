import Kiosk
import Media
import Prometheus

/// /metrics: the daemon's figures in Prometheus' text format (swift-prometheus' registry). Counts come
/// from the engine's CallTally (counters move by what changed since the last scrape); the answered
/// call's media figures are gauges of that call, zero outside one. An actor: two scrapes at once must
/// not both add the same change.
actor FleetMetrics {
    let management: KioskManagement
    let registry = PrometheusCollectorRegistry()
    private var seen = CallTally.Snapshot()

    private let uptime, registered, inCall: Gauge
    private let placed, answered: Counter
    private var ended: [String: Counter] = [:]
    private let setup: DurationHistogram
    private let received, lost, lossRatio, jitter, sendBitrate: [String: Gauge]
    private let sendFPS, framesDecoded, longestFreeze, playoutDelay: Gauge
    private let deviceUp: [DeviceHealth.Device: Gauge]

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "kioskd", metricName: metric, unitName: unit, helpText: help)
    }

    init(management: KioskManagement) {
        self.management = management
        let r = registry
        r.makeGauge(descriptor: Self.name("build", "info", "The daemon's version and kiosk (always 1)."),
                    labels: [("version", management.version), ("kiosk", management.config.identity.id)]).set(to: 1)
        uptime = r.makeGauge(descriptor: Self.name("uptime", "seconds", "Seconds since the daemon started."))
        registered = r.makeGauge(descriptor: Self.name("sip_registered", "", "1 while the SIP registration holds, else 0."))
        inCall = r.makeGauge(descriptor: Self.name("call_in_progress", "", "1 while an answered call is in progress, else 0."))
        placed = r.makeCounter(descriptor: Self.name("calls_placed", "total", "Calls the kiosk placed."))
        answered = r.makeCounter(descriptor: Self.name("calls_answered", "total", "Calls the contact center answered."))
        setup = r.makeDurationHistogram(descriptor: Self.name("call_setup", "seconds", "From placing a call to its answer."),
                                        buckets: [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
                                                  .seconds(10), .seconds(20), .seconds(30), .seconds(60)])
        func perStream(_ metric: String, _ unit: String, _ help: String, _ streams: [String]) -> [String: Gauge] {
            Dictionary(uniqueKeysWithValues: streams.map { ($0, r.makeGauge(descriptor: Self.name(metric, unit, help), labels: [("stream", $0)])) })
        }
        received = perStream("call_packets_received", "", "RTP packets received in the current call.", ["audio", "video"])
        lost = perStream("call_packets_lost", "", "RTP packets lost in the current call (RFC 3550 expected - received).", ["audio", "video"])
        lossRatio = perStream("call_loss", "ratio", "Lost / expected RTP packets in the current call.", ["audio", "video"])
        jitter = perStream("call_jitter", "seconds", "Interarrival jitter (RFC 3550) of the agent's packets in the current call.", ["audio", "video"])
        sendBitrate = perStream("call_send_bitrate", "bits_per_second", "Mean bitrate the kiosk sent in the current call.", ["audio", "video"])
        sendFPS = r.makeGauge(descriptor: Self.name("call_video_send_fps", "", "Frames per second the camera side achieved in the current call."))
        framesDecoded = r.makeGauge(descriptor: Self.name("call_video_frames_decoded", "", "The agent's video frames decoded in the current call."))
        longestFreeze = r.makeGauge(descriptor: Self.name("call_video_longest_freeze", "seconds", "The longest gap between the agent's pictures in the current call."))
        playoutDelay = r.makeGauge(descriptor: Self.name("call_audio_playout_delay", "seconds", "The audio jitter buffer's playout delay (grows with network jitter)."))
        deviceUp = Dictionary(uniqueKeysWithValues: DeviceHealth.Device.allCases.map { device in
            (device, r.makeGauge(descriptor: Self.name("device_up", "", "1 while the configured device is there and working, 0 when it is missing, failed or not configured."),
                                 labels: [("device", device.rawValue)]))
        })
        for outcome in ["answered", "rejected", "noAnswer", "failed", "cancelled"] { ended[outcome] = Self.counter(r, outcome) }
    }

    private static func counter(_ registry: PrometheusCollectorRegistry, _ outcome: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("calls_ended", "total", "Calls ended, by outcome (answered: ended after an answer)."),
                             labels: [("outcome", outcome)])
    }

    func text() async -> String {
        uptime.set(to: management.uptimeSeconds)
        registered.set(to: await management.registrationState().hasPrefix("registered") ? 1 : 0)
        let health = await management.deviceHealth()
        for (device, gauge) in deviceUp { gauge.set(to: health[device] ? 1 : 0) }
        if let engine = management.sipAgent?.engine {
            let now = engine.tally.snapshot
            placed.increment(by: Int64(now.placed - seen.placed))
            answered.increment(by: Int64(now.answered - seen.answered))
            for (outcome, count) in now.ended {
                let counter = ended[outcome] ?? Self.counter(registry, outcome)
                ended[outcome] = counter
                counter.increment(by: Int64(count - seen.ended[outcome, default: 0]))
            }
            seen = now
            for time in engine.tally.takeSetupTimes() { setup.record(time) }
            media(await engine.mediaStatistics())
        } else {
            media(nil)
        }
        return registry.emitToString()
    }

    private func media(_ current: (statistics: CallMedia.Statistics, since: Duration)?) {
        inCall.set(to: current == nil ? 0 : 1)
        let s = current?.statistics
        let seconds = current.map { Double($0.since.components.seconds) + Double($0.since.components.attoseconds) / 1e18 } ?? 0
        for (stream, r) in [("audio", s?.audio), ("video", s?.video)] {
            received[stream]?.set(to: Double(r?.packets ?? 0))
            lost[stream]?.set(to: Double(r?.lost ?? 0))
            let expected = (r?.packets ?? 0) + (r?.lost ?? 0)
            lossRatio[stream]?.set(to: expected > 0 ? Double(r?.lost ?? 0) / Double(expected) : 0)
            jitter[stream]?.set(to: (r?.jitterMilliseconds ?? 0) / 1000)
        }
        sendBitrate["audio"]?.set(to: seconds > 0 ? Double(s?.send.audioBytes ?? 0) * 8 / seconds : 0)
        sendBitrate["video"]?.set(to: seconds > 0 ? Double(s?.send.videoBytes ?? 0) * 8 / seconds : 0)
        sendFPS.set(to: s?.send.videoMeasuredFPS ?? 0)
        framesDecoded.set(to: Double(s?.video.pictures?.framesDecoded ?? 0))
        longestFreeze.set(to: s?.video.pictures.map { Self.seconds($0.longestFreeze) } ?? 0)
        playoutDelay.set(to: s?.audio.sound.map { Self.seconds($0.playoutDelay) } ?? 0)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
