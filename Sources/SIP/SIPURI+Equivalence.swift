extension SIPURI {
    /// URI comparison per RFC 3261 §19.1.4: user and password compare case-sensitively and host
    /// case-insensitively, all after unescaping; an explicit port never equals an absent one; the
    /// user, ttl, method, maddr and transport parameters must match when either URI has them,
    /// other parameters only when both do; header components must all match. tel: numbers
    /// compare without visual separators (RFC 3966 §4).
    public func isEquivalent(to other: SIPURI) -> Bool {
        guard scheme == other.scheme else { return false }
        if scheme == .tel {
            return Self.telDigits(user) == Self.telDigits(other.user)
                && parametersEquivalent(other, strict: true)
        }
        guard Self.unescaped(user) == Self.unescaped(other.user),
              Self.unescaped(password) == Self.unescaped(other.password),
              Self.unescaped(host.lowercased()) == Self.unescaped(other.host.lowercased()),
              port == other.port,
              parametersEquivalent(other, strict: false)
        else { return false }
        guard headers.count == other.headers.count else { return false }
        for header in headers {
            let match = other.headers.contains {
                SIPParameters.namesMatch($0.name, header.name)
                    && Self.unescaped($0.value) == Self.unescaped(header.value)
            }
            guard match else { return false }
        }
        return true
    }

    private static let mustMatchParameters = ["user", "ttl", "method", "maddr", "transport"]

    private func parametersEquivalent(_ other: SIPURI, strict: Bool) -> Bool {
        for parameter in parameters {
            let mine = Self.unescaped(parameter.value?.lowercased())
            if let theirs = other.parameters.parameter(named: parameter.name) {
                guard mine == Self.unescaped(theirs.value?.lowercased()) else { return false }
            } else if strict || Self.mustMatchParameters.contains(where: { SIPParameters.namesMatch($0, parameter.name) }) {
                return false
            }
        }
        for parameter in other.parameters where !parameters.contains(parameter.name) {
            if strict || Self.mustMatchParameters.contains(where: { SIPParameters.namesMatch($0, parameter.name) }) {
                return false
            }
        }
        return true
    }

    /// %HH escapes decoded to bytes; malformed escapes are left as they are.
    static func unescaped(_ text: String?) -> [UInt8]? {
        guard let text else { return nil }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == SIPCharacter.percent, i + 2 < bytes.count,
               SIPCharacter.isHex(bytes[i + 1]), SIPCharacter.isHex(bytes[i + 2]) {
                out.append(SIPCharacter.hexValue(bytes[i + 1]) << 4 | SIPCharacter.hexValue(bytes[i + 2]))
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    private static func telDigits(_ number: String?) -> [UInt8] {
        (number ?? "").utf8.filter { !($0 == 0x2D || $0 == 0x2E || $0 == 0x28 || $0 == 0x29) }.map(SIPCharacter.lowercased)
    }
}
