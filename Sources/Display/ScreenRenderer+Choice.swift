/// Choosing a category or a language: a list with the highlighted row, moved with the up/down keys and
/// taken with select. Long lists scroll so the highlighted row stays visible.
extension ScreenRenderer {
    func drawChoice(title: String, items: [String], highlighted: Int, kioskName: String, strings: Strings,
                    metrics: ScreenMetrics, into surface: Surface) {
        drawHeader(kioskName, metrics: metrics, on: surface)
        let content = metrics.content
        let width = metrics.isPortrait ? content.width : min(content.width, 120 * metrics.unit)
        let column = Rect(x: content.midX - width / 2, y: content.y, width: width, height: metrics.footer.y - content.y)

        let heading = text(title, metrics.title, weight: .bold, lines: 2, width: column.width)
        surface.draw(heading, x: column.x, y: column.y + metrics.gap)
        let listTop = column.y + metrics.gap + heading.size.height + 4 * metrics.unit
        let list = Rect(x: column.x, y: listTop, width: column.width, height: column.maxY - listTop - metrics.gap)

        let rowHeight = 11 * metrics.unit, rowGap = 1.8 * metrics.unit
        let visible = max(1, Int((list.height + rowGap) / (rowHeight + rowGap)))
        let selected = items.isEmpty ? 0 : min(max(0, highlighted), items.count - 1)
        let first = max(0, min(selected - visible / 2, items.count - visible))
        let shown = items.indices.dropFirst(first).prefix(visible)
        let padding = 4 * metrics.unit
        for (offset, index) in shown.enumerated() {
            let row = Rect(x: list.x, y: list.y + Double(offset) * (rowHeight + rowGap), width: list.width, height: rowHeight)
            let isSelected = index == selected
            surface.fill(row, isSelected ? theme.accent : theme.panel, cornerRadius: metrics.cornerRadius)
            let label = text(items[index], metrics.heading, weight: isSelected ? .bold : .regular,
                             colour: isSelected ? theme.textOnAccent : theme.text, alignment: .leading, lines: 1,
                             width: row.width - 2 * padding - (isSelected ? 4 * metrics.unit : 0))
            surface.draw(label, x: row.x + padding, y: row.midY - label.size.height / 2)
            if isSelected {
                surface.fillCircle(centreX: row.maxX - padding, centreY: row.midY, radius: 1.3 * metrics.unit, theme.textOnAccent)
            }
        }
        // Three dots where the list goes on beyond what is shown.
        if first > 0 { drawMoreMarker(at: list.y - 2 * metrics.unit, column: column, metrics: metrics, on: surface) }
        if first + visible < items.count {
            drawMoreMarker(at: list.y + Double(visible) * (rowHeight + rowGap), column: column, metrics: metrics, on: surface)
        }
        drawKeyHints([(.upDown, strings[.keyMove]), (.select, strings[.keySelect])], in: metrics.footer, metrics: metrics, on: surface)
    }

    private func drawMoreMarker(at y: Double, column: Rect, metrics: ScreenMetrics, on surface: Surface) {
        let size = 1.4 * metrics.unit
        for step in 0..<3 {
            surface.fillCircle(centreX: column.midX + Double(step - 1) * 3 * size, centreY: y + size, radius: size / 2, theme.secondaryText)
        }
    }
}
