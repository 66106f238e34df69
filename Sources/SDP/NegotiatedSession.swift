/// The outcome of one offer/answer exchange.
public struct NegotiatedSession: Sendable, Hashable {
    /// One entry per m-line, in order; nil where the stream was rejected (port 0).
    public var media: [NegotiatedMedia?]
    /// The peer's `o=`, to recognise an unchanged SDP in a later re-INVITE.
    public var remoteOrigin: SDPOrigin

    public init(media: [NegotiatedMedia?], remoteOrigin: SDPOrigin) {
        self.media = media
        self.remoteOrigin = remoteOrigin
    }

    public func stream(_ role: MediaRole) -> NegotiatedMedia? {
        media.lazy.compactMap { $0 }.first { $0.role == role }
    }

    public var audio: NegotiatedMedia? { stream(.audio) }
    public var video: NegotiatedMedia? { stream(.video) }
    public var content: NegotiatedMedia? { stream(.content) }
}
