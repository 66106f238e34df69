/// Sizes relative to the screen, so one layout serves 800×1280 portrait, 1280×800 and 1920×1080: one
/// unit is a hundredth of the shorter side; type and margins are multiples of it.
struct ScreenMetrics {
    let size: ScreenSize
    let unit: Double

    init(size: ScreenSize) {
        self.size = size
        self.unit = Double(min(size.width, size.height)) / 100
    }

    var isPortrait: Bool { size.isPortrait }
    var bounds: Rect { Rect(x: 0, y: 0, width: Double(size.width), height: Double(size.height)) }
    var margin: Double { 5 * unit }
    var gap: Double { 2.5 * unit }
    var cornerRadius: Double { 1.6 * unit }

    // Type sizes in pixels.
    var display: Double { 7.5 * unit }
    var title: Double { 5.6 * unit }
    var heading: Double { 4.4 * unit }
    var body: Double { 3.6 * unit }
    var small: Double { 2.8 * unit }
    var caption: Double { 2.3 * unit }

    var headerHeight: Double { 10 * unit }
    var footerHeight: Double { 11 * unit }

    var header: Rect { Rect(x: margin, y: 0, width: Double(size.width) - 2 * margin, height: headerHeight) }
    /// Below the header, inside the margins.
    var content: Rect {
        Rect(x: margin, y: headerHeight + gap, width: Double(size.width) - 2 * margin,
             height: Double(size.height) - headerHeight - gap - margin)
    }
    /// The key hints' strip at the bottom.
    var footer: Rect { Rect(x: margin, y: Double(size.height) - footerHeight, width: Double(size.width) - 2 * margin, height: footerHeight - unit) }
}
