/// What the contact center needs to know about a request before the agent answers: where the kiosk
/// stands, what the customer chose, and who the customer is if known. It travels with every INVITE as
/// `X-Kiosk-*` headers and as a `User-to-User` header (see ContextTagging).
public struct KioskContext: Sendable, Equatable {
    public var kioskID: String
    public var site: String
    public var address: String
    public var floor: String
    /// WGS 84 degrees; nil when the kiosk's position is not configured.
    public var latitude: Double?
    public var longitude: Double?
    public var category: String
    /// BCP 47 tag of the language the customer chose (`de`, `en`, `zh-Hans`).
    public var language: String
    public var customerID: String?
    /// Unique per request, so the contact center's records and the kiosk's can be joined.
    public var requestID: String

    public init(kioskID: String, site: String = "", address: String = "", floor: String = "", latitude: Double? = nil,
                longitude: Double? = nil, category: String = "", language: String = "", customerID: String? = nil,
                requestID: String) {
        self.kioskID = kioskID
        self.site = site
        self.address = address
        self.floor = floor
        self.latitude = latitude
        self.longitude = longitude
        self.category = category
        self.language = language
        self.customerID = customerID
        self.requestID = requestID
    }

    /// The fields that can be sent, in the names contact-center scripts read.
    public enum Field: String, Sendable, CaseIterable, Codable {
        case kioskID = "kioskId"
        case site
        case address
        case floor
        case coordinates = "geo"
        case category
        case language = "lang"
        case customerID = "customerId"
        case requestID = "requestId"

        /// The X- header carrying the field (FreeSWITCH and Asterisk read X- headers into variables).
        public var headerName: String {
            switch self {
            case .kioskID: return "X-Kiosk-Id"
            case .site: return "X-Kiosk-Site"
            case .address: return "X-Kiosk-Address"
            case .floor: return "X-Kiosk-Floor"
            case .coordinates: return "X-Kiosk-Geo"
            case .category: return "X-Kiosk-Category"
            case .language: return "X-Kiosk-Language"
            case .customerID: return "X-Kiosk-Customer-Id"
            case .requestID: return "X-Kiosk-Request-Id"
            }
        }
    }

    /// The field's text, or nil when it has none.
    public func value(of field: Field) -> String? {
        let text: String?
        switch field {
        case .kioskID: text = kioskID
        case .site: text = site
        case .address: text = address
        case .floor: text = floor
        case .coordinates:
            guard let latitude, let longitude else { return nil }
            text = "\(Self.degrees(latitude)),\(Self.degrees(longitude))"
        case .category: text = category
        case .language: text = language
        case .customerID: text = customerID
        case .requestID: text = requestID
        }
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// Six decimals (about 0.1 m), without a locale or Foundation's formatter.
    static func degrees(_ value: Double) -> String {
        let micro = Int((value * 1_000_000).rounded())
        let sign = micro < 0 ? "-" : ""
        let whole = abs(micro) / 1_000_000, fraction = abs(micro) % 1_000_000
        let digits = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: 6 - digits.count))\(digits)"
    }
}
