/// Lookups shared by session- and media-level attributes. Names compare case-insensitively; peers
/// write them in lower case, but nothing is gained by rejecting one that does not.
extension Array where Element == SDPAttribute {
    public func first(named name: String) -> SDPAttribute? {
        let wanted = name.lowercased()
        return first { $0.name.lowercased() == wanted }
    }

    public func contains(named name: String) -> Bool { first(named: name) != nil }

    /// The values of every attribute with this name, in order (nil values skipped).
    public func values(named name: String) -> [String] {
        let wanted = name.lowercased()
        return compactMap { $0.name.lowercased() == wanted ? $0.value : nil }
    }

    /// The last direction attribute, if any (a well-formed SDP has at most one).
    var direction: MediaDirection? {
        last { MediaDirection(rawValue: SDPText.trimmed($0.name[...]).lowercased()) != nil }
            .flatMap { MediaDirection(rawValue: SDPText.trimmed($0.name[...]).lowercased()) }
    }

    /// Replaces any direction attributes with `direction`, where the first one was (else at the end).
    mutating func setDirection(_ direction: MediaDirection) {
        let position = firstIndex { MediaDirection(rawValue: SDPText.trimmed($0.name[...]).lowercased()) != nil }
        removeAll { MediaDirection(rawValue: SDPText.trimmed($0.name[...]).lowercased()) != nil }
        insert(SDPAttribute(direction.rawValue), at: Swift.min(position ?? count, count))
    }
}
