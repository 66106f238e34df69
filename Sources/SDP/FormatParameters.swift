/// `a=fmtp:<format> <parameters>` (RFC 8866 §6.15). The parameters are kept as text (their syntax
/// is the codec's); `parameters` splits the common `key=value;key=value` form.
public struct FormatParameters: Sendable, Hashable {
    public var format: String
    public var text: String

    public init(format: String, text: String) {
        self.format = format
        self.text = text
    }

    public init(payloadType: UInt8, text: String) {
        self.init(format: String(payloadType), text: text)
    }

    public var payloadType: UInt8? { SDPText.decimal(format[...], as: UInt8.self) }

    /// `key=value` pairs split at `;`, names and values trimmed; a bare `key` has a nil value.
    public var parameters: [(name: String, value: String?)] {
        SDPText.components(text[...], separatedBy: SDPText.semicolon).compactMap { part in
            let trimmed = SDPText.trimmed(part)
            guard !trimmed.isEmpty else { return nil }
            let (name, value) = SDPText.split(trimmed, at: SDPText.equals)
            return (String(SDPText.trimmed(name)), value.map { String(SDPText.trimmed($0)) })
        }
    }

    /// The value of the named parameter (names compare case-insensitively).
    public func parameter(_ name: String) -> String? {
        let wanted = name.lowercased()
        return parameters.first { $0.name.lowercased() == wanted }?.value
    }

    public var attributeValue: String { "\(format) \(text)" }

    public init?(attributeValue value: String) {
        let trimmed = SDPText.trimmed(value[...])
        let utf8 = trimmed.utf8
        guard let blank = utf8.firstIndex(where: SDPText.isBlank) else {
            guard !trimmed.isEmpty else { return nil }
            self.init(format: String(trimmed), text: "")
            return
        }
        self.init(format: String(Substring(utf8[..<blank])), text: String(SDPText.trimmed(Substring(utf8[blank...]))))
    }
}
