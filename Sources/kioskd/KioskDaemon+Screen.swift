import ArgumentParser
import Display
import Kiosk
import Logging
import Media
#if canImport(Glibc)
import Glibc
#endif

extension KioskDaemon {
    /// Draws one screen on the kiosk's display and holds it: a technician's check of the display, and
    /// how the virtual board's test puts a known picture on the framebuffer. With `--video`, the in-call
    /// screen shows the last picture decoded from a VP8 file (IVF), through the same decoder and renderer
    /// a call uses.
    struct Screen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw one screen on the display and hold it.")

        enum Shown: String, ExpressibleByArgument, CaseIterable { case idle, connecting, inCall = "in-call", ended, outOfService = "out-of-service" }

        @Option(name: .shortAndLong, help: "The configuration file (its display section, kiosk name and languages).")
        var config: String?

        @Option(help: "The display: a framebuffer path (/dev/fb0) or offscreen:DIR; default: the configuration's.")
        var display: String?

        @Option(help: "The screen: \(Shown.allCases.map(\.rawValue).joined(separator: ", ")).")
        var show: Shown = .idle

        @Option(help: "The language (en, de, zh).")
        var language: String = "en"

        @Option(help: "A VP8 file (IVF) whose last picture the in-call screen shows as the agent's.")
        var video: String?

        @Option(help: "The category the connecting screen names.")
        var category: String?

        @Option(help: "Seconds to hold the screen before exiting.")
        var hold: Double = 0

        func run() async throws {
            var settings = KioskConfig()
            if let config {
                do { settings = try KioskConfig.load(path: config) } catch {
                    FileHandleStderr.write("kioskd: \(error)\n")
                    throw ExitCode(exitConfigError)
                }
            }
            do {
                if let display {
                    var text = #"{ "display": { "device": "\#(display)" } }"#
                    if case .none = settings.screen.output {} else if display.hasPrefix("offscreen:") {
                        text = #"{ "display": { "device": "\#(display)", "size": "\#(settings.screen.size)" } }"#
                    }
                    settings.screen.output = try KioskConfig.parse(Array(text.utf8), file: "--display").screen.output
                }
                guard Language.supported.contains(Language(code: language)) else {
                    throw ConfigError(option: "--language", problem: "'\(language)' has no strings; known: en, de, zh")
                }
                if hold < 0 || hold > 86_400 { throw ConfigError(option: "--hold", problem: "\(hold) is out of range 0...86400") }
            } catch {
                FileHandleStderr.write("kioskd: \(error)\n")
                throw ExitCode(exitUsageError)
            }
            let logger = makeLogger(label: "kioskd", level: settings.logLevel)
            var picture: VideoFrame?
            if let video {
                do { picture = try Self.lastPicture(of: video) } catch {
                    logger.error("screen: \(error)")
                    throw ExitCode(1)
                }
            }
            let presenter: ScreenPresenter
            do {
                presenter = try ScreenPresenter(settings: settings.screen, kioskName: settings.identity.name, logger: logger)
            } catch {
                logger.error("\(error)")
                throw ExitCode(1)
            }
            let languages = settings.screen.languages.map { Language(code: $0) }
            presenter.setLanguage(language)
            switch show {
            case .idle: presenter.show(.idle(languages: languages))
            case .connecting: presenter.show(.connecting(category: category))
            case .inCall: presenter.show(.inCall(InCallScreen()))
            case .ended: presenter.show(.callEnded(duration: .seconds(272), reason: .agentHungUp))
            case .outOfService: presenter.show(.outOfService(reason: "display check"))
            }
            if let picture { presenter.agentPicture(picture) }
            presenter.start()
            // Drawn (with the picture, handed over before the start) once the presenter came round.
            let deadline = ContinuousClock.now + .seconds(5)
            while presenter.presented == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            logger.info("screen: \(show.rawValue) drawn\(picture.map { " with a \($0.width)x\($0.height) picture" } ?? "")")
            if hold > 0 { try await Task.sleep(for: .milliseconds(Int(hold * 1000))) }
            presenter.stop()
            guard presenter.presented > 0 else { throw ExitCode(1) }
        }

        /// The last picture libvpx decodes from an IVF file.
        static func lastPicture(of path: String) throws -> VideoFrame {
            let bytes = try readFileBytes(path, limit: 64 << 20)
            guard bytes.count >= 32, bytes[0] == 0x44, bytes[1] == 0x4B, bytes[2] == 0x49, bytes[3] == 0x46 else {
                throw FileWriteError(path: path, reason: "not an IVF file", reading: true)
            }
            let decoder = try VP8Decoder()
            var offset = Int(bytes[6]) | Int(bytes[7]) << 8
            var last: VideoFrame?
            while offset + 12 <= bytes.count {
                let size = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
                offset += 12
                guard size > 0, offset + size <= bytes.count else { break }
                if let picture = try? decoder.decode(Array(bytes[offset..<offset + size])) { last = picture }
                offset += size
            }
            guard let last else { throw FileWriteError(path: path, reason: "no VP8 picture decoded", reading: true) }
            return last
        }
    }
}
