/// `a=rtcp-fb:<pt|*> <type> [<parameter>]` (RFC 4585 §4.2).
public struct RTCPFeedback: Sendable, Hashable {
    public enum Format: Sendable, Hashable {
        /// `*`: every payload type of the m-line.
        case all
        case payloadType(UInt8)
    }

    public var format: Format
    public var feedback: RTCPFeedbackType

    public init(format: Format, feedback: RTCPFeedbackType) {
        self.format = format
        self.feedback = feedback
    }

    public func applies(to payloadType: UInt8) -> Bool {
        switch format {
        case .all: true
        case .payloadType(let value): value == payloadType
        }
    }

    public var attributeValue: String {
        let formatText = switch format {
        case .all: "*"
        case .payloadType(let value): String(value)
        }
        return "\(formatText) \(feedback)"
    }

    public init?(attributeValue value: String) {
        let fields = SDPText.fields(value)
        guard fields.count >= 2 else { return nil }
        let format: Format
        if fields[0] == "*" {
            format = .all
        } else if let payloadType = SDPText.decimal(fields[0], as: UInt8.self), payloadType <= 127 {
            format = .payloadType(payloadType)
        } else {
            return nil
        }
        let parameter = fields.count > 2 ? fields.dropFirst(2).joined(separator: " ") : nil
        self.init(format: format, feedback: RTCPFeedbackType(String(fields[1]), parameter))
    }
}
