/// A `t=` line with the `r=` lines that follow it. SIP sessions use `t=0 0`; repeats are kept as text
/// because nothing here schedules sessions.
public struct SDPTiming: Sendable, Hashable {
    public var start: UInt64
    public var stop: UInt64
    public var repeats: [String]

    public init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeats = repeats
    }
}
