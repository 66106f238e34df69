/// A session description (RFC 8866) as a plain value. Parsing is in `SessionDescription+Parsing.swift`,
/// serialization in `SessionDescription+Serialization.swift`, typed attribute access in
/// `SessionDescription+Attributes.swift`.
public struct SessionDescription: Sendable, Hashable {
    /// `v=`; always 0 in practice.
    public var version: UInt32
    public var origin: SDPOrigin
    /// `s=`; a single space when there is no name, though some peers send it empty.
    public var sessionName: String
    public var information: String?
    public var uri: String?
    public var emails: [String]
    public var phones: [String]
    public var connection: SDPConnection?
    public var bandwidths: [SDPBandwidth]
    /// `t=` lines with their `r=` lines. Empty only when the peer left `t=` out (some do).
    public var times: [SDPTiming]
    /// `z=`, kept as text.
    public var timeZones: String?
    /// `k=` (obsolete in RFC 8866 but still parsed), kept as text.
    public var encryptionKey: String?
    public var attributes: [SDPAttribute]
    public var media: [MediaDescription]

    public init(
        version: UInt32 = 0,
        origin: SDPOrigin,
        sessionName: String = "-",
        information: String? = nil,
        uri: String? = nil,
        emails: [String] = [],
        phones: [String] = [],
        connection: SDPConnection? = nil,
        bandwidths: [SDPBandwidth] = [],
        times: [SDPTiming] = [SDPTiming()],
        timeZones: String? = nil,
        encryptionKey: String? = nil,
        attributes: [SDPAttribute] = [],
        media: [MediaDescription] = []
    ) {
        self.version = version
        self.origin = origin
        self.sessionName = sessionName
        self.information = information
        self.uri = uri
        self.emails = emails
        self.phones = phones
        self.connection = connection
        self.bandwidths = bandwidths
        self.times = times
        self.timeZones = timeZones
        self.encryptionKey = encryptionKey
        self.attributes = attributes
        self.media = media
    }
}
