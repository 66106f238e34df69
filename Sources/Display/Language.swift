/// A language the kiosk speaks, by its BCP 47 code ("en", "de", "zh").
public struct Language: Sendable, Hashable, CustomStringConvertible {
    public let code: String

    public init(code: String) { self.code = code }

    public static let english = Language(code: "en")
    public static let german = Language(code: "de")
    public static let chinese = Language(code: "zh")

    /// The languages with string tables, in the order the kiosk offers them.
    public static let supported: [Language] = [.english, .german, .chinese]

    /// The language's name in itself, as a customer looks for it in a list.
    public var nativeName: String {
        switch code {
        case "en": "English"
        case "de": "Deutsch"
        case "zh": "中文"
        default: code
        }
    }

    public var description: String { code }
}
