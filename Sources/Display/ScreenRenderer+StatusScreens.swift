/// The screens without video: idle, connecting, waiting in the queue, call ended, out of service.
/// Each is a centred column (icon, title, text) under the header, readable from a step back.
extension ScreenRenderer {
    /// The column's width: the whole width in portrait, a readable measure in landscape.
    private func columnRect(_ metrics: ScreenMetrics, bottomReserve: Double = 0) -> Rect {
        let content = metrics.content
        let width = metrics.isPortrait ? content.width : min(content.width, 130 * metrics.unit)
        return Rect(x: content.midX - width / 2, y: content.y, width: width, height: content.height - bottomReserve)
    }

    func drawIdle(kioskName: String, languages: [Language], strings: Strings, metrics: ScreenMetrics, into surface: Surface) {
        let current = strings.language
        drawHeader(kioskName, metrics: metrics, on: surface)
        let languagesHeight = 14 * metrics.unit
        let column = columnRect(metrics, bottomReserve: languagesHeight)
        let icon = 26 * metrics.unit
        drawColumn([
            .icon(height: icon) { self.drawCallButtonIcon(in: Rect(x: $0.midX - icon / 2, y: $0.y, width: icon, height: icon), on: surface) },
            .space(4 * metrics.unit),
            .text(text(strings[.welcome], metrics.display, weight: .bold, lines: 1, width: column.width)),
            .space(2.5 * metrics.unit),
            .text(text(strings[.pressToTalk], metrics.title, colour: theme.text, lines: 3, width: column.width)),
        ], in: column, on: surface)

        // The languages offered, each in its own name, as a row of chips at the bottom.
        let strip = Rect(x: metrics.content.x, y: column.maxY, width: metrics.content.width, height: languagesHeight)
        let label = text(strings[.languagesOffered], metrics.small, colour: theme.secondaryText, lines: 1, width: strip.width)
        surface.draw(label, x: strip.x, y: strip.y)
        let names = languages.map { text($0.nativeName, metrics.body, lines: 1, width: 0) }
        let padding = 2.5 * metrics.unit, chipHeight = names.map(\.size.height).max().map { $0 + 1.6 * metrics.unit } ?? 0
        let widths = names.map { min($0.size.width, strip.width / Double(max(1, names.count)) - 2 * padding - metrics.gap) }
        let total = widths.reduce(0) { $0 + $1 + 2 * padding } + Double(max(0, names.count - 1)) * metrics.gap
        var x = strip.x + max(0, (strip.width - total) / 2)
        let chipY = strip.y + label.size.height + 1.5 * metrics.unit
        for (index, language) in languages.enumerated() {
            let chip = Rect(x: x, y: chipY, width: widths[index] + 2 * padding, height: chipHeight)
            surface.fill(chip, theme.panel, cornerRadius: chipHeight / 2)
            if language == current {
                surface.stroke(chip, theme.accent, lineWidth: max(1, 0.4 * metrics.unit), cornerRadius: chipHeight / 2)
            }
            let name = names[index].size.width > widths[index]
                ? text(language.nativeName, metrics.body, lines: 1, width: widths[index]) : names[index]
            surface.draw(name, x: chip.x + padding, y: chip.midY - name.size.height / 2)
            x += chip.width + metrics.gap
        }
    }

    func drawConnecting(category: String?, kioskName: String, strings: Strings, metrics: ScreenMetrics, into surface: Surface) {
        drawHeader(kioskName, metrics: metrics, on: surface)
        let column = columnRect(metrics)
        let icon = 20 * metrics.unit
        var items: [ColumnItem] = [
            .icon(height: icon) { self.drawProgressIcon(in: Rect(x: $0.midX - icon / 2, y: $0.y, width: icon, height: icon), on: surface) },
            .space(5 * metrics.unit),
            .text(text(strings[.connecting], metrics.title, weight: .bold, lines: 2, width: column.width)),
        ]
        if let category {
            items += [.space(2.5 * metrics.unit),
                      .text(text(strings.format(.topic, ["category": category]), metrics.body, colour: theme.secondaryText,
                                 lines: 2, width: column.width))]
        }
        drawColumn(items, in: column, on: surface)
    }

    func drawWaiting(position: Int?, estimatedWait: Duration?, kioskName: String, strings: Strings,
                     metrics: ScreenMetrics, into surface: Surface) {
        drawHeader(kioskName, metrics: metrics, on: surface)
        let column = columnRect(metrics)
        let icon = 22 * metrics.unit
        var items: [ColumnItem] = []
        if let position, position > 0 {
            items.append(.icon(height: icon) {
                self.drawNumberIcon(position, in: Rect(x: $0.midX - icon / 2, y: $0.y, width: icon, height: icon), metrics: metrics, on: surface)
            })
        } else {
            items.append(.icon(height: icon) { self.drawProgressIcon(in: Rect(x: $0.midX - icon / 2, y: $0.y, width: icon, height: icon), on: surface) })
        }
        items += [.space(5 * metrics.unit),
                  .text(text(strings[.waitingTitle], metrics.title, weight: .bold, lines: 3, width: column.width))]
        var details: [String] = []
        if let position, position > 0 { details.append(strings.queuePosition(position)) }
        if let estimatedWait { details.append(strings.estimatedWait(estimatedWait)) }
        if details.isEmpty { details.append(strings[.waitingNoEstimate]) }
        for detail in details {
            items += [.space(2 * metrics.unit), .text(text(detail, metrics.body, colour: theme.secondaryText, lines: 2, width: column.width))]
        }
        drawColumn(items, in: column, on: surface)
    }

    /// Thanks after a call that ended as calls do; an apology when it could not be made or broke. Either
    /// way the customer reads why, in a line of its own under the title.
    func drawCallEnded(duration: Duration?, reason: CallEndReason, kioskName: String, strings: Strings,
                       metrics: ScreenMetrics, into surface: Surface) {
        drawHeader(kioskName, metrics: metrics, on: surface)
        let column = columnRect(metrics)
        let icon = 20 * metrics.unit
        let title: String, closing: String
        switch reason {
        case .customerHungUp, .agentHungUp, .timeLimitReached: (title, closing) = (strings[.thankYou], strings[.goodbye])
        case .customerCancelled: (title, closing) = (strings[.callCancelled], strings[.callAgain])
        case .connectionLost, .shutdown: (title, closing) = (strings[.callInterrupted], strings[.callAgain])
        case .noAnswer, .busy, .unavailable, .noUsableConnection, .callFailed:
            (title, closing) = (strings[.callNotConnected], strings[.tryAgainLater])
        }
        let friendly = reason.endedNormally || reason == .customerCancelled
        var items: [ColumnItem] = [
            .icon(height: icon) {
                let rect = Rect(x: $0.midX - icon / 2, y: $0.y, width: icon, height: icon)
                if friendly { self.drawCheckIcon(in: rect, on: surface) } else { self.drawWarningIcon(in: rect, on: surface) }
            },
            .space(5 * metrics.unit),
            .text(text(title, metrics.title, weight: .bold, lines: 2, width: column.width)),
            .space(3 * metrics.unit),
            .text(text(strings.reason(reason), metrics.body, lines: 2, width: column.width)),
        ]
        if let duration {
            items += [.space(1.5 * metrics.unit),
                      .text(text(strings.callDuration(duration), metrics.body, colour: theme.secondaryText, lines: 1, width: column.width))]
        }
        items += [.space(4 * metrics.unit),
                  .text(text(closing, metrics.body, colour: friendly ? theme.text : theme.secondaryText, lines: 3, width: column.width))]
        drawColumn(items, in: column, on: surface)
    }

    func drawOutOfService(reason: String, kioskName: String, strings: Strings, metrics: ScreenMetrics, into surface: Surface) {
        drawHeader(kioskName, metrics: metrics, on: surface)
        // The technician's reason sits small at the bottom, out of the customer's way but readable.
        let detail = text(strings.format(.technicalDetail, ["reason": reason]), metrics.caption, colour: theme.secondaryText,
                          alignment: .leading, lines: 3, width: metrics.content.width)
        let detailHeight = detail.size.height
        surface.draw(detail, x: metrics.content.x, y: metrics.content.maxY - detailHeight)
        let column = columnRect(metrics, bottomReserve: detailHeight + metrics.gap)
        let icon = 18 * metrics.unit
        drawColumn([
            .icon(height: icon) { self.drawWarningIcon(in: Rect(x: $0.midX - icon / 2, y: $0.y, width: icon, height: icon), on: surface) },
            .space(5 * metrics.unit),
            .text(text(strings[.outOfServiceTitle], metrics.title, weight: .bold, lines: 3, width: column.width)),
            .space(3 * metrics.unit),
            .text(text(strings[.outOfServiceBody], metrics.body, colour: theme.secondaryText, lines: 3, width: column.width)),
        ], in: column, on: surface)
    }
}
