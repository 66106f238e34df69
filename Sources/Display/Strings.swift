/// The texts of the screens in one language. Unknown languages and missing entries fall back to
/// English, so a misconfigured language still shows words, never keys.
public struct Strings: Sendable {
    /// Every text a screen shows. Templates hold `{name}` placeholders.
    public enum Key: String, Sendable, CaseIterable {
        case welcome, pressToTalk, languagesOffered
        case chooseCategory, chooseLanguage, keyMove, keySelect
        case connecting, topic
        case waitingTitle, queuePosition, nextInLine, estimatedWaitMinutes, estimatedWaitUnderAMinute, waitingNoEstimate
        case inCall, messages, noMessagesYet, scanWithPhone, cameraOn, selfView, sharedContent, agentPictureStarting
        case consentTitle, consentBody, consentAccept, consentDecline
        case thankYou, callDuration, goodbye
        case callNotConnected, callInterrupted, callCancelled, tryAgainLater, callAgain
        case reasonCustomerHungUp, reasonCustomerCancelled, reasonAgentHungUp, reasonNoAnswer, reasonBusy, reasonUnavailable
        case reasonNoUsableConnection, reasonCallFailed, reasonConnectionLost, reasonTimeLimitReached, reasonShutdown
        case outOfServiceTitle, outOfServiceBody, technicalDetail
    }

    public let language: Language
    private let table: [Key: String]

    public init(language: Language) {
        self.language = language
        self.table = Self.tables[language.code] ?? Self.tables["en"]!
    }

    /// The text for `key`; English when this language lacks it.
    public subscript(_ key: Key) -> String {
        table[key] ?? Self.tables["en"]![key] ?? key.rawValue
    }

    /// The template for `key` with `{name}` placeholders filled in.
    public func format(_ key: Key, _ values: [String: String]) -> String {
        var result = ""
        var rest = Substring(self[key])
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += values[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// "You are number 3 in line", or "You are next" for the first place.
    public func queuePosition(_ position: Int) -> String {
        position <= 1 ? self[.nextInLine] : format(.queuePosition, ["position": String(position)])
    }

    /// The estimated wait, rounded up to whole minutes.
    public func estimatedWait(_ wait: Duration) -> String {
        let seconds = wait.components.seconds
        guard seconds >= 60 else { return self[.estimatedWaitUnderAMinute] }
        return format(.estimatedWaitMinutes, ["minutes": String((seconds + 59) / 60)])
    }

    /// "Call duration: 4:05" (h:mm:ss past an hour).
    public func callDuration(_ duration: Duration) -> String {
        format(.callDuration, ["duration": Self.clockText(duration)])
    }

    /// The call-ended screen's line saying why ("The agent ended the call.").
    public func reason(_ reason: CallEndReason) -> String {
        switch reason {
        case .customerHungUp: self[.reasonCustomerHungUp]
        case .customerCancelled: self[.reasonCustomerCancelled]
        case .agentHungUp: self[.reasonAgentHungUp]
        case .noAnswer: self[.reasonNoAnswer]
        case .busy: self[.reasonBusy]
        case .unavailable: self[.reasonUnavailable]
        case .noUsableConnection: self[.reasonNoUsableConnection]
        case .callFailed: self[.reasonCallFailed]
        case .connectionLost: self[.reasonConnectionLost]
        case .timeLimitReached: self[.reasonTimeLimitReached]
        case .shutdown: self[.reasonShutdown]
        }
    }

    static func clockText(_ duration: Duration) -> String {
        let total = max(0, duration.components.seconds)
        let hours = total / 3600, minutes = (total % 3600) / 60, seconds = total % 60
        func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(seconds))" : "\(minutes):\(twoDigits(seconds))"
    }
}
