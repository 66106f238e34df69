import AsyncHTTPClient

/// The reporting endpoint over HTTP: each record POSTed as JSON, its id as the `Idempotency-Key`, so
/// a record sent twice (its answer lost to a crash or the network) is still counted once.
public final class ReportingClient: RecordSender {
    public let url: String
    let timeoutSeconds: Int64
    let client: HTTPClient

    public init(url: String, timeoutSeconds: Int64 = 10) {
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(timeoutSeconds))
        // A refused connection fails the attempt at once; the outbox's backoff decides when to try
        // again (the client's own retries would hold each attempt until its time-out).
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func send(_ record: InteractionRecord) async -> SendResult {
        let body: [UInt8]
        do {
            body = Array(try record.json())
        } catch {
            return .failed("cannot encode the record: \(error)")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: record.id)
        request.body = .bytes(body)
        do {
            let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
            // Read the answer so the connection can serve the next record.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            switch response.status.code {
            case 200..<300: return .delivered
            case 409: return .duplicate
            default: return .failed("HTTP \(response.status.code) \(response.status.reasonPhrase)")
            }
        } catch {
            return .failed("\(error)")
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
