// libFuzzer entry for the SDP core. Compiled together with Sources/SDP (same module, no import) by
// Fuzz/run.sh: swiftc -parse-as-library -sanitize=fuzzer,address -O Sources/SDP/*.swift Fuzz/SDP/main.swift
// Checks: parsing never traps; whatever parses serializes and re-parses to an equal value; the
// offer/answer code never traps on it, as an answer to the kiosk's offer or as an offer to answer.

private let kioskOffer: SessionDescription = {
    let builder = KioskOfferBuilder(
        localAddress: "192.0.2.10", sessionID: 1, sessionVersion: 1,
        ports: MediaPorts(audio: 10000, video: 10002, content: 10004),
        keys: MediaKeys(
            audio: Array(UInt8(0)..<30), video: Array(UInt8(30)..<60), content: Array(UInt8(60)..<90)))
    return try! builder.build()
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let sdp = try? SessionDescription(parsing: bytes) else { return 0 }
    let text = sdp.serialized()
    guard let again = try? SessionDescription(parsing: text) else {
        fatalError("serialized SDP does not re-parse:\n\(text)")
    }
    guard again == sdp else { fatalError("round trip changed the value:\n\(text)") }
    _ = try? OfferAnswer.negotiate(offer: kioskOffer, answer: sdp)
    _ = try? OfferAnswer.negotiate(offer: kioskOffer, answer: sdp, policy: NegotiationPolicy(srtpRequired: false))
    _ = try? OfferAnswer.answer(
        offer: sdp, origin: kioskOffer.origin, localAddress: "192.0.2.10",
        ports: MediaPorts(audio: 10000, video: 10002, content: 10004),
        keys: MediaKeys(audio: Array(UInt8(0)..<30), video: Array(UInt8(30)..<60), content: Array(UInt8(60)..<90)),
        cameraAllowed: size % 2 == 0)
    for media in sdp.media {
        _ = (media.rtpMaps, media.formatParameters.map(\.parameters.count), media.rtcpFeedback, media.cryptos,
             media.direction(in: sdp), media.rtcp, media.content, media.ptime, media.framerate, media.mid)
    }
    return 0
}
