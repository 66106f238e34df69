#if canImport(Glibc)
import Glibc
#endif

/// A socket standing in for systemd's notify socket: AF_UNIX datagrams on a path or an abstract name.
final class NotifySocketListener {
    let fd: Int32
    /// The value `$NOTIFY_SOCKET` would hold.
    let address: String
    private let path: String?

    /// A path socket in /tmp, or (`abstract`) an abstract one; names unique to this test.
    init(abstract: Bool) throws {
        let unique = "kioskd-notify-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        address = abstract ? "@\(unique)" : "/tmp/\(unique).sock"
        path = abstract ? nil : address
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ListenerError("socket: \(errno)") }
        var sa = sockaddr_un()
        sa.sun_family = sa_family_t(AF_UNIX)
        let name = Array((abstract ? unique : address).utf8)
        let prefix = abstract ? 1 : 0
        withUnsafeMutableBytes(of: &sa.sun_path) { p in for (i, b) in name.enumerated() { p[prefix + i] = b } }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + prefix + name.count + (abstract ? 0 : 1))
        let rc = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard rc == 0 else {
            close(fd)
            throw ListenerError("bind \(address): \(errno)")
        }
    }

    deinit {
        close(fd)
        if let path { unlink(path) }
    }

    /// The next datagram's text, or nil if none arrives within `milliseconds`.
    func receive(milliseconds: Int32 = 2000) -> String? {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, milliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }

    /// Every datagram that arrives within `milliseconds`, waiting without blocking a thread: the
    /// keep-alive under test runs on the same small thread pool as the tests.
    func receiveAll(milliseconds: Int) async -> [String] {
        var all: [String] = []
        let end = ContinuousClock.now + .milliseconds(milliseconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < end {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n >= 0 {
                all.append(String(decoding: buffer[0..<n], as: UTF8.self))
            } else {
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        return all
    }

    /// The next datagram within `milliseconds`, waiting without blocking a thread.
    func next(milliseconds: Int = 2000) async -> String? {
        let end = ContinuousClock.now + .milliseconds(milliseconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < end {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n >= 0 { return String(decoding: buffer[0..<n], as: UTF8.self) }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }
}

struct ListenerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
