/// The initial INVITE: sending it, its responses, CANCEL, and the 2xx's ACK (RFC 3261 §9, §13.2).
extension SIPCall {
    mutating func start() -> [Action] {
        guard state == .idle else { return [] }
        localSequence = 1
        let request = makeInvite(sequence: localSequence)
        invite = request
        pending[localSequence] = Pending(request: request, kind: .initialInvite)
        state = .calling
        var actions: [Action] = [.send(request)]
        if let ringTimeout = configuration.ringTimeout { actions.append(startTimer(.ringTimeout, ringTimeout)) }
        return actions
    }

    /// Routes a response by its CSeq to the request it answers.
    mutating func handleResponse(_ response: SIPResponse) -> [Action] {
        guard let cseq = response.cseq, response.callID == callID, response.from?.tag == localTag else { return [] }
        if cseq.method == .cancel { return [] }  // the INVITE's own final response tells how it went
        if cseq.method == .invite, response.isSuccess {
            // RFC 6026: every 2xx reaches us; a retransmission gets the same ACK again.
            if let ack = acks[AckKey(sequence: cseq.sequenceNumber, remoteTag: response.to?.tag ?? "")] {
                return [.sendAck(ack)]
            }
            if let invite, cseq.sequenceNumber == invite.cseq?.sequenceNumber {
                return initialInviteSucceeded(response, invite: invite)
            }
        }
        guard let request = pending[cseq.sequenceNumber], request.request.method == cseq.method else { return [] }
        if request.kind != .initialInvite {
            // In the dialog: a response from another fork (a BYE we sent it) is not ours.
            guard let dialog, response.to?.tag == dialog.id.remoteTag else { return [] }
        }
        switch request.kind {
        case .initialInvite: return initialInviteResponse(response, request)
        case .reinvite(let offer): return reinviteResponse(response, request, offer: offer)
        case .bye: return byeResponse(response, request)
        case .message(let id), .info(let id): return messageResponse(response, request, id: id)
        }
    }

    mutating func handleFailure(of request: SIPRequest, _ failure: TransactionFailure) -> [Action] {
        guard let sequence = request.cseq?.sequenceNumber, request.method != .cancel, request.method != .ack,
              let failed = pending[sequence], failed.request.method == request.method else { return [] }
        pending[sequence] = nil
        switch failed.kind {
        case .initialInvite:
            if isEnded { return [] }
            if let reason = endingReason { return end(reason) }
            switch failure {
            case .timedOut: return end(.failed("no answer from \(configuration.requestURI) (timeout)"))
            case .transportFailed(let why): return end(.failed("could not reach \(configuration.requestURI): \(why)"))
            }
        case .reinvite:
            localReinvite = nil
            // §12.2.1.2: a 408 (or its equivalent) in the dialog ends it.
            return abandon(.failed("the agent's side stopped answering (re-INVITE: \(failure))"))
        case .bye:
            return end(endingReason ?? .localHangUp)
        case .message(let id):
            return [.messageDelivered(id: id, ok: false)]
        case .info(let id):
            return [.infoDelivered(id: id, ok: false)]
        }
    }

    // MARK: - Responses to the initial INVITE

    mutating func initialInviteResponse(_ response: SIPResponse, _ request: Pending) -> [Action] {
        if response.isProvisional { return provisional(response) }
        // 3xx–6xx (2xx are handled before): the transaction has ACKed it.
        pending[response.cseq!.sequenceNumber] = nil
        if isEnded { return [] }
        if let reason = endingReason { return end(reason) }
        if response.statusCode == 401 || response.statusCode == 407 {
            switch answerChallenge(response, to: request) {
            case .retry(let retry):
                let sequence = retry.request.cseq!.sequenceNumber
                pending[sequence] = retry
                invite = retry.request
                // A new transaction: early dialogs of the old one are gone, and CANCEL waits for
                // this one's first provisional.
                dialog = nil
                provisionalReceived = false
                state = .calling
                return [.send(retry.request)]
            case .refused(let why):
                return end(.failed(why))
            }
        }
        return end(.rejected(response.statusCode, response.reasonPhrase))
    }

    mutating func provisional(_ response: SIPResponse) -> [Action] {
        guard state == .calling || state == .proceeding || state == .cancelling, let invite else { return [] }
        provisionalReceived = true
        if let tag = response.to?.tag {
            if let dialog, dialog.id.remoteTag == tag {
                self.dialog?.refreshTarget(from: response)
            } else {
                // A new early dialog (the first, or another fork's, which replaces it).
                dialog = SIPDialog(uacRequest: invite, response: response)
            }
        }
        if state == .cancelling {
            return sendCancelIfDue()
        }
        state = .proceeding
        switch response.statusCode {
        case 100:
            return []
        case 180, 183:
            let sdp = response.contentType?.matches(.sdp) == true && !response.body.isEmpty ? response.body : nil
            return [.ringing(response, earlySDP: sdp)]
        default:
            return [.progress(response)]
        }
    }

    /// A 2xx to the initial INVITE that is not a retransmission: the call is answered — unless the
    /// user already gave up (CANCEL crossed it: ACK, then BYE), the call already ended, or another
    /// fork answered first (ACK, then BYE that dialog, §13.2.2.4).
    mutating func initialInviteSucceeded(_ response: SIPResponse, invite: SIPRequest) -> [Action] {
        guard let tag = response.to?.tag else {
            return isEnded ? [] : end(.failed("the answer (\(response.statusCode)) had no To tag"))
        }
        pending[invite.cseq!.sequenceNumber] = nil
        let answered = state == .calling || state == .proceeding || state == .cancelling
        if !answered || (dialog?.state == .confirmed && dialog?.id.remoteTag != tag) {
            return acknowledgeAndHangUpStray(response, invite: invite)
        }
        if var early = dialog, early.id.remoteTag == tag {
            early.confirm(with: response)
            dialog = early
        } else {
            dialog = SIPDialog(uacRequest: invite, response: response)
        }
        guard let dialog else { return end(.failed("the answer could not be read")) }
        let ack = makeAck(for: invite, in: dialog)
        acks[AckKey(sequence: invite.cseq!.sequenceNumber, remoteTag: tag)] = ack
        var actions: [Action] = [.sendAck(ack)]
        actions += cancelTimer(.ringTimeout)
        actions += cancelTimer(.cancelGuard)
        if let reason = endingReason {
            // The CANCEL lost the race (§9.1, §15): the call is up, so it ends with a BYE.
            return actions + sendBye(ending: reason)
        }
        state = .confirmed
        actions.append(.answered(remoteSDP: response.body))
        return actions
    }

    /// ACK and BYE a dialog we do not want (a second fork, or an answer after the call ended); no
    /// events: its responses are ignored (they carry a To tag that is not our dialog's).
    mutating func acknowledgeAndHangUpStray(_ response: SIPResponse, invite: SIPRequest) -> [Action] {
        guard let stray = SIPDialog(uacRequest: invite, response: response), let tag = response.to?.tag else { return [] }
        let ack = makeAck(for: invite, in: stray)
        acks[AckKey(sequence: invite.cseq!.sequenceNumber, remoteTag: tag)] = ack
        localSequence += 1
        var bye = stray.makeRequest(.bye, sequence: localSequence, via: newVia(), preloadedRoute: dialogProxy)
        bye.headers.add("User-Agent", configuration.userAgent)
        return [.sendAck(ack), .send(bye)]
    }

    // MARK: - Giving up before the answer

    /// `.cancel` / `.hangUp` before the answer: CANCEL once a provisional has come (§9.1), or as
    /// soon as one does. The INVITE then gets 487 and the call ends with `reason`.
    mutating func cancel(ending reason: SIPCallEndReason) -> [Action] {
        switch state {
        case .idle:
            return end(reason)
        case .calling, .proceeding:
            state = .cancelling
            endingReason = reason
            return cancelTimer(.ringTimeout) + sendCancelIfDue()
        default:
            return []
        }
    }

    mutating func sendCancelIfDue() -> [Action] {
        guard provisionalReceived, !cancelSent, let invite, let cancel = invite.cancel() else { return [] }
        cancelSent = true
        return [.send(cancel), startTimer(.cancelGuard, configuration.timers.transactionTimeout)]
    }
}
