/// Why an SDP body was rejected, and on which line. Thrown instead of trapping: the body comes off
/// the network, and the line number lets a log say which part of a peer's SDP was wrong.
public struct SDPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number (LF-separated); 0 when the problem is the body as a whole (a missing line).
    public var line: Int
    public var problem: Problem

    public init(line: Int, problem: Problem) {
        self.line = line
        self.problem = problem
    }

    public var description: String {
        line == 0 ? "SDP: \(problem)" : "SDP line \(line): \(problem)"
    }
}
