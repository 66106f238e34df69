extension SDPParseError {
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// The line does not start with a letter and `=`.
        case notATypedLine
        /// A required line (`v`, `o` or `s`) is absent.
        case missingLine(Character)
        /// A line that may appear once (`v`, `o`, `s`) appears again.
        case duplicateLine(Character)
        case badVersion
        case badOrigin
        case badConnection
        case badBandwidth
        case badTiming
        /// An `m=` line without media, port and protocol, or with a non-numeric port or count.
        case badMediaLine
        /// A port (or port count) above 65535.
        case portOutOfRange
        /// An `a=` line with an empty name.
        case badAttribute

        public var description: String {
            switch self {
            case .notATypedLine: "not a <type>=<value> line"
            case .missingLine(let type): "missing \(type)= line"
            case .duplicateLine(let type): "second \(type)= line"
            case .badVersion: "v= is not a number"
            case .badOrigin: "o= needs <username> <sess-id> <sess-version> <nettype> <addrtype> <address>"
            case .badConnection: "c= needs <nettype> <addrtype> <address>"
            case .badBandwidth: "b= needs <type>:<number>"
            case .badTiming: "t= needs <start> <stop> as numbers"
            case .badMediaLine: "m= needs <media> <port>[/<count>] <proto> <fmt>... with numeric port"
            case .portOutOfRange: "port above 65535"
            case .badAttribute: "a= with an empty attribute name"
            }
        }
    }
}
