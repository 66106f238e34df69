/// One `m=` section with its lines (RFC 8866 §5.14). Typed views of its attributes are in
/// `MediaDescription+Attributes.swift`.
public struct MediaDescription: Sendable, Hashable {
    /// `audio`, `video`, `application`, ...
    public var mediaType: String
    /// 0 means the stream is rejected or disabled (RFC 3264 §6).
    public var port: UInt16
    /// The `/<number of ports>` suffix, nil when absent.
    public var portCount: UInt16?
    /// `RTP/AVP`, `RTP/SAVP`, `RTP/AVPF`, `RTP/SAVPF`, `UDP/TLS/RTP/SAVPF`, ...
    public var transportProtocol: String
    /// RTP payload type numbers as text, or other format tokens for non-RTP protocols.
    public var formats: [String]
    public var information: String?
    /// Media-level `c=`; when nil the session-level one applies. Further `c=` lines (layered
    /// multicast) are not kept.
    public var connection: SDPConnection?
    public var bandwidths: [SDPBandwidth]
    public var encryptionKey: String?
    public var attributes: [SDPAttribute]

    public init(
        mediaType: String,
        port: UInt16,
        portCount: UInt16? = nil,
        transportProtocol: String,
        formats: [String],
        information: String? = nil,
        connection: SDPConnection? = nil,
        bandwidths: [SDPBandwidth] = [],
        encryptionKey: String? = nil,
        attributes: [SDPAttribute] = []
    ) {
        self.mediaType = mediaType
        self.port = port
        self.portCount = portCount
        self.transportProtocol = transportProtocol
        self.formats = formats
        self.information = information
        self.connection = connection
        self.bandwidths = bandwidths
        self.encryptionKey = encryptionKey
        self.attributes = attributes
    }

    /// Port 0: the stream is rejected (in an answer) or disabled (in an offer).
    public var isRejected: Bool { port == 0 }

    /// Payload type numbers among the formats; tokens that are not 0...127 are skipped.
    public var payloadTypes: [UInt8] {
        formats.compactMap { SDPText.decimal($0[...], as: UInt8.self).flatMap { $0 <= 127 ? $0 : nil } }
    }
}
