import Control
#if canImport(Glibc)
import Glibc
#endif

extension ControlCommands {
    static var secretKeys: Set<String> { KioskConfig.secretKeys }

    func readConfigTree() throws(ControlFailure) -> ControlValue {
        let bytes: [UInt8]
        do { bytes = try readFile(configPath) } catch {
            throw ControlFailure(.failed, "cannot read \(configPath): \(error.reason)")
        }
        do { return try ControlValue(parsing: bytes) } catch {
            throw ControlFailure(.failed, "\(configPath) is not valid JSON: \(error)")
        }
    }

    func configShow() throws(ControlFailure) -> ControlValue {
        ["path": .string(configPath), "config": Self.masked(try readConfigTree())]
    }

    static func masked(_ value: ControlValue) -> ControlValue {
        switch value {
        case let .object(pairs):
            return .object(pairs.map { key, v -> (String, ControlValue) in
                (key, secretKeys.contains(key) && v != .null ? KioskConfig.secretMask : masked(v))
            })
        case let .array(items): return .array(items.map(masked))
        default: return value
        }
    }

    /// Checks a configuration a technician has (its text comes over the socket: kioskctl reads the file).
    func configValidate(_ args: ControlValue) throws(ControlFailure) -> ControlValue {
        let text = try Self.string(args, "text")
        let name = args["path"]?.string ?? "(given)"
        do {
            let parsed = try KioskConfig.parse(Array(text.utf8), file: name)
            return ["path": .string(name), "valid": true, "kiosk": .string(parsed.identity.id)]
        } catch {
            throw ControlFailure(.failed, "\(error)")
        }
    }

    /// Sets one dotted key in the configuration file, checks the whole result as the daemon would read
    /// it at start, and replaces the file atomically; nothing is written when the check fails.
    func configSet(_ args: ControlValue) async throws(ControlFailure) -> ControlValue {
        let key = try Self.string(args, "key")
        let text = try Self.string(args, "value")
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
            throw ControlFailure(.badArgument, "'\(key)' is not a dotted key such as camera.fps")
        }
        // The value as JSON when it is JSON (30, true, ["en","de"], "quoted"), otherwise as a string.
        let value = (try? ControlValue(parsing: text)) ?? .string(text)
        let tree = try readConfigTree()
        let updated = try Self.setting(value, at: path[...], in: tree, key: key)
        let json = updated.prettyJSON + "\n"
        let parsed: KioskConfig
        do {
            parsed = try KioskConfig.parse(Array(json.utf8), file: live.writePath)
        } catch {
            throw ControlFailure(.failed, "not changed: \(error)")
        }
        let change = try await writeAndTake(json, parsed)
        logger.notice("control: config \(key) set to \(value.json) in \(live.writePath)")
        return .object([("path", .string(live.writePath)), ("key", .string(key)), ("value", value)] + Self.describe(change, busy: await engineInUse()))
    }

    /// Writes a checked configuration (`parsed` is `json` read) to the file changes go to, and hands the
    /// running daemon what it can take without a restart.
    func writeAndTake(_ json: String, _ parsed: KioskConfig) async throws(ControlFailure) -> ConfigurationChange {
        try Self.writeAtomically(json, to: live.writePath)
        let change = live.adopt(parsed)
        if !change.live.isEmpty {
            let busy = await engineInUse()
            logger.notice("config: taken without a restart\(busy == nil ? "" : " when the call has ended"): \(change.live.joined(separator: ", "))")
        }
        if !change.needsRestart.isEmpty {
            logger.notice("config: at the next start of kioskd: \(change.needsRestart.joined(separator: ", "))")
        }
        return change
    }

    /// What a change did, for the reply: which keys the daemon took (now, or after the call) and which
    /// wait for a restart.
    static func describe(_ change: ConfigurationChange, busy: String?) -> [(String, ControlValue)] {
        var applies: [String] = []
        if change.isEmpty { applies.append("nothing changed for the running daemon") }
        if !change.live.isEmpty { applies.append(busy == nil ? "now" : "when the current call has ended (\(busy!))") }
        if !change.needsRestart.isEmpty {
            applies.append("\(change.live.isEmpty ? "" : "the rest ")at the next start of kioskd (systemctl restart kioskd, or POST /v1/actions/restart)")
        }
        return [("applies", .string(applies.joined(separator: "; "))),
                ("appliedLive", .array(change.live.map { .string($0) })),
                ("needsRestart", .array(change.needsRestart.map { .string($0) }))]
    }

    static func setting(_ value: ControlValue, at path: ArraySlice<String>, in tree: ControlValue, key: String) throws(ControlFailure) -> ControlValue {
        guard let name = path.first else { return value }
        var pairs: [(String, ControlValue)]
        switch tree {
        case let .object(existing): pairs = existing
        case .null: pairs = []
        default:
            let parent = key.split(separator: ".").prefix(key.split(separator: ".").count - path.count).joined(separator: ".")
            throw ControlFailure(.badArgument, "\(parent) is \(tree.kind), not a section")
        }
        if let index = pairs.firstIndex(where: { $0.0 == name }) {
            pairs[index].1 = try setting(value, at: path.dropFirst(), in: pairs[index].1, key: key)
        } else {
            pairs.append((name, try setting(value, at: path.dropFirst(), in: .null, key: key)))
        }
        return .object(pairs)
    }

    /// Writes a sibling temporary file (same mode as the old one), syncs it and renames it over the
    /// file, so a reader or a power cut sees the old file or the new one, never half of one.
    static func writeAtomically(_ text: String, to path: String) throws(ControlFailure) {
        func fail(_ step: String) -> ControlFailure {
            ControlFailure(.failed, "cannot write \(path) (\(step)): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        let mode = stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0o644
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw fail("create \(temporary)") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = fail("write")
                close(fd)
                unlink(temporary)
                throw error
            }
            written += n
        }
        if fsync(fd) != 0 {
            let error = fail("fsync")
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = fail("rename")
            unlink(temporary)
            throw error
        }
        let dirfd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }
}
