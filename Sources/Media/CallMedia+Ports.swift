/// Binds a call's pairs of media sockets: an RTP port and the RTCP port above it (RFC 3550 section 11:
/// RTP on an even port, RTCP on the next), either ephemeral ports or from a configured range (a
/// firewall's opening). A pair is bound whole or not at all.
struct PortAllocator {
    typealias Pair = (rtp: UDPEndpoint, rtcp: UDPEndpoint)

    let host: String
    let range: ClosedRange<Int>?

    init(host: String, range: ClosedRange<Int>?) throws(CallMediaError) {
        if let range {
            guard range.lowerBound >= 1, range.upperBound <= 65_535, Self.rtpPorts(in: range).count >= 2 else {
                throw .badPortRange(range)
            }
        }
        self.host = host
        self.range = range
    }

    func bindPairs(_ count: Int) throws(CallMediaError) -> [Pair] {
        var pairs: [Pair] = []
        if let range {
            // Even RTP ports whose RTCP port is in the range too, tried from a random place so a new call
            // does not take the port a call just left (its stray packets may still arrive).
            let candidates = Self.rtpPorts(in: range)
            let first = Int.random(in: 0..<candidates.count)
            for i in 0..<candidates.count where pairs.count < count {
                if let pair = try bindPair(candidates[(first + i) % candidates.count]) { pairs.append(pair) }
            }
            guard pairs.count == count else { throw .noFreePorts(range) }
            return pairs
        }
        // Ephemeral: the kernel picks the RTP port; the pair is kept when the port above is free too.
        // Even RTP ports are preferred for a while, then any will do (with rtcp-mux it does not matter).
        var attempts = 0
        while pairs.count < count {
            attempts += 1
            guard attempts <= 200 else { throw .bind(.system(call: "bind", reason: "no pair of free ephemeral ports found")) }
            let rtp: UDPEndpoint
            do {
                rtp = try UDPEndpoint(host: host, port: 0)
            } catch {
                throw .bind(error)
            }
            guard rtp.localPort < 65_535, rtp.localPort % 2 == 0 || attempts > 100 else { continue }
            do {
                pairs.append((rtp, try UDPEndpoint(host: host, port: rtp.localPort + 1)))
            } catch .addressInUse {
                continue
            } catch {
                throw .bind(error)
            }
        }
        return pairs
    }

    /// The even ports in `range` whose odd partner is in it too.
    static func rtpPorts(in range: ClosedRange<Int>) -> [Int] {
        Array(stride(from: range.lowerBound + range.lowerBound % 2, to: range.upperBound, by: 2))
    }

    /// Binds `port` and the one above, or nil when either is taken.
    private func bindPair(_ port: Int) throws(CallMediaError) -> Pair? {
        do {
            let rtp = try UDPEndpoint(host: host, port: port)
            let rtcp = try UDPEndpoint(host: host, port: port + 1)
            return (rtp, rtcp)
        } catch .addressInUse {
            return nil
        } catch {
            throw .bind(error)
        }
    }
}
