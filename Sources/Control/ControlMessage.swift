/// The control socket's protocol, version 1: newline-delimited JSON over a Unix stream socket.
///
/// Request:  `{"v":1,"id":7,"command":"status","args":{}}`
/// Reply:    `{"v":1,"id":7,"ok":true,"result":{…}}`
/// Failure:  `{"v":1,"id":7,"ok":false,"error":{"code":"unknown-command","message":"…"}}`
/// A streaming command (`logs` with `follow`, `test.mic`) sends replies with `"more":true` and ends with
/// one without it. A line that is not a request gets a failure with `"id":null` (or its id, when that
/// much could be read); the connection stays open.
public enum ControlProtocol {
    public static let version = 1
    /// The longest request or reply line; a longer line is answered with `too-long` and skipped.
    public static let maximumLineBytes = 1 << 20
    /// Where the daemon listens unless the configuration says otherwise.
    public static let defaultSocketPath = "/run/kioskd/control.sock"
}

/// The commands the daemon answers. The wire names are dotted for sub-commands (`test.camera`).
public enum ControlCommand: String, CaseIterable, Sendable {
    case status
    case devices
    case version
    case testCamera = "test.camera"
    case testMic = "test.mic"
    case testSpeaker = "test.speaker"
    case testDisplay = "test.display"
    case testNetwork = "test.network"
    case call
    case hangup
    case configShow = "config.show"
    case configValidate = "config.validate"
    case configSet = "config.set"
    case logs
}

public struct ControlRequest: Sendable, Equatable {
    public var version: Int
    public var id: Int
    public var command: String
    public var args: ControlValue

    public init(id: Int, command: ControlCommand, args: ControlValue = .object([])) {
        self.init(version: ControlProtocol.version, id: id, command: command.rawValue, args: args)
    }

    public init(version: Int, id: Int, command: String, args: ControlValue) {
        self.version = version
        self.id = id
        self.command = command
        self.args = args
    }

    /// A request line read: the request and its command, or the failure reply to send back.
    public enum Decoded: Sendable, Equatable {
        case request(ControlRequest, ControlCommand)
        case rejected(ControlResponse)
    }

    public var line: String {
        ControlValue.object([("v", .int(version)), ("id", .int(id)), ("command", .string(command)), ("args", args)]).json + "\n"
    }

    /// Reads one request line. What cannot be used becomes the failure reply to send back, with the
    /// request's id when it could be read; the known command is checked here too.
    public static func decode(_ line: [UInt8]) -> Decoded {
        let value: ControlValue
        do { value = try ControlValue(parsing: line) } catch {
            return .rejected(.failure(id: nil, .init(.badRequest, "not JSON: \(error)")))
        }
        guard case .object = value else {
            return .rejected(.failure(id: nil, .init(.badRequest, "a request is a JSON object, not \(value.kind)")))
        }
        let id = value["id"]?.int
        guard let v = value["v"] else {
            return .rejected(.failure(id: id, .init(.badRequest, "the request has no protocol version \"v\"")))
        }
        guard v.int == ControlProtocol.version else {
            return .rejected(.failure(id: id, .init(.unsupportedVersion,
                "protocol version \(v.json) is not supported; this daemon speaks version \(ControlProtocol.version)")))
        }
        guard let id else { return .rejected(.failure(id: nil, .init(.badRequest, "the request has no whole-number \"id\""))) }
        guard let name = value["command"]?.string else {
            return .rejected(.failure(id: id, .init(.badRequest, "the request has no \"command\" string")))
        }
        let args = value["args"] ?? .object([])
        guard case .object = args else {
            return .rejected(.failure(id: id, .init(.badRequest, "\"args\" is an object, not \(args.kind)")))
        }
        guard let command = ControlCommand(rawValue: name) else {
            let known = ControlCommand.allCases.map(\.rawValue).joined(separator: ", ")
            return .rejected(.failure(id: id, .init(.unknownCommand, "unknown command '\(name)' (known: \(known))")))
        }
        return .request(ControlRequest(version: ControlProtocol.version, id: id, command: name, args: args), command)
    }
}

/// Why the daemon said no.
public struct ControlFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// Not a request: not JSON, or fields missing or of the wrong kind.
        case badRequest = "bad-request"
        case tooLong = "too-long"
        case unsupportedVersion = "unsupported-version"
        case unknownCommand = "unknown-command"
        /// An argument is missing or wrong (the message names it).
        case badArgument = "bad-argument"
        /// A customer is in a call (device tests) or a call is already up.
        case busy
        /// What the command needs is not there (no SIP section, no screen, no test destination).
        case unavailable
        /// The command ran and did not succeed (the message says why).
        case failed
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

public struct ControlResponse: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case result(ControlValue)
        case failure(ControlFailure)
    }

    public var id: Int?
    public var outcome: Outcome
    /// More replies follow for this request (a stream).
    public var more: Bool

    public init(id: Int?, outcome: Outcome, more: Bool = false) {
        self.id = id
        self.outcome = outcome
        self.more = more
    }

    public static func result(id: Int, _ value: ControlValue, more: Bool = false) -> ControlResponse {
        ControlResponse(id: id, outcome: .result(value), more: more)
    }

    public static func failure(id: Int?, _ failure: ControlFailure) -> ControlResponse {
        ControlResponse(id: id, outcome: .failure(failure))
    }

    public var value: ControlValue {
        var pairs: [(String, ControlValue)] = [("v", .int(ControlProtocol.version)), ("id", id.map { .int($0) } ?? .null)]
        switch outcome {
        case let .result(result):
            pairs.append(("ok", true))
            if more { pairs.append(("more", true)) }
            pairs.append(("result", result))
        case let .failure(failure):
            pairs.append(("ok", false))
            pairs.append(("error", ["code": .string(failure.code.rawValue), "message": .string(failure.message)]))
        }
        return .object(pairs)
    }

    public var line: String { value.json + "\n" }

    /// Reads a reply line (the client's side). A reply from another protocol version is an error.
    public init(parsing line: [UInt8]) throws(ControlJSONError) {
        let value = try ControlValue(parsing: line)
        guard value["v"]?.int == ControlProtocol.version else {
            throw ControlJSONError(offset: 0, problem: "the daemon answered with protocol version \(value["v"]?.json ?? "none"), not \(ControlProtocol.version)")
        }
        guard let ok = value["ok"]?.bool else { throw ControlJSONError(offset: 0, problem: "the reply has no \"ok\"") }
        id = value["id"]?.int
        more = value["more"]?.bool ?? false
        if ok {
            outcome = .result(value["result"] ?? .null)
        } else {
            let code = value["error"]?["code"]?.string.flatMap(ControlFailure.Code.init(rawValue:)) ?? .failed
            outcome = .failure(ControlFailure(code, value["error"]?["message"]?.string ?? "no reason given"))
        }
    }
}
