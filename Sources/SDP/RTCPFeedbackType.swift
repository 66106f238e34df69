/// An RTCP feedback message kind (RFC 4585 §4.2): a type and an optional parameter, e.g. `nack`,
/// `nack pli`, `ccm fir` (RFC 5104), `goog-remb`, `transport-cc`.
public struct RTCPFeedbackType: Sendable, Hashable, CustomStringConvertible {
    public var type: String
    public var parameter: String?

    public init(_ type: String, _ parameter: String? = nil) {
        self.type = type
        self.parameter = parameter
    }

    public static let nack = RTCPFeedbackType("nack")
    public static let nackPLI = RTCPFeedbackType("nack", "pli")
    public static let ccmFIR = RTCPFeedbackType("ccm", "fir")
    public static let googREMB = RTCPFeedbackType("goog-remb")
    public static let transportCC = RTCPFeedbackType("transport-cc")

    public var description: String { parameter.map { "\(type) \($0)" } ?? type }

    /// Types and parameters compare case-insensitively.
    func matches(_ other: RTCPFeedbackType) -> Bool {
        type.lowercased() == other.type.lowercased() && parameter?.lowercased() == other.parameter?.lowercased()
    }
}
