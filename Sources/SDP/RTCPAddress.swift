/// `a=rtcp:<port> [<nettype> <addrtype> <address>]` (RFC 3605): where RTCP goes when it is not
/// on RTP port + 1.
public struct RTCPAddress: Sendable, Hashable {
    public var port: UInt16
    public var connection: SDPConnection?

    public init(port: UInt16, connection: SDPConnection? = nil) {
        self.port = port
        self.connection = connection
    }

    public var attributeValue: String {
        guard let connection else { return String(port) }
        return "\(port) \(connection.networkType) \(connection.addressType) \(connection.address)"
    }

    public init?(attributeValue value: String) {
        let fields = SDPText.fields(value)
        guard fields.count == 1 || fields.count == 4, let port = SDPText.decimal(fields[0], as: UInt16.self)
        else { return nil }
        let connection = fields.count == 4
            ? SDPConnection(networkType: String(fields[1]), addressType: String(fields[2]), address: String(fields[3]))
            : nil
        self.init(port: port, connection: connection)
    }
}
