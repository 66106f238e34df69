/// How the kiosk talks SIP to the contact center (the `sip` section of the configuration).
public struct SIPSettings: Sendable, Equatable {
    public enum Transport: String, Sendable, Equatable, CaseIterable { case udp, tcp, tls }

    /// Where the SIP socket binds, and the address put in Via, Contact and SDP (the kiosk's own, or
    /// the one a NAT or the virtual board's port forwarding shows the contact center).
    public var bindAddress: String
    public var port: Int
    public var advertisedAddress: String?
    public var advertisedPort: Int?
    public var transport: Transport
    /// CA certificates a TLS peer's certificate is checked against.
    public var caFile: String?
    /// The kiosk's identity: `sip:USER@DOMAIN`, with its display name and digest password.
    public var user: String
    public var domain: String
    public var displayName: String?
    public var password: String?
    /// The registrar's URI; no registration when nil (the contact center calls back nobody).
    public var registrar: String?
    public var registerExpires: Int
    /// Probe the registrar (OPTIONS) this often, and register again as soon as a lost one answers (0: off).
    public var keepAliveSeconds: Int
    /// An answer without SRTP is refused unless this is set (a lab without SRTP).
    public var allowPlainRTP: Bool
    /// Give up a call nobody answers after this many seconds (0: as long as the queue keeps it).
    public var ringTimeoutSeconds: Int
    /// Hang up a call from which nothing (RTP or RTCP) came for this many seconds (0: never).
    public var mediaTimeoutSeconds: Int
    /// The local RTP ports (even numbers, one per stream); nil: any free port.
    public var rtpPorts: ClosedRange<Int>?

    public init(bindAddress: String = "0.0.0.0", port: Int = 5060, advertisedAddress: String? = nil, advertisedPort: Int? = nil,
                transport: Transport = .udp, caFile: String? = nil, user: String = "kiosk", domain: String = "localhost",
                displayName: String? = nil, password: String? = nil, registrar: String? = nil, registerExpires: Int = 300, keepAliveSeconds: Int = 30,
                allowPlainRTP: Bool = false, ringTimeoutSeconds: Int = 300, mediaTimeoutSeconds: Int = 15,
                rtpPorts: ClosedRange<Int>? = nil) {
        self.mediaTimeoutSeconds = mediaTimeoutSeconds
        self.bindAddress = bindAddress
        self.port = port
        self.advertisedAddress = advertisedAddress
        self.advertisedPort = advertisedPort
        self.transport = transport
        self.caFile = caFile
        self.user = user
        self.domain = domain
        self.displayName = displayName
        self.password = password
        self.registrar = registrar
        self.registerExpires = registerExpires
        self.keepAliveSeconds = keepAliveSeconds
        self.allowPlainRTP = allowPlainRTP
        self.ringTimeoutSeconds = ringTimeoutSeconds
        self.rtpPorts = rtpPorts
    }
}

/// Where calls go (the `contactCenter` section): skill groups by category and the entry points.
public struct ContactCenterSettings: Sendable, Equatable {
    /// Request-URIs by category (`"loans": "sip:loans@cc.example.org"`), and for any other category.
    public var targets: [String: String]
    public var defaultTarget: String?
    /// The contact center's entry points in order (`sip:sbc1.example.org;transport=tcp`); the call goes
    /// to the first that answers. Empty: straight to the target's host.
    public var endpoints: [String]
    /// Move on to the next entry point when this one gives no response at all within this time.
    public var failoverSeconds: Double
    /// OPTIONS to every entry point this often (0: no health checks).
    public var healthCheckSeconds: Double

    public init(targets: [String: String] = [:], defaultTarget: String? = nil, endpoints: [String] = [],
                failoverSeconds: Double = 4, healthCheckSeconds: Double = 30) {
        self.targets = targets
        self.defaultTarget = defaultTarget
        self.endpoints = endpoints
        self.failoverSeconds = failoverSeconds
        self.healthCheckSeconds = healthCheckSeconds
    }
}

/// Where the kiosk stands, for the context every request carries (the `context` section).
public struct SiteSettings: Sendable, Equatable {
    public var site: String
    public var address: String
    public var floor: String
    public var latitude: Double?
    public var longitude: Double?
    public var tagging: ContextTagging

    public init(site: String = "", address: String = "", floor: String = "", latitude: Double? = nil, longitude: Double? = nil,
                tagging: ContextTagging = ContextTagging()) {
        self.site = site
        self.address = address
        self.floor = floor
        self.latitude = latitude
        self.longitude = longitude
        self.tagging = tagging
    }
}
