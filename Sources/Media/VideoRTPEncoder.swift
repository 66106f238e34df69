import RTP

/// The video send path without I/O: an I420 frame in, serialized RTP packets out (VP8 encode, RFC 7741
/// packetization, sequencing). The sender paces and sends what it returns; the benchmark times it alone.
///
/// The VP8 encoder is made for the size and rate of the frames that actually arrive (the camera's, once
/// it is open), not the configured ones: an encoder costs memory in proportion to its size, and a size
/// the camera refuses must fail as a camera error, not as an encoder that ate the board's memory. A new
/// size gets a new encoder; the RTP stream (SSRC, sequence numbers, picture IDs) goes on unchanged.
public final class VideoRTPEncoder: @unchecked Sendable {
    public private(set) var encoder: VP8Encoder?
    private var encoderSettings: VP8Encoder.Settings
    private let keyFrameIntervalSeconds: Int
    public private(set) var stream: RTPStream
    private var packetizer: VP8Packetizer
    private var firstCaptureNanos: UInt64?
    private var keyFrameRequested = false
    public private(set) var framesEncoded = 0
    public private(set) var keyFrames = 0

    public init(settings: MediaSettings, ssrc: UInt32, initialSequence: UInt16, initialTimestamp: UInt32,
                initialPictureID: UInt16) {
        encoderSettings = settings.encoderSettings
        keyFrameIntervalSeconds = settings.keyFrameIntervalSeconds
        stream = RTPStream(ssrc: ssrc, payloadType: settings.videoPayloadType, clockRate: 90_000,
                           initialSequence: initialSequence, initialTimestamp: initialTimestamp)
        packetizer = VP8Packetizer(maxPayloadSize: settings.maxPayloadSize, initialPictureID: initialPictureID)
    }

    /// Readies the encoder for frames of `size` at `framesPerSecond` (a camera just opened); a changed
    /// size or rate replaces the encoder, whose first frame is a key frame.
    public func prepare(size: FrameSize, framesPerSecond: Int) throws(VP8Encoder.EncoderError) {
        guard encoder == nil || encoderSettings.size != size || encoderSettings.framesPerSecond != framesPerSecond else { return }
        encoder = nil  // release the old encoder's buffers before the new one allocates its own
        encoderSettings.size = size
        encoderSettings.framesPerSecond = framesPerSecond
        encoderSettings.keyFrameInterval = keyFrameIntervalSeconds * framesPerSecond
        encoder = try VP8Encoder(settings: encoderSettings)
    }

    /// The next frame will be a key frame (a receiver lost its picture, or the source changed).
    public func requestKeyFrame() { keyFrameRequested = true }

    /// The 90 kHz media time of a frame, counted from the first frame's capture.
    public func mediaTicks(forCaptureNanos nanos: UInt64) -> UInt32 {
        let first = firstCaptureNanos ?? nanos
        let elapsed = nanos >= first ? nanos - first : 0
        return UInt32(truncatingIfNeeded: elapsed * 9 / 100_000)
    }

    /// Encodes and packetizes one frame. Empty when the encoder dropped it.
    public func packets(for frame: VideoFrame) throws(VP8Encoder.EncoderError) -> [RTPPacket] {
        try prepare(size: FrameSize(width: frame.width, height: frame.height), framesPerSecond: encoderSettings.framesPerSecond)
        guard let encoder else { return [] }
        if firstCaptureNanos == nil { firstCaptureNanos = frame.captureTimeNanos }
        if keyFrameRequested {
            encoder.requestKeyFrame()
            keyFrameRequested = false
        }
        guard let encoded = try encoder.encode(frame) else { return [] }
        framesEncoded += 1
        if encoded.isKeyFrame { keyFrames += 1 }
        let payloads = packetizer.payloads(for: encoded.data)
        return stream.packets(for: payloads, timestamp: mediaTicks(forCaptureNanos: frame.captureTimeNanos))
    }

    public func senderReport(ntp: NTPTimestamp, captureNanos: UInt64) -> RTCPSenderReport {
        stream.senderReport(ntp: ntp, rtpTimestamp: mediaTicks(forCaptureNanos: captureNanos))
    }
}

/// The audio send path without I/O: 20 ms of PCM in, one Opus RTP packet out (RFC 7587: 48 kHz clock).
public final class AudioRTPEncoder: @unchecked Sendable {
    public let encoder: OpusEncoder
    public private(set) var stream: RTPStream
    private var samplesEncoded: UInt64 = 0

    public convenience init(settings: MediaSettings, channels: Int, ssrc: UInt32, initialSequence: UInt16,
                            initialTimestamp: UInt32) throws(OpusEncoder.EncoderError) {
        self.init(encoder: try OpusEncoder(channels: channels, bitrate: settings.audioBitrateKbps * 1000),
                  payloadType: settings.audioPayloadType, ssrc: ssrc, initialSequence: initialSequence, initialTimestamp: initialTimestamp)
    }

    /// Around an encoder made earlier (a call makes it before the answer names the payload type).
    public init(encoder: OpusEncoder, payloadType: UInt8, ssrc: UInt32, initialSequence: UInt16, initialTimestamp: UInt32) {
        self.encoder = encoder
        stream = RTPStream(ssrc: ssrc, payloadType: payloadType, clockRate: 48_000,
                           initialSequence: initialSequence, initialTimestamp: initialTimestamp)
    }

    public func packet(for block: [Int16]) throws(OpusEncoder.EncoderError) -> RTPPacket {
        let payload = try encoder.encode(block)
        let ticks = UInt32(truncatingIfNeeded: samplesEncoded)
        samplesEncoded += UInt64(OpusEncoder.samplesPerFrame)
        // Audio marks only the first packet of a talk spurt; the stream never pauses, so only the first.
        return stream.packets(for: [payload], timestamp: ticks, marker: samplesEncoded == UInt64(OpusEncoder.samplesPerFrame) ? .firstPacket : .none)[0]
    }

    public var mediaTicks: UInt32 { UInt32(truncatingIfNeeded: samplesEncoded) }
}
