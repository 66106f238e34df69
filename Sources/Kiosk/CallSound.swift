import Logging
import Media

/// The agent's voice on the kiosk's speaker for one call, and the echo canceller that takes what the
/// speaker plays out of the microphone. A speaker that cannot be opened is one error line: the call goes
/// on without sound rather than failing (the screen and the agent still work).
final class CallSound: Sendable {
    let speaker: ALSASpeaker?
    let echoCanceller: EchoCanceller?

    init(settings: SpeakerSettings, microphone: MicrophoneSelection, logger: Logger) {
        guard let device = settings.device else {
            speaker = nil
            echoCanceller = nil
            return
        }
        // Only a real microphone picks up the speaker; the test tone has no echo to cancel (and the
        // noise suppressor would take a steady tone for noise).
        var canceller: EchoCanceller?
        if case .alsa = microphone, settings.echoCancellation || settings.noiseSuppression {
            var aec = EchoCanceller.Settings()
            if !settings.noiseSuppression { aec.noiseSuppressionDB = nil }
            canceller = EchoCanceller(settings: aec)
        }
        do {
            var tap: (@Sendable ([Int16]) -> Void)?
            if let canceller, settings.echoCancellation {
                tap = { samples in canceller.playback(samples) }
            }
            let speaker = try ALSASpeaker(device: device, logger: logger, playbackTap: tap)
            speaker.start()
            self.speaker = speaker
            logger.info("speaker: \(device), 48 kHz mono\(canceller != nil ? ", echo cancellation on the microphone" : "")")
        } catch {
            logger.error("speaker: \(error); the agent's voice is not played")
            self.speaker = nil
            canceller = nil
        }
        echoCanceller = canceller
    }

    /// Where the call's decoded voice goes; nil without a speaker.
    var audioSink: CallMedia.AudioSink? {
        guard let speaker else { return nil }
        return { speaker.play($0) }
    }

    func stop(logger: Logger) {
        guard let speaker else { return }
        speaker.stop()
        let s = speaker.statistics
        logger.info("speaker: played \(s.framesPlayed) frames (\(s.silenceFrames) of silence), \(s.underruns) underruns, \(s.framesDropped) dropped")
    }
}
