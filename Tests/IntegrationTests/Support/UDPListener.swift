import Foundation
import RTP

/// A plain UDP socket bound on 127.0.0.1, read the way a receiver would: what arrives within a time.
final class UDPListener {
    let port: Int
    private let fd: Int32

    init(port: Int) throws {
        let s = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard s >= 0 else { throw TestSetupError("socket: \(String(cString: strerror(errno)))") }
        var bufferSize: Int32 = 4 << 20
        _ = setsockopt(s, SOL_SOCKET, SO_RCVBUF, &bufferSize, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            close(s)
            throw TestSetupError("bind 127.0.0.1:\(port): \(reason)")
        }
        self.fd = s
        self.port = port
    }

    deinit { close(fd) }

    /// Every datagram that arrives within `seconds` from now (and any already waiting).
    func receive(for seconds: Double) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let until = Date().addingTimeInterval(seconds)
        while true {
            let left = until.timeIntervalSinceNow
            if left <= 0 { break }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(max(1, left * 1000))) > 0 else { continue }
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if n <= 0 { break }
                datagrams.append(Array(buffer[0..<n]))
            }
        }
        return datagrams
    }

    /// What arrived within `seconds`, as RTP.
    func rtp(for seconds: Double) -> RTPSummary { RTPSummary(receive(for: seconds)) }
}

/// A receiver's view of a run of datagrams: how many were RTP of each payload type, how many were not.
struct RTPSummary: CustomStringConvertible {
    var datagrams = 0
    var byPayloadType: [UInt8: Int] = [:]
    var notRTP = 0
    var ssrcs: Set<UInt32> = []

    init(_ datagrams: [[UInt8]]) {
        self.datagrams = datagrams.count
        for bytes in datagrams {
            if let packet = try? RTPPacket(parsing: bytes), packet.version == 2 {
                byPayloadType[packet.payloadType, default: 0] += 1
                ssrcs.insert(packet.ssrc)
            } else {
                notRTP += 1
            }
        }
    }

    func count(payloadType: UInt8) -> Int { byPayloadType[payloadType] ?? 0 }

    var description: String {
        "\(datagrams) datagrams: " + byPayloadType.sorted { $0.key < $1.key }.map { "PT \($0.key) × \($0.value)" }.joined(separator: ", ")
            + (notRTP > 0 ? ", \(notRTP) not RTP" : "")
    }
}
