// libFuzzer entry for the SIP message layer, built by Fuzz/run.sh together with Sources/SIP (one
// module, so no import). Every input goes through the datagram parser and, split at a point the
// input chooses, through the stream framer. Whatever is accepted must serialize to bytes that
// parse again, and that second form must be a fixed point; anything else traps, which libFuzzer
// reports as a crash.

/// Limits off for the re-parse: serializing may add a Content-Length field and grow the message.
private let lenient = SIPMessageParser(maxMessageSize: .max, maxHeaderCount: .max)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    if let message = try? SIPMessageParser.parse(bytes) {
        check(message)
    }

    var framer = SIPStreamFramer()
    let split = size > 0 ? Int(bytes[size - 1]) % (size + 1) : 0
    framer.append(Array(bytes[..<split]))
    drain(&framer, limit: size + 4)
    framer.append(Array(bytes[split...]))
    drain(&framer, limit: size + 4)
    return 0
}

/// Every error consumes input, so `limit` rounds always suffice; it guards against a framer bug
/// turning into a hang instead of a finding.
private func drain(_ framer: inout SIPStreamFramer, limit: Int) {
    for _ in 0..<limit {
        do {
            guard let event = try framer.next() else { return }
            if case .message(let message) = event { check(message) }
        } catch {
            continue
        }
    }
    fatalError("framer made no progress")
}

private func check(_ message: SIPMessage) {
    let once: SIPMessage
    do {
        once = try lenient.parse(message.serialized())
    } catch {
        fatalError("serialized message does not parse again: \(error)")
    }
    guard let twice = try? lenient.parse(once.serialized()), twice == once else {
        fatalError("serialization is not a fixed point")
    }
    // The typed accessors must not trap on anything the parser let through.
    if case .request(let request) = message {
        _ = (request.vias, request.contacts, request.routes, request.cseq, request.from, request.to)
        _ = (request.maxForwards, request.contentType, request.expires, request.ackForNonSuccessResponse(SIPResponse(statusCode: 486)))
        _ = SIPResponse(replyingTo: request, statusCode: 200, toTag: "t").serialized()
        _ = request.cancel()?.serialized()
    }
    _ = message.headers.values("Via")
    _ = message.headers.values("Contact")
}
