import ArgumentParser
import Control
#if canImport(Glibc)
import Glibc
#endif

extension KioskCtl {
    public struct Config: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Show, check or change kioskd's configuration file.",
            subcommands: [Show.self, Validate.self, Set.self]
        )
        public init() {}
    }
}

extension KioskCtl.Config {
    public struct Show: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "The configuration kioskd runs from (secrets masked).")
        @OptionGroup public var connection: ConnectionOptions
        public init() {}
        public func run() throws { try Runner(connection).run(.configShow) }
    }

    public struct Validate: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Check a configuration file the way kioskd reads it at start; a problem names its key.")
        @OptionGroup public var connection: ConnectionOptions
        @Argument(help: "The file to check.", completion: .file(extensions: ["json"]))
        public var file: String
        public init() {}
        public func run() throws {
            let text: String
            do { text = String(decoding: try readFileContents(file), as: UTF8.self) } catch {
                printError("kioskctl: cannot read \(file): \(error)")
                throw ExitCode(KioskCtlExit.noInput)
            }
            try Runner(connection).run(.configValidate, ["path": .string(file), "text": .string(text)])
        }
    }

    public struct Set: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Set one key (dotted: camera.fps) to a value; checked, then written atomically. Taken at once where the daemon can (between calls), else at its next start.",
            discussion: "VALUE is read as JSON when it is JSON (30, true, [\"en\",\"de\"]), otherwise as text.")
        @OptionGroup public var connection: ConnectionOptions
        @Argument(help: "The dotted key, e.g. camera.fps.") public var key: String
        @Argument(help: "The new value.") public var value: String
        public init() {}
        public func validate() throws {
            guard !key.isEmpty, !key.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
                throw ValidationError("'\(key)' is not a dotted key such as camera.fps")
            }
        }
        public func run() throws {
            try Runner(connection).run(.configSet, ["key": .string(key), "value": .string(value)])
        }
    }
}
