import Hummingbird
import Kiosk

/// `GET /v1/calls`: the interaction records, newest first, a page at a time (`limit`, `cursor`).
extension FleetService {
    static func calls(_ request: Request, management: KioskManagement) -> Response {
        let query = request.uri.queryParameters
        var limit = 50
        if let text = query["limit"] {
            let sizes = KioskManagement.callPageSizes
            guard let n = Int(String(text)), sizes.contains(n) else {
                return error(.badRequest, "bad-argument", "limit: '\(text)' is not a whole number in \(sizes.lowerBound)...\(sizes.upperBound)",
                             field: "limit")
            }
            limit = n
        }
        do throws(KioskManagement.CallsError) {
            return json(try management.calls(limit: limit, cursor: query["cursor"].map(String.init)))
        } catch {
            switch error {
            case let .badArgument(field, message): return Self.error(.badRequest, "bad-argument", message, field: field)
            case let .unavailable(message): return Self.error(.serviceUnavailable, "unavailable", message)
            case let .failed(message): return Self.error(.internalServerError, "failed", message)
            }
        }
    }
}
