/// The header fields of a message in order, names spelled as received. Lookups ignore case and
/// treat compact forms as their long names (RFC 3261 §7.3.3), so `headers["Call-ID"]` finds "i".
public struct SIPHeaders: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [SIPHeaderField]

    public init(_ fields: [SIPHeaderField] = []) { self.fields = fields }

    /// Keeps the literal's order (dictionary literals are ordered lists in the source).
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { SIPHeaderField(name: $0.0, value: $0.1) }
    }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> SIPHeaderField { fields[position] }

    /// The first value of `name`, whole (not split at commas). Setting replaces every field of
    /// that name (at the first one's position); setting nil removes them.
    public subscript(name: String) -> String? {
        get {
            let key = Self.key(for: name)
            return fields.first { $0.key == key }?.value
        }
        set {
            if let newValue { set(name, newValue) } else { remove(name) }
        }
    }

    /// Every field value of `name` in order, each split into its list elements when the header's
    /// grammar is a comma-separated list (see `isList(_:)`); commas inside quotes or <...> do not
    /// split. Empty elements are dropped.
    public func values(_ name: String) -> [String] {
        let key = Self.key(for: name)
        let split = Self.isListKey(key)
        var result: [String] = []
        for field in fields where field.key == key {
            if split {
                Self.splitList(field.value, into: &result)
            } else {
                result.append(field.value)
            }
        }
        return result
    }

    /// Every field value of `name`, unsplit.
    public func fieldValues(_ name: String) -> [String] {
        let key = Self.key(for: name)
        return fields.lazy.filter { $0.key == key }.map(\.value)
    }

    public func contains(_ name: String) -> Bool {
        let key = Self.key(for: name)
        return fields.contains { $0.key == key }
    }

    /// Appends a field.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(SIPHeaderField(name: name, value: value))
    }

    public mutating func add(_ field: SIPHeaderField) {
        fields.append(field)
    }

    /// Inserts a field before the first one of the same name (a proxy's new top Via, Record-Route)
    /// or appends it when there is none.
    public mutating func prepend(_ name: String, _ value: String) {
        let field = SIPHeaderField(name: name, value: value)
        if let index = fields.firstIndex(where: { $0.key == field.key }) {
            fields.insert(field, at: index)
        } else {
            fields.append(field)
        }
    }

    /// Replaces all fields of `name` by one with `value`, where the first of them was.
    public mutating func set(_ name: String, _ value: String) {
        let field = SIPHeaderField(name: name, value: value)
        if let index = fields.firstIndex(where: { $0.key == field.key }) {
            fields[index] = field
            fields.removeSubrange((index + 1)...) { $0.key == field.key }
        } else {
            fields.append(field)
        }
    }

    /// Removes every field of `name`.
    public mutating func remove(_ name: String) {
        let key = Self.key(for: name)
        fields.removeAll { $0.key == key }
    }

    mutating func appendParsed(_ field: SIPHeaderField) {
        fields.append(field)
    }

    mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }
}

extension Array {
    /// Removes the elements of `range` that match, keeping order.
    fileprivate mutating func removeSubrange(_ range: PartialRangeFrom<Int>, where shouldRemove: (Element) -> Bool) {
        var write = range.lowerBound
        for read in range.lowerBound..<count where !shouldRemove(self[read]) {
            self[write] = self[read]
            write += 1
        }
        removeLast(count - write)
    }
}
