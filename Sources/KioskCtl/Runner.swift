import ArgumentParser
import Control
#if canImport(Glibc)
import Glibc
#endif

/// Sends one command and prints what comes back: text for people (the default) or JSON for scripts
/// (`--json`: the result object; a stream's replies one JSON line each). Failures go to standard error
/// and set the exit status (KioskCtlExit).
struct Runner {
    let connection: ConnectionOptions

    init(_ connection: ConnectionOptions) { self.connection = connection }

    func run(_ command: ControlCommand, _ args: ControlValue = [:], timeout: Double? = 30) throws {
        let client: ControlClient
        let response: ControlResponse
        do {
            client = try ControlClient(path: connection.socketPath)
            response = try client.send(command, args, timeout: timeout) { item in
                let text = connection.json ? item.json : HumanOutput.streamItem(command, item)
                if !text.isEmpty { printOut(text) }
            }
        } catch .closed(_) where command == .logs && timeout == nil {
            // Following the log ends when kioskd stops: the end of the stream, not a failure.
            printError("kioskctl: kioskd stopped; no more lines")
            return
        } catch {
            printError("kioskctl: \(error)")
            if connection.json { printOut(Self.errorJSON(code: Self.code(error), message: error.description)) }
            throw ExitCode(KioskCtlExit.code(for: error))
        }
        switch response.outcome {
        case let .result(value):
            let text = connection.json ? value.prettyJSON : HumanOutput.render(command, value)
            if !text.isEmpty { printOut(text) }
            // A test that ran and found a problem (`"ok": false`, e.g. an endpoint that does not answer).
            if value["ok"]?.bool == false { throw ExitCode(KioskCtlExit.refused) }
        case let .failure(failure):
            if connection.json { printOut(Self.errorJSON(code: failure.code.rawValue, message: failure.message)) }
            printError("kioskctl: \(failure.message)")
            throw ExitCode(KioskCtlExit.refused)
        }
    }

    static func errorJSON(code: String, message: String) -> String {
        let value: ControlValue = ["error": ["code": .string(code), "message": .string(message)]]
        return value.prettyJSON
    }

    static func code(_ error: ControlClientError) -> String {
        switch error {
        case .permissionDenied: "permission-denied"
        case .notRunning: "not-running"
        case .io: "io"
        case .protocolError: "protocol"
        case .timedOut: "timed-out"
        case .closed: "closed"
        }
    }
}

/// Straight to the file descriptor, a line at a time, so `logs --follow` piped into another program
/// shows each line as it comes.
func printOut(_ text: String) { writeLine(text, to: 1) }

func printError(_ text: String) { writeLine(text, to: 2) }

func writeLine(_ text: String, to fd: Int32) {
    var bytes = Array((text + "\n").utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }  // a closed pipe: nothing more to say
        bytes = bytes.dropFirst(n)
    }
}

enum Environment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// The replies as a technician reads them: `key: value` lines, aligned, nested sections indented,
/// lists of records as `-` items; a few commands have a shape of their own (logs, the mic meter).
enum HumanOutput {
    static func render(_ command: ControlCommand, _ value: ControlValue) -> String {
        switch command {
        case .logs:
            return (value["lines"]?.array ?? []).compactMap(\.string).joined(separator: "\n")
        case .testMic:
            return "microphone \(value["microphone"]?.string ?? "?"): \(format(value["seconds"] ?? .null)) s"
        case .configShow:
            return "# \(value["path"]?.string ?? "")\n" + (value["config"] ?? .null).prettyJSON
        case .configValidate:
            return "\(value["path"]?.string ?? "the file") is valid (kiosk \(value["kiosk"]?.string ?? "?"))"
        default:
            return lines(value, indent: "").joined(separator: "\n")
        }
    }

    static func streamItem(_ command: ControlCommand, _ value: ControlValue) -> String {
        switch command {
        case .logs:
            return (value["lines"]?.array ?? []).compactMap(\.string).joined(separator: "\n")
        case .testMic:
            let rms = value["rmsDBFS"]?.double ?? -120, peak = value["peakDBFS"]?.double ?? -120
            return "\(value["meter"]?.string ?? "") \(padLeft(format(.double(rms)), 6)) dBFS rms, peak \(format(.double(peak))) dBFS"
        default:
            return lines(value, indent: "").joined(separator: "\n")
        }
    }

    static func lines(_ value: ControlValue, indent: String) -> [String] {
        guard let pairs = value.objectPairs else { return [indent + format(value)] }
        let width = pairs.map { label($0.0).count }.max() ?? 0
        var out: [String] = []
        for (key, item) in pairs {
            let name = label(key)
            switch item {
            case let .object(inner) where !inner.isEmpty:
                out.append("\(indent)\(name):")
                out += lines(item, indent: indent + "  ")
            case let .array(items) where items.contains(where: { $0.objectPairs != nil || $0.array != nil }):
                out.append("\(indent)\(name):")
                for element in items {
                    let inner = lines(element, indent: indent + "    ")
                    guard let first = inner.first else { continue }
                    out.append(indent + "  - " + first.dropFirst(indent.count + 4))
                    out += inner.dropFirst()
                }
            case let .array(items) where items.count > 1 && items.allSatisfy({ ($0.string?.count ?? 0) > 40 }):
                out.append("\(indent)\(name):")
                out += items.map { indent + "  " + format($0) }
            default:
                out.append("\(indent)\(pad(name + ":", width + 1)) \(format(item))")
            }
        }
        return out
    }

    static func format(_ value: ControlValue) -> String {
        switch value {
        case .null: return "-"
        case let .bool(b): return b ? "yes" : "no"
        case let .int(i): return String(i)
        case let .double(d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case let .string(s): return s
        case let .array(items): return items.isEmpty ? "none" : items.map(format).joined(separator: ", ")
        case .object: return value.json
        }
    }

    /// `uptimeSeconds` → `uptime seconds`, `rttMs` → `rtt ms`.
    static func label(_ key: String) -> String {
        var out = ""
        for ch in key {
            if ch.isUppercase, !out.isEmpty, out.last != " " {
                out.append(" ")
            }
            out.append(ch.isUppercase && !isAcronym(key) ? Character(ch.lowercased()) : ch)
        }
        return out
    }

    static func isAcronym(_ key: String) -> Bool { key.allSatisfy(\.isUppercase) }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
