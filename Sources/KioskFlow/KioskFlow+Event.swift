extension KioskFlow {
    /// The keys the customer has; the Input layer maps configured evdev codes and GPIO lines to these
    /// and debounces them. A kiosk with one button has only `.call`.
    public enum Key: Sendable, Hashable, CaseIterable {
        case call, hangUp, up, down, select
    }

    public enum KeyChange: Sendable, Hashable {
        /// Down. Autorepeat of a held key may report this again; it counts once.
        case pressed
        case released
    }

    /// Which call the engine speaks of: the flow numbers its calls, so news about a call already given up
    /// (a 200 OK that crossed the CANCEL, a late BYE) cannot touch the next one.
    public struct CallID: Sendable, Hashable, Comparable, CustomStringConvertible {
        public let number: UInt64
        public init(_ number: UInt64) { self.number = number }
        public static func < (a: CallID, b: CallID) -> Bool { a.number < b.number }
        public var description: String { "call \(number)" }
    }

    /// Why the engine gave a call up. The engine tries the next endpoint itself after a busy or
    /// unavailable one; it reports `.failed` once none is left.
    public enum CallFailure: Sendable, Hashable {
        /// 486 Busy Here, 600 Busy Everywhere: every agent is taken.
        case busy
        /// 480, 503 and the like: the contact center cannot take calls now.
        case unavailable(code: Int)
        /// The contact center itself gave up ringing (408, or its own no-answer).
        case noAnswer
        /// The agent answered with no SDP, with codecs the kiosk lacks, or unusable keys (488, 606 too).
        case noUsableMedia(String)
        /// Any other refusal.
        case rejected(code: Int, reason: String)
        /// No response, no route, transport failure, or the engine could not start the call.
        case unreachable(String)

        /// The failure a final SIP status code means (for the engine's convenience).
        public init(statusCode: Int, reason: String) {
            switch statusCode {
            case 486, 600: self = .busy
            case 480, 503, 502, 504: self = .unavailable(code: statusCode)
            case 408: self = .noAnswer
            case 488, 606: self = .noUsableMedia("\(statusCode) \(reason)")
            default: self = .rejected(code: statusCode, reason: reason)
            }
        }
    }

    /// What the engine reports about the call it placed for `.placeCall`.
    public enum CallEvent: Sendable, Hashable {
        /// 180/183: an agent's phone rings.
        case ringing
        /// The contact center queued the call (its announcement, or a 182/MESSAGE with the position).
        case queued(position: Int?, estimatedWait: Duration?)
        /// 200 OK with a usable answer; media runs.
        case answered(agentName: String?)
        /// The call could not be made, or an established call broke (dialog or transport failure).
        case failed(CallFailure)
        /// The agent hung up (BYE received).
        case agentHungUp
        /// No media from the agent for the engine's media time-out: the network is gone.
        case mediaTimedOut
        /// The agent asks for the customer's video (re-INVITE making video sendrecv, or a MESSAGE/INFO).
        case agentAsksForCamera
        /// The agent no longer wants the customer's video (re-INVITE making it recvonly/inactive).
        case agentStoppedCamera
        /// Chat text from the agent (SIP MESSAGE); `from`: who wrote it (the MESSAGE's From), if known.
        case chat(String, from: String? = nil)
        /// A link or document from the agent, shown as a QR code.
        case link(url: String, caption: String)
        /// The agent started (true) or stopped sharing content (a=content:slides).
        case contentShared(Bool)
        /// The agent put the call on hold (true) or took it off.
        case held(Bool)
    }

    /// Why the kiosk cannot take calls.
    public enum ServiceFault: Sendable, Hashable, CustomStringConvertible {
        /// Not registered with the contact center (or the registrar is unreachable).
        case notRegistered
        /// A device the call needs failed ("audio", "screen"); the text is for the technician.
        case device(String)
        /// Taken out of service by a technician or the fleet.
        case maintenance(String)

        public var description: String {
            switch self {
            case .notRegistered: "not registered with the contact center"
            case let .device(what): "\(what) failed"
            case let .maintenance(why): "maintenance: \(why)"
            }
        }
    }

    public enum Event: Sendable, Hashable {
        /// The owner is ready: the flow shows its first screen.
        case start
        case key(Key, KeyChange)
        /// A timer started by `.startTimer` ran out.
        case timer(Timer)
        /// News from the call engine about one call.
        case call(CallID, CallEvent)
        /// The camera's truth: frames are (true) or are not (false) being captured. The camera-live
        /// indicator follows this, never the consent alone.
        case cameraCapturing(Bool)
        /// The kiosk cannot take calls for this reason (registration lost, a device failed).
        case unavailable(ServiceFault)
        /// That reason is gone.
        case available(ServiceFault)
        /// The daemon stops: a call in progress is hung up (BYE) or cancelled.
        case shutdown
    }
}
