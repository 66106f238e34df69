import ArgumentParser
import Kiosk
import Logging
import Media
import SIP
import SIPTransport
import SIPUserAgent
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension KioskDaemon {
    /// A technician's test call, and the way tests drive a whole call through the real binary: it
    /// registers if a registrar is configured, places one call for a category, sends chat messages,
    /// and hangs up after a time (or when the agent does).
    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Place one call to the contact center and report what happened.")

        @Option(name: .shortAndLong, help: "The configuration file.")
        var config: String = "/etc/kioskd/kioskd.json"

        @Option(help: "The category the customer chose (picks the skill group).")
        var category: String = "default"

        @Option(help: "The customer's language (BCP 47).")
        var language: String = "en"

        @Option(help: "A known customer id, sent in the context.")
        var customerID: String?

        @Flag(help: "The customer agreed to show the camera before the call.")
        var cameraAgreed = false

        @Option(help: "Agree to the camera this many seconds into the call (a re-INVITE).")
        var agreeCameraAfter: Double?

        @Option(help: "Chat messages to send once the call is up.")
        var message: [String] = []

        @Option(help: "Hang up this many seconds after the answer (0: wait for the agent to hang up).")
        var hangUpAfter: Double = 10

        @Option(help: "Give up if the call has not ended after this many seconds in all.")
        var timeout: Double = 120

        func run() async throws {
            let settings: KioskConfig
            do { settings = try KioskConfig.load(path: config) } catch {
                FileHandleStderr.write("kioskd: \(error)\n")
                throw ExitCode(exitConfigError)
            }
            let logger = makeLogger(label: "kioskd", level: settings.logLevel)
            let ua = SIPService.userAgent(settings, logger: logger)
            do { try await ua.start() } catch {
                logger.error("sip: cannot listen on \(settings.sip.bindAddress):\(settings.sip.port): \(error)")
                throw ExitCode(1)
            }
            let registration = try await SIPService.registration(settings, userAgent: ua, logger: logger)
            if let registration {
                await registration.start()
                _ = await SIPService.waitUntilSettled(registration, seconds: 10)
            }
            // The screen, when one is configured: the call's screens and the agent's pictures on it.
            var presenter: ScreenPresenter?
            if settings.screen.output != .none {
                do {
                    presenter = try ScreenPresenter(settings: settings.screen, kioskName: settings.identity.name, logger: logger)
                    presenter?.start()
                } catch {
                    logger.error("\(error); the call goes on without a screen")
                }
            }
            let screens = presenter.map { CallScreenFollower(presenter: $0, languages: settings.screen.languages) }
            var pictureSink: CallMedia.PictureSink?, contentSink: CallMedia.PictureSink?
            if let presenter {
                pictureSink = { frame in presenter.agentPicture(frame) }
                contentSink = { frame in presenter.contentPicture(frame) }
            }
            let engine = CallEngine(config: settings, userAgent: ua, pictureSink: pictureSink, contentSink: contentSink, logger: logger)
            await engine.start()
            // One round of health checks first, so a dead entry point is not tried first.
            if settings.contactCenter.healthCheckSeconds > 0 { await engine.checkEndpoints() }
            let outcome = Mutex((answered: false, endedNormally: false))
            do {
                let context = try await engine.placeCall(.init(category: category, language: language, customerID: customerID,
                                                               cameraAgreed: cameraAgreed))
                logger.info("call: context \(settings.site.tagging.headers(for: context).map { "\($0.name): \($0.value)" }.joined(separator: " | "))")
                screens?.callPlaced(category: category, language: language)
                let hangUpAfter = self.hangUpAfter, agreeCameraAfter = self.agreeCameraAfter, messages = self.message
                let follower = Task {
                    var timers: [Task<Void, Never>] = []
                    defer { timers.forEach { $0.cancel() } }
                    for await event in engine.events {
                        screens?.handle(event)
                        switch event {
                        case .phase(.inCall):
                            outcome.withLock { $0.answered = true }
                            if hangUpAfter > 0 {
                                timers.append(Task { try? await Task.sleep(for: .milliseconds(Int(hangUpAfter * 1000))); await engine.hangUp() })
                            }
                            if let after = agreeCameraAfter {
                                timers.append(Task { try? await Task.sleep(for: .milliseconds(Int(after * 1000))); await engine.agreeToCamera() })
                            }
                            for text in messages { await engine.sendMessage(text) }
                        case let .phase(.ended(reason)):
                            outcome.withLock { $0.endedNormally = $0.answered && reason.contains("hung up") }
                            logger.info("call: over: \(reason)")
                            return
                        case let .messageReceived(text, sender):
                            logger.info("call: chat from \(sender ?? "the agent"): \(text)")
                        case let .cameraChanged(open):
                            logger.info("call: camera \(open ? "on" : "off")")
                        case .cameraRequested:
                            logger.info("call: the agent asks for the customer's camera")
                        case let .heldByAgent(held):
                            logger.info(held ? "call: on hold by the agent" : "call: the agent resumed the call")
                        case let .mediaFailed(why):
                            logger.info("call: media failed: \(why)")
                        case .contentShared, .callEnded:
                            break
                        case .phase:
                            break
                        }
                    }
                }
                let limit = Task {
                    try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                    guard !Task.isCancelled else { return }
                    logger.warning("call: still going after \(timeout) s; hanging up")
                    await engine.hangUp()
                }
                await follower.value
                limit.cancel()
            } catch {
                logger.error("call: \(error)")
            }
            let (answered, endedNormally) = outcome.withLock { ($0.answered, $0.endedNormally) }
            logger.debug("call: shutting down")
            await engine.stop()
            if let registration { await registration.stop() }
            logger.debug("call: registration removed")
            await ua.stop()
            logger.debug("call: user agent stopped")
            if let presenter {
                // The end screen stays a moment (and is drawn) before the program ends.
                try? await Task.sleep(for: .milliseconds(300))
                presenter.stop()
                logger.info("display: \(presenter.presented) pictures presented")
            }
            if !(answered && endedNormally) { throw ExitCode(1) }
        }
    }
}
