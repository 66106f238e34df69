#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Control
import Kiosk

/// The small status page at `/` for a technician's laptop: the kiosk's name and state, registration,
/// call, devices, last errors and last calls, from the same status and records the API and kioskctl
/// give. No script, no outside resources: it renders offline.
enum StatusPage {
    /// How many of the last calls the page lists.
    static let callCount = 10

    static func html(_ status: ControlValue, calls: Result<[ControlValue], KioskManagement.CallsError>) -> String {
        func text(_ key: String) -> String { escape(status[key]?.string ?? status[key]?.json ?? "") }
        let devices = (status["devices"]?.objectPairs ?? []).map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1.string ?? $0.1.json))</td></tr>" }
        let errors = (status["lastErrors"]?.array ?? []).compactMap(\.string).map { "<li>\(escape($0))</li>" }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>\(text("name")) – kioskd</title>
        <style>body{font:16px sans-serif;margin:2em;max-width:48em}th,td{text-align:left;padding-right:1em;vertical-align:top}
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
        \(callsHTML(calls))
        </body></html>

        """
    }

    /// A table of the calls (the records' JSON, as `GET /v1/calls` gives them), or why there is none.
    static func callsHTML(_ calls: Result<[ControlValue], KioskManagement.CallsError>) -> String {
        let rows: [ControlValue]
        switch calls {
        case let .success(list): rows = list
        case let .failure(.unavailable(why)), let .failure(.failed(why)), let .failure(.badArgument(_, why)):
            return "<p id=\"calls\">\(escape(why))</p>"
        }
        if rows.isEmpty { return "<p id=\"calls\">none yet</p>" }
        let lines = rows.map { call -> String in
            let pressed = call["pressedAt"]?.string ?? ""
            let outcome = call["outcome"]?.string ?? "in progress"
            let endedBy = call["endedBy"]?.string.map { " (\($0))" } ?? ""
            return "<tr><td>\(escape(shortTime(pressed)))</td><td>\(escape(call["category"]?.string ?? "–"))</td>"
                + "<td class=\"outcome\">\(escape(outcome + endedBy))</td><td>\(escape(duration(call)))</td></tr>"
        }
        return """
        <table id="calls"><tr><th>Pressed (UTC)</th><th>Category</th><th>Outcome</th><th>Duration</th></tr>
        \(lines.joined(separator: "\n"))
        </table>
        """
    }

    /// "2026-11-21T19:11:30.123Z" → "2026-11-21 19:11:30".
    static func shortTime(_ rfc3339: String) -> String {
        String(rfc3339.prefix(19)).replacing("T", with: " ")
    }

    /// From the press to the end ("in progress" while the call goes on), as m:ss.
    static func duration(_ call: ControlValue) -> String {
        guard let pressed = call["pressedAt"]?.string.flatMap(seconds), let ended = call["endedAt"]?.string.flatMap(seconds) else {
            return "in progress"
        }
        let total = max(0, Int((ended - pressed).rounded()))
        let s = total % 60
        return "\(total / 60):\(s < 10 ? "0" : "")\(s)"
    }

    static func seconds(_ rfc3339: String) -> Double? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(rfc3339))?.timeIntervalSince1970
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
