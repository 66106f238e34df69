/// What identifies a dialog (RFC 3261 §12): the Call-ID and the two tags. The owner routes incoming
/// in-dialog requests by it: seen from the receiver, the local tag is in To and the remote tag in From.
public struct SIPDialogID: Sendable, Hashable, CustomStringConvertible {
    public var callID: String
    public var localTag: String
    public var remoteTag: String

    public init(callID: String, localTag: String, remoteTag: String) {
        self.callID = callID
        self.localTag = localTag
        self.remoteTag = remoteTag
    }

    /// The dialog an incoming request belongs to (local tag from To, remote tag from From); nil when
    /// either tag is missing, i.e. the request is not inside a dialog.
    public init?(incoming request: SIPRequest) {
        guard let callID = request.callID, let local = request.to?.tag, let remote = request.from?.tag else { return nil }
        self.init(callID: callID, localTag: local, remoteTag: remote)
    }

    /// The dialog a response creates or belongs to, seen from the UAC that sent the request (local
    /// tag from From, remote tag from To); nil when the response has no To tag.
    public init?(uacResponse response: SIPResponse) {
        guard let callID = response.callID, let local = response.from?.tag, let remote = response.to?.tag else { return nil }
        self.init(callID: callID, localTag: local, remoteTag: remote)
    }

    public var description: String { "\(callID);local=\(localTag);remote=\(remoteTag)" }
}

/// The UAC's side of an INVITE dialog (RFC 3261 §12): who is at each end, where requests go (remote
/// target and route set) and the CSeq spaces. A plain value; `SIPCall` owns one.
public struct SIPDialog: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        /// Created by a provisional response with a To tag (§12.1.2).
        case early
        /// Created or confirmed by a 2xx.
        case confirmed
    }

    public var state: State
    public var id: SIPDialogID
    /// The From of the INVITE (display name, URI, our tag): the From of every request we send.
    public var localAddress: SIPNameAddress
    /// The To of the INVITE with the remote tag: the To of every request we send.
    public var remoteAddress: SIPNameAddress
    /// The remote Contact: the Request-URI of in-dialog requests (§12.2.1.1).
    public var remoteTarget: SIPURI
    /// The Record-Route of the response, reversed (the UAC's order, §12.1.2).
    public var routeSet: [SIPNameAddress]
    /// Our CSeq space: the number of the last request we sent in the dialog.
    public var localSequence: UInt32
    /// Their CSeq space: empty until they send a request (a UAC's is unset at creation, §12.1.2).
    public var remoteSequence: UInt32?
    /// A sips Request-URI over TLS (§12.1.2).
    public var secure: Bool

    /// The dialog a response with a To tag (1xx → early, 2xx → confirmed) to `request` creates
    /// (§12.1.2). Nil without tags or Call-ID.
    public init?(uacRequest request: SIPRequest, response: SIPResponse) {
        guard let id = SIPDialogID(uacResponse: response), let from = request.from, var to = request.to,
              let cseq = request.cseq else { return nil }
        to.tag = id.remoteTag
        self.id = id
        state = response.isSuccess ? .confirmed : .early
        localAddress = from
        remoteAddress = to
        remoteTarget = response.contacts.first?.uri ?? request.requestURI
        routeSet = response.recordRoutes.reversed()
        localSequence = cseq.sequenceNumber
        remoteSequence = nil
        secure = request.requestURI.scheme == .sips
    }

    /// An early dialog confirmed by the 2xx from the same peer: the route set is recomputed from the
    /// 2xx and the remote target taken from its Contact (§13.2.2.4).
    public mutating func confirm(with response: SIPResponse) {
        state = .confirmed
        routeSet = response.recordRoutes.reversed()
        refreshTarget(from: response)
    }

    /// A target refresh (§12.2): the Contact of a re-INVITE, or of a 2xx to ours, replaces the
    /// remote target. Messages without a Contact leave it as it was.
    public mutating func refreshTarget(from message: some SIPHeaderBearing) {
        if let contact = message.contacts.first?.uri { remoteTarget = contact }
    }

    /// Whether an incoming request belongs to this dialog: same Call-ID, our tag in To, theirs in From.
    public func matches(_ request: SIPRequest) -> Bool {
        SIPDialogID(incoming: request) == id
    }

    /// The Request-URI and Route set of a request in the dialog (§12.2.1.1). With a loose first route
    /// (`;lr`) the Request-URI is the remote target and the route set goes in Route as it is; with a
    /// strict one (RFC 2543 proxies) that route becomes the Request-URI and the remote target goes
    /// last in Route. `preloadedRoute` (the outbound proxy) is used only when no proxy Record-Routed:
    /// one that did is on the path already, and is often named differently than the kiosk knows it
    /// (`sip:sbc.example.org` configured, `sip:192.0.2.5;r2=on` recorded), so comparing names would
    /// send the request through it twice, or to a name it cannot resolve for itself.
    public func requestTarget(preloadedRoute: SIPURI? = nil) -> (requestURI: SIPURI, routes: [SIPNameAddress]) {
        var requestURI = remoteTarget
        var routes = routeSet
        if let first = routes.first, !first.uri.isLooseRouter {
            requestURI = first.uri
            requestURI.headers = []
            requestURI.parameters.remove("method")
            routes.removeFirst()
            routes.append(SIPNameAddress(uri: remoteTarget))
        }
        if var proxy = preloadedRoute, routeSet.isEmpty {
            proxy.isLooseRouter = true
            routes.insert(SIPNameAddress(uri: proxy), at: 0)
        }
        return (requestURI, routes)
    }

    /// A request in the dialog, without Contact or body (§12.2.1.1): Via (with the given branch and
    /// `;rport`), Max-Forwards, Route, From, To, Call-ID, CSeq. The CSeq number is the caller's: our
    /// CSeq space is advanced by `SIPCall`, which also numbers ACKs as their INVITEs.
    public func makeRequest(_ method: SIPMethod, sequence: UInt32, via: String, preloadedRoute: SIPURI? = nil) -> SIPRequest {
        let (requestURI, routes) = requestTarget(preloadedRoute: preloadedRoute)
        var headers = SIPHeaders()
        headers.add("Via", via)
        headers.add("Max-Forwards", "70")
        for route in routes { headers.add("Route", route.description) }
        headers.add("From", localAddress.description)
        headers.add("To", remoteAddress.description)
        headers.add("Call-ID", id.callID)
        headers.add("CSeq", SIPCSeq(sequenceNumber: sequence, method: method).description)
        return SIPRequest(method: method, requestURI: requestURI, headers: headers)
    }

    /// Where a request goes first (§8.1.2, §12.2.1.1): the first Route's URI, or the Request-URI when
    /// there is no Route. The owner resolves it (RFC 3263) and sends there.
    public static func nextHop(of request: SIPRequest) -> SIPURI {
        request.routes.first?.uri ?? request.requestURI
    }
}
