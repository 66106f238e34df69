/// A microphone whose blocks go through the echo canceller before anyone sees them: hand it to the
/// send pipeline in place of the microphone, and the speaker's echo never reaches the Opus encoder.
/// Like every source it is used by one capture thread, which is the canceller's capture side.
public final class EchoCancelledAudioSource: AudioSource, @unchecked Sendable {
    public let source: any AudioSource
    public let canceller: EchoCanceller
    public var sampleRate: Int { source.sampleRate }
    public var channels: Int { source.channels }
    public var name: String { "\(source.name), echo cancelled" }

    public init(source: any AudioSource, canceller: EchoCanceller) {
        precondition(source.channels == 1 && source.sampleRate == canceller.settings.sampleRate,
                     "the canceller takes mono audio at its own rate")
        self.source = source
        self.canceller = canceller
    }

    public func nextBlock(samplesPerChannel: Int) throws(CaptureError) -> [Int16] {
        canceller.capture(try source.nextBlock(samplesPerChannel: samplesPerChannel))
    }

    public func close() { source.close() }
}
