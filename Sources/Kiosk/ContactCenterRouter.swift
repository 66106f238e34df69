/// Where a request goes: the customer's category picks the skill group (the INVITE's Request-URI), and
/// an ordered list of contact-center entry points (proxies, SBCs) carries it, the first healthy one
/// first. An entry point that failed its OPTIONS health check, or did not answer a call, is tried after
/// the healthy ones until it answers a health check again. A value; the owner feeds it results.
public struct ContactCenterRouter: Sendable, Equatable {
    public enum Health: Sendable, Equatable {
        case unknown
        case healthy
        case failing(String)
    }

    /// Skill-group targets by category, and the one for a category not listed.
    public var targets: [String: String]
    public var defaultTarget: String
    public private(set) var endpoints: [String]
    public private(set) var health: [String: Health]

    public init(targets: [String: String], defaultTarget: String, endpoints: [String]) {
        self.targets = targets
        self.defaultTarget = defaultTarget
        self.endpoints = endpoints
        health = Dictionary(uniqueKeysWithValues: endpoints.map { ($0, Health.unknown) })
    }

    /// The skill group's URI for a category.
    public func target(for category: String) -> String {
        targets[category] ?? defaultTarget
    }

    /// The entry points to try, in order: healthy or unknown ones as configured, then failing ones.
    public var candidates: [String] {
        let failing = endpoints.filter { if case .failing = health[$0] { true } else { false } }
        return endpoints.filter { !failing.contains($0) } + failing
    }

    public mutating func record(_ endpoint: String, _ result: Health) {
        guard health[endpoint] != nil else { return }
        health[endpoint] = result
    }
}
