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
            do { text = try readTextFile(file) } catch {
                printError("kioskctl: cannot read \(file): \(error)")
                throw ExitCode(KioskCtlExit.noInput)
            }
            try Runner(connection).run(.configValidate, ["path": .string(file), "text": .string(text)])
        }
    }

    public struct Set: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Set one key (dotted: camera.fps) to a value; checked, then written atomically. Applies at kioskd's next start.",
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

struct FileReadError: Error, CustomStringConvertible {
    var description: String
}

/// A configuration file's text (at most 1 MiB: a configuration is small).
func readTextFile(_ path: String) throws(FileReadError) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileReadError(description: String(cString: strerror(errno))) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileReadError(description: String(cString: strerror(errno)))
        }
        if n == 0 { break }
        bytes += chunk[0..<n]
        if bytes.count > 1 << 20 { throw FileReadError(description: "larger than 1 MiB") }
    }
    return String(decoding: bytes, as: UTF8.self)
}
