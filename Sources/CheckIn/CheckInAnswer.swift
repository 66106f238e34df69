import Control
import Kiosk

/// What one check-in's answer asks of the kiosk, decided from the HTTP status, the body and the
/// configuration the kiosk has now. No I/O: the service reads the file and makes the request.
public struct CheckInAnswer: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        /// 204, 200 without a configuration, or the configuration the kiosk already has.
        case nothing
        /// Take this configuration (the answer's `config`, as JSON) through KioskManagement.replaceConfig.
        /// `serverVersion`: the answer's `configVersion`, the server's name for it.
        case apply(config: [UInt8], serverVersion: String?)
        /// A 2xx answer the kiosk cannot use; reported in the next check-in's `lastConfigError`.
        case refuse(String)
        /// The server did not take the check-in (another status): a failed attempt, retried with backoff.
        case failed(String)
    }

    public var decision: Decision
    /// The server's wish for the wait until the next check-in (`nextCheckInSeconds`), within the allowed range.
    public var nextIntervalSeconds: Double?

    public init(decision: Decision, nextIntervalSeconds: Double? = nil) {
        self.decision = decision
        self.nextIntervalSeconds = nextIntervalSeconds
    }

    /// `currentVersion`: SHA-256 hex of the configuration file; `currentConfig`: that file parsed (nil
    /// when it cannot be read: then any configuration from the server is taken).
    public init(status: Int, body: [UInt8], currentVersion: String?, currentConfig: ControlValue?,
                intervalRange: ClosedRange<Double> = 1...86_400) {
        nextIntervalSeconds = nil
        switch status {
        case 204:
            decision = .nothing
            return
        case 200..<300:
            break
        default:
            decision = .failed("HTTP \(status)")
            return
        }
        // A 2xx without a body says nothing more than 204.
        if body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            decision = .nothing
            return
        }
        let answer: ControlValue
        do { answer = try ControlValue(parsing: body) } catch {
            decision = .refuse("the answer is not JSON: \(error)")
            return
        }
        guard case .object = answer else {
            decision = .refuse("the answer is \(answer.kind), not an object")
            return
        }
        if let next = answer["nextCheckInSeconds"], next != .null {
            if let seconds = next.double, seconds.isFinite {
                nextIntervalSeconds = min(max(seconds, intervalRange.lowerBound), intervalRange.upperBound)
            } else {
                decision = .refuse("nextCheckInSeconds is \(next.kind), not a number")
                return
            }
        }
        let serverVersion: String?
        switch answer["configVersion"] {
        case nil, .null?: serverVersion = nil
        case let .string(s)?: serverVersion = s
        case let other?:
            decision = .refuse("configVersion is \(other.kind), not a string")
            return
        }
        guard let config = answer["config"], config != .null else {
            decision = .nothing
            return
        }
        guard case .object = config else {
            decision = .refuse("config is \(config.kind), not an object")
            return
        }
        if let serverVersion, serverVersion == currentVersion {
            decision = .nothing
            return
        }
        if let currentConfig, Self.same(config, currentConfig) {
            decision = .nothing
            return
        }
        decision = .apply(config: Array(config.json.utf8), serverVersion: serverVersion)
    }

    /// Whether `given` says what `current` says once its masked secrets stand for the file's values (as
    /// replaceConfig would write it): key order aside, 30 == 30.0.
    static func same(_ given: ControlValue, _ current: ControlValue) -> Bool {
        equivalent(KioskConfig.unmasked(given, current: current), current)
    }

    static func equivalent(_ given: ControlValue, _ current: ControlValue) -> Bool {
        switch (given, current) {
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            var byKey: [String: ControlValue] = [:]
            for (k, v) in b { byKey[k] = v }
            guard byKey.count == b.count else { return false }
            return a.allSatisfy { k, v in byKey[k].map { equivalent(v, $0) } ?? false }
        case let (.array(a), .array(b)):
            return a.count == b.count && zip(a, b).allSatisfy { equivalent($0, $1) }
        default:
            return given == current
        }
    }
}
