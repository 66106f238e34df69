/// An ordered list of parameters. Names compare case-insensitively (RFC 3261 §7.3.1, §19.1.4);
/// order and spelling are kept so a message serializes as it arrived.
public struct SIPParameters: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral, CustomStringConvertible {
    public var items: [SIPParameter]

    public init(_ items: [SIPParameter] = []) { self.items = items }

    public init(arrayLiteral elements: SIPParameter...) { self.items = elements }

    public var startIndex: Int { items.startIndex }
    public var endIndex: Int { items.endIndex }
    public subscript(position: Int) -> SIPParameter { items[position] }

    /// The first parameter called `name`, in any case.
    public func parameter(named name: String) -> SIPParameter? {
        items.first { Self.namesMatch($0.name, name) }
    }

    /// Whether a parameter called `name` is present, with or without a value.
    public func contains(_ name: String) -> Bool { parameter(named: name) != nil }

    /// The value of `name`: nil when absent or present without a value. Setting nil removes it;
    /// use `set(_:value:)` to keep a parameter without a value.
    public subscript(name: String) -> String? {
        get { parameter(named: name)?.value }
        set {
            if let newValue { set(name, value: newValue) } else { remove(name) }
        }
    }

    /// Replaces the first `name` in place (others are removed) or appends it.
    public mutating func set(_ name: String, value: String?) {
        if let index = items.firstIndex(where: { Self.namesMatch($0.name, name) }) {
            items[index].value = value
            var next = index + 1
            while next < items.count {
                if Self.namesMatch(items[next].name, name) { items.remove(at: next) } else { next += 1 }
            }
        } else {
            items.append(SIPParameter(name: name, value: value))
        }
    }

    public mutating func remove(_ name: String) {
        items.removeAll { Self.namesMatch($0.name, name) }
    }

    /// `;name=value;name` as on the wire.
    public var description: String {
        var text = ""
        for item in items {
            text += ";"
            text += item.name
            if let value = item.value {
                text += "="
                text += value
            }
        }
        return text
    }

    static func namesMatch(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { SIPCharacter.lowercased($0) == SIPCharacter.lowercased($1) }
    }
}
