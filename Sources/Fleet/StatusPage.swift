import Control

/// The small status page at `/` for a technician's laptop: the kiosk's name and state, registration,
/// call, devices and last errors, from the same status the API and kioskctl give. No script, no
/// outside resources: it renders offline.
enum StatusPage {
    static func html(_ status: ControlValue) -> String {
        func text(_ key: String) -> String { escape(status[key]?.string ?? status[key]?.json ?? "") }
        let devices = (status["devices"]?.objectPairs ?? []).map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1.string ?? $0.1.json))</td></tr>" }
        let errors = (status["lastErrors"]?.array ?? []).compactMap(\.string).map { "<li>\(escape($0))</li>" }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>\(text("name")) – kioskd</title>
        <style>body{font:16px sans-serif;margin:2em;max-width:48em}th{text-align:left;padding-right:1em;vertical-align:top}
        .state{font-size:1.6em;font-weight:bold}</style></head>
        <body>
        <h1 id="name">\(text("name"))</h1>
        <p>Kiosk <span id="kiosk">\(text("kiosk"))</span>, kioskd \(text("version")), up \(text("uptimeSeconds")) s</p>
        <p class="state" id="state">\(text("state"))</p>
        <table>
        <tr><th>Registration</th><td id="registration">\(text("registration"))</td></tr>
        <tr><th>Call</th><td id="call">\(text("call"))</td></tr>
        </table>
        <h2>Devices</h2>
        <table id="devices">\(devices.joined(separator: "\n"))</table>
        <h2>Last errors</h2>
        \(errors.isEmpty ? "<p id=\"errors\">none</p>" : "<ul id=\"errors\">\(errors.joined(separator: "\n"))</ul>")
        <h2>Last calls</h2>
        <p id="calls">Interaction records are not served here yet.</p>
        </body></html>

        """
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
