/// The call once there is a dialog: requests from the agent's side (§12.2.2), BYE (§15), re-INVITE
/// both ways (§14), MESSAGE (RFC 3428) and INFO.
extension SIPCall {
    // MARK: - Requests from the agent's side

    mutating func handleRequest(_ request: SIPRequest) -> [Action] {
        if request.method == .ack { return handleAck(request) }
        guard let dialog, dialog.matches(request), !isEnded else { return [respond(481, to: request)] }
        if request.method == .bye { return handleBye(request) }
        if state == .terminating { return [respond(481, to: request)] }  // our BYE is out
        if request.method == .cancel { return handleCancel(request) }
        guard let cseq = request.cseq else { return [respond(400, to: request)] }
        if let remote = dialog.remoteSequence, cseq.sequenceNumber <= remote {
            // Lower: out of order (§12.2.2). Equal: a retransmission the transaction should absorb.
            return cseq.sequenceNumber < remote ? [respond(500, to: request)] : []
        }
        self.dialog?.remoteSequence = cseq.sequenceNumber
        switch request.method {
        case .invite:
            return handleReinvite(request)
        case .message:
            let from = request.headers["From"].flatMap { try? SIPNameAddress(parsing: $0) }
            return [respond(200, to: request), .messageReceived(body: request.body, contentType: request.headers["Content-Type"], from: from)]
        case .info:
            return [respond(200, to: request), .infoReceived(body: request.body, contentType: request.headers["Content-Type"])]
        case .options:
            var ok = SIPResponse(replyingTo: request, statusCode: 200, toTag: localTag)
            addCapabilities(to: &ok.headers)
            ok.headers.add("Accept", configuration.accept.joined(separator: ", "))
            return [.respond(ok, to: request)]
        default:
            var notAllowed = SIPResponse(replyingTo: request, statusCode: 405, toTag: localTag)
            notAllowed.headers.add("Allow", allowValue)
            return [.respond(notAllowed, to: request)]
        }
    }

    func respond(_ statusCode: Int, to request: SIPRequest) -> Action {
        .respond(SIPResponse(replyingTo: request, statusCode: statusCode, toTag: localTag), to: request)
    }

    /// The agent hangs up (§15.1.2). In an early dialog (callees must not, some do) the INVITE is
    /// cancelled too; while our own BYE is out, the call ends as ours.
    mutating func handleBye(_ request: SIPRequest) -> [Action] {
        var actions: [Action] = [respond(200, to: request)]
        switch state {
        case .terminating:
            return actions + end(endingReason ?? .localHangUp)
        case .calling, .proceeding, .cancelling:
            if provisionalReceived, !cancelSent, let cancel = invite?.cancel() {
                cancelSent = true
                actions.append(.send(cancel))
            }
            return actions + end(.remoteHangUp)
        default:
            return actions + end(.remoteHangUp)
        }
    }

    /// The ACK for our 2xx to the agent's re-INVITE stops its retransmission.
    mutating func handleAck(_ request: SIPRequest) -> [Action] {
        guard let remote = remoteInvite, remote.answer != nil, matches(request),
              request.cseq?.sequenceNumber == remote.request.cseq?.sequenceNumber else { return [] }
        remoteInvite = nil
        return cancelTimer(.answerRetransmit) + cancelTimer(.answerTimeout) + sendQueuedOffer()
    }

    /// A CANCEL of the agent's re-INVITE (§9.2): 487 for it if the engine has not answered yet.
    mutating func handleCancel(_ request: SIPRequest) -> [Action] {
        guard let remote = remoteInvite, request.cseq?.sequenceNumber == remote.request.cseq?.sequenceNumber,
              request.topVia?.branch == remote.request.topVia?.branch else { return [respond(481, to: request)] }
        guard remote.answer == nil else { return [respond(200, to: request)] }  // too late: no effect
        remoteInvite = nil
        return [respond(200, to: request), respond(487, to: remote.request), .remoteOfferWithdrawn] + sendQueuedOffer()
    }

    /// The agent's re-INVITE (§14.2): its offer goes to the engine, which answers or rejects.
    mutating func handleReinvite(_ request: SIPRequest) -> [Action] {
        // Our INVITE (the first, or a re-INVITE) is in progress: 491, the agent retries later.
        guard state == .confirmed, localReinvite == nil else { return [respond(491, to: request)] }
        if remoteInvite != nil {
            // Theirs, unanswered or unacknowledged: 500 with a Retry-After (§14.2).
            var busy = SIPResponse(replyingTo: request, statusCode: 500, toTag: localTag)
            busy.headers.add("Retry-After", String(Int(tokens.number(in: 0...10))))
            return [.respond(busy, to: request)]
        }
        if request.body.isEmpty {
            // An offerless re-INVITE (offer in our 2xx, answer in the ACK): not supported.
            return [respond(488, to: request)]
        }
        guard request.contentType?.matches(.sdp) == true else {
            var unsupported = SIPResponse(replyingTo: request, statusCode: 415, toTag: localTag)
            unsupported.headers.add("Accept", "application/sdp")
            return [.respond(unsupported, to: request)]
        }
        remoteInvite = RemoteInvite(request: request, answer: nil, retransmitInterval: configuration.timers.t1)
        return [.remoteOffer(sdp: request.body)]
    }

    /// The engine's answer: 2xx with Contact and SDP, retransmitted until the ACK (§13.3.1.4); the
    /// re-INVITE's Contact becomes the remote target (a target refresh).
    mutating func answerRemoteOffer(_ sdp: [UInt8]) -> [Action] {
        guard state == .confirmed, var remote = remoteInvite, remote.answer == nil else { return [] }
        var ok = SIPResponse(replyingTo: remote.request, statusCode: 200, toTag: localTag)
        ok.headers.add("Contact", contactValue)
        addCapabilities(to: &ok.headers)
        ok.headers.add("Content-Type", "application/sdp")
        ok.body = sdp
        dialog?.refreshTarget(from: remote.request)
        remote.answer = ok
        remote.retransmitInterval = configuration.timers.t1
        remoteInvite = remote
        return [.respond(ok, to: remote.request),
                startTimer(.answerRetransmit, configuration.timers.t1),
                startTimer(.answerTimeout, configuration.timers.transactionTimeout)]
    }

    mutating func rejectRemoteOffer(_ statusCode: Int) -> [Action] {
        guard let remote = remoteInvite, remote.answer == nil else { return [] }
        remoteInvite = nil
        let code = (300..<700).contains(statusCode) ? statusCode : 488
        return [respond(code, to: remote.request)] + sendQueuedOffer()
    }

    mutating func retransmitAnswer() -> [Action] {
        guard var remote = remoteInvite, let answer = remote.answer else { return [] }
        remote.retransmitInterval = min(remote.retransmitInterval * 2, configuration.timers.t2)
        remoteInvite = remote
        return [.respond(answer, to: remote.request), startTimer(.answerRetransmit, remote.retransmitInterval)]
    }

    /// 64×T1 without the ACK: "the dialog is confirmed, but the session SHOULD be terminated" with a
    /// BYE (§13.3.1.4).
    mutating func answerUnacknowledged() -> [Action] {
        guard let remote = remoteInvite, remote.answer != nil else { return [] }
        remoteInvite = nil
        return cancelTimer(.answerRetransmit)
            + sendBye(ending: .failed("the agent's side never acknowledged our answer to its re-INVITE"))
    }

    // MARK: - Hanging up

    /// BYE in the dialog (§15.1.1); the call ends with `reason` when the BYE's transaction does.
    mutating func sendBye(ending reason: SIPCallEndReason) -> [Action] {
        guard !isEnded, state != .terminating else { return [] }
        guard let bye = makeInDialogRequest(.bye) else { return end(reason) }
        pending[bye.cseq!.sequenceNumber] = Pending(request: bye, kind: .bye)
        state = .terminating
        endingReason = reason
        var actions = cancelTimer(.ringTimeout) + cancelTimer(.cancelGuard) + cancelTimer(.answerRetransmit)
            + cancelTimer(.answerTimeout) + cancelTimer(.reinviteRetry)
        if let remote = remoteInvite, remote.answer == nil {
            actions.append(respond(487, to: remote.request))
        }
        remoteInvite = nil
        queuedOffer = nil
        actions.append(.send(bye))
        return actions
    }

    mutating func byeResponse(_ response: SIPResponse, _ request: Pending) -> [Action] {
        guard response.isFinal else { return [] }
        pending[response.cseq!.sequenceNumber] = nil
        if response.statusCode == 401 || response.statusCode == 407, case .retry(let retry) = answerChallenge(response, to: request) {
            pending[retry.request.cseq!.sequenceNumber] = retry
            return [.send(retry.request)]
        }
        // Any final response ends it: a 481 or 408 means the other side has forgotten the call.
        return end(endingReason ?? .localHangUp)
    }

    /// The dialog is gone on the other side (481) or unreachable (408, timeout): end now, with a BYE
    /// sent for good measure whose outcome nobody waits for (§12.2.1.2).
    mutating func abandon(_ reason: SIPCallEndReason, sendBye: Bool = true) -> [Action] {
        guard !isEnded else { return [] }
        var actions: [Action] = []
        if sendBye, state == .confirmed, let bye = makeInDialogRequest(.bye) { actions.append(.send(bye)) }
        return actions + end(reason)
    }

    // MARK: - Our re-INVITE

    mutating func reinvite(_ offer: [UInt8]) -> [Action] {
        guard state == .confirmed else { return [.reinviteFailed(statusCode: nil, reason: "the call is not up")] }
        queuedOffer = offer  // the newest offer wins
        return sendQueuedOffer()
    }

    /// Sends the queued offer unless an offer/answer exchange (ours or theirs) or the 491 back-off
    /// is in progress (§14.1): then it goes when that ends.
    mutating func sendQueuedOffer() -> [Action] {
        guard state == .confirmed, localReinvite == nil, remoteInvite == nil, !armed.contains(.reinviteRetry),
              let offer = queuedOffer, let request = makeInDialogRequest(.invite, body: offer, contentType: "application/sdp")
        else { return [] }
        queuedOffer = nil
        let sequence = request.cseq!.sequenceNumber
        pending[sequence] = Pending(request: request, kind: .reinvite(offer: offer))
        localReinvite = sequence
        return [.send(request)]
    }

    mutating func reinviteResponse(_ response: SIPResponse, _ request: Pending, offer: [UInt8]) -> [Action] {
        guard response.isFinal else { return [] }
        let sequence = response.cseq!.sequenceNumber
        pending[sequence] = nil
        localReinvite = nil
        if response.isSuccess, let dialog {
            // Every 2xx is ACKed, even when we are hanging up meanwhile.
            self.dialog?.refreshTarget(from: response)
            let ack = makeAck(for: request.request, in: self.dialog ?? dialog)
            acks[AckKey(sequence: sequence, remoteTag: dialog.id.remoteTag)] = ack
            guard state == .confirmed else { return [.sendAck(ack)] }
            var actions: [Action] = [.sendAck(ack)]
            if response.body.isEmpty {
                actions.append(.reinviteFailed(statusCode: response.statusCode, reason: "the answer carried no SDP"))
            } else {
                actions.append(.remoteAnswer(sdp: response.body))
            }
            return actions + sendQueuedOffer()
        }
        guard state == .confirmed else { return [] }  // hanging up meanwhile
        switch response.statusCode {
        case 401, 407:
            switch answerChallenge(response, to: request) {
            case .retry(let retry):
                let next = retry.request.cseq!.sequenceNumber
                pending[next] = retry
                localReinvite = next
                return [.send(retry.request)]
            case .refused(let why):
                return [.reinviteFailed(statusCode: response.statusCode, reason: why)] + sendQueuedOffer()
            }
        case 491:
            // Glare (§14.1): we own the Call-ID, so we wait 2.1–4 s, in 10 ms steps.
            if queuedOffer == nil { queuedOffer = offer }
            let wait = Duration.milliseconds(Int(tokens.number(in: 210...400).rounded()) * 10)
            return [startTimer(.reinviteRetry, wait)]
        case 481:
            return abandon(.failed("the agent's side no longer knows the call (481 to re-INVITE)"), sendBye: false)
        case 408:
            return abandon(.failed("the agent's side stopped answering (408 to re-INVITE)"))
        default:
            return [.reinviteFailed(statusCode: response.statusCode, reason: response.reasonPhrase)] + sendQueuedOffer()
        }
    }

    // MARK: - MESSAGE and INFO

    mutating func sendInDialog(_ kind: Pending.Kind, body: [UInt8], contentType: String) -> [Action] {
        let method: SIPMethod = if case .message = kind { .message } else { .info }
        guard state == .confirmed, let request = makeInDialogRequest(method, body: body, contentType: contentType) else {
            return [delivered(kind, ok: false)]
        }
        pending[request.cseq!.sequenceNumber] = Pending(request: request, kind: kind)
        return [.send(request)]
    }

    func delivered(_ kind: Pending.Kind, ok: Bool) -> Action {
        switch kind {
        case .info(let id): .infoDelivered(id: id, ok: ok)
        case .message(let id): .messageDelivered(id: id, ok: ok)
        default: .messageDelivered(id: 0, ok: ok)
        }
    }

    mutating func messageResponse(_ response: SIPResponse, _ request: Pending, id: Int) -> [Action] {
        guard response.isFinal else { return [] }
        pending[response.cseq!.sequenceNumber] = nil
        if response.statusCode == 401 || response.statusCode == 407, state == .confirmed,
           case .retry(let retry) = answerChallenge(response, to: request) {
            pending[retry.request.cseq!.sequenceNumber] = retry
            return [.send(retry.request)]
        }
        let outcome = delivered(request.kind, ok: response.isSuccess)
        if response.statusCode == 481 {
            return [outcome] + abandon(.failed("the agent's side no longer knows the call (481)"), sendBye: false)
        }
        return [outcome]
    }
}
