/// One `;name[=value]` parameter of a URI or header field value. `value` is nil when the
/// parameter is present without "=" (`;lr`, `;rport`); quoted values keep their quotes.
public struct SIPParameter: Sendable, Hashable {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }
}
