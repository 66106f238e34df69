#if canImport(Glibc)
import Glibc
#endif

/// Why a file could not be read: the system's reason (No such file or directory, …) or its size.
public struct FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { reason }
}

/// A whole file's bytes, refused past `limit` (configurations, SDP and IVF files are small). Here, in the
/// dependency-free target, because the daemon, kioskd's commands and kioskctl all read files this way.
public func readFileContents(_ path: String, limit: Int = 1 << 20) throws(FileReadError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileReadError(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw FileReadError(path: path, reason: String(cString: strerror(errno)))
        }
        if n == 0 { return bytes }
        bytes += chunk[0..<n]
        if bytes.count > limit { throw FileReadError(path: path, reason: "larger than \(limit >> 20 > 0 ? "\(limit >> 20) MiB" : "\(limit) bytes")") }
    }
}
