#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One customer request at the kiosk, as the contact center's reporting receives it: from the press to
/// the end of the call. Times are wall-clock (UTC); `id` is the request id the INVITE carried
/// (`X-Kiosk-Request-Id`), so the contact center's own records and these can be joined.
public struct InteractionRecord: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case answered, noAnswer, busy, failed, abandoned
    }

    public enum Ender: String, Sendable, Codable, CaseIterable {
        case customer, agent, kiosk, network
    }

    /// Where the kiosk stands (the `context` section of its configuration).
    public struct Location: Sendable, Equatable, Codable {
        public var site: String
        public var address: String
        public var floor: String
        public var latitude: Double?
        public var longitude: Double?

        public init(site: String = "", address: String = "", floor: String = "", latitude: Double? = nil, longitude: Double? = nil) {
            self.site = site
            self.address = address
            self.floor = floor
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    /// How the call's media went, over the whole call; a figure the kiosk did not measure is nil.
    public struct MediaQuality: Sendable, Equatable, Codable {
        /// Packets from the agent lost of those expected, audio and video together (0…100).
        public var lossPercent: Double?
        /// Interarrival jitter of the agent's audio.
        public var jitterMilliseconds: Double?
        /// What arrived from the agent, audio and video, on the wire.
        public var receivedKbps: Double?
        /// What the kiosk sent, audio and video.
        public var sentKbps: Double?
        /// The agent's pictures decoded per second.
        public var framesPerSecond: Double?

        public init(lossPercent: Double? = nil, jitterMilliseconds: Double? = nil, receivedKbps: Double? = nil,
                    sentKbps: Double? = nil, framesPerSecond: Double? = nil) {
            self.lossPercent = lossPercent
            self.jitterMilliseconds = jitterMilliseconds
            self.receivedKbps = receivedKbps
            self.sentKbps = sentKbps
            self.framesPerSecond = framesPerSecond
        }
    }

    /// A UUID string, the idempotency key of its delivery.
    public var id: String
    public var kioskID: String
    public var kioskName: String
    public var location: Location
    /// The category the customer chose (nil: none configured).
    public var category: String?
    public var language: String
    public var pressedAt: Date
    public var answeredAt: Date?
    /// Nil while the call goes on.
    public var endedAt: Date?
    /// From the press to the answer (or to the end, unanswered); nil while the call goes on.
    public var queueWaitSeconds: Double?
    public var outcome: Outcome?
    public var endedBy: Ender?
    public var media: MediaQuality?
    public var cameraShared: Bool
    /// Why the record is not what the flow reported (e.g. the daemon stopped during the call).
    public var note: String?

    public init(id: String, kioskID: String, kioskName: String, location: Location = Location(), category: String?,
                language: String, pressedAt: Date, answeredAt: Date? = nil, endedAt: Date? = nil, queueWaitSeconds: Double? = nil,
                outcome: Outcome? = nil, endedBy: Ender? = nil, media: MediaQuality? = nil, cameraShared: Bool = false,
                note: String? = nil) {
        self.id = id
        self.kioskID = kioskID
        self.kioskName = kioskName
        self.location = location
        self.category = category
        self.language = language
        self.pressedAt = pressedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.queueWaitSeconds = queueWaitSeconds
        self.outcome = outcome
        self.endedBy = endedBy
        self.media = media
        self.cameraShared = cameraShared
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case id, kioskID = "kioskId", kioskName, location, category, language, pressedAt, answeredAt, endedAt,
             queueWaitSeconds, outcome, endedBy, media, cameraShared, note
    }

    /// The body the reporting endpoint gets: JSON, ISO 8601 UTC times with milliseconds, keys sorted.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))
        }
        return try encoder.encode(self)
    }
}
