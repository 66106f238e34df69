import ArgumentParser
import Control
import Testing
@testable import KioskCtl

/// Every kioskctl command line parses to its command with its options (nothing is sent: parse only).
@Suite struct KioskCtlParseTests {
    func parse<T: ParsableCommand>(_ arguments: [String], as type: T.Type) throws -> T {
        let command = try KioskCtl.parseAsRoot(arguments)
        return try #require(command as? T, "\(arguments) parsed as \(Swift.type(of: command))")
    }

    /// The exit status argument-parser gives a command line it refuses.
    func usageExit(_ arguments: [String]) -> Int32? {
        do {
            var command = try KioskCtl.parseAsRoot(arguments)
            try command.validate()
            return nil
        } catch {
            return KioskCtl.exitCode(for: error).rawValue
        }
    }

    @Test func kioskctlNamesItself() {
        #expect(KioskCtl.configuration.commandName == "kioskctl")
    }

    @Test func status() throws {
        let s = try parse(["status"], as: KioskCtl.Status.self)
        #expect(s.connection.socket == nil && !s.connection.json)
        #expect(s.connection.socketPath == ProcessInfoLike.socketDefault)
        let j = try parse(["status", "--json", "--socket", "/tmp/k.sock"], as: KioskCtl.Status.self)
        #expect(j.connection.json && j.connection.socketPath == "/tmp/k.sock")
    }

    @Test func devicesAndVersion() throws {
        _ = try parse(["devices"], as: KioskCtl.Devices.self)
        #expect(try parse(["devices", "--json"], as: KioskCtl.Devices.self).connection.json)
        _ = try parse(["version", "--socket", "/run/x.sock"], as: KioskCtl.Version.self)
    }

    @Test func testCommands() throws {
        let camera = try parse(["test", "camera", "--seconds", "4", "--snapshot", "/tmp/s.png"], as: KioskCtl.Test.Camera.self)
        #expect(camera.seconds == 4 && camera.snapshot == "/tmp/s.png")
        #expect(try parse(["test", "camera"], as: KioskCtl.Test.Camera.self).seconds == 2)
        #expect(try parse(["test", "mic", "--seconds", "1.5"], as: KioskCtl.Test.Mic.self).seconds == 1.5)
        let speaker = try parse(["test", "speaker", "--frequency", "1000", "--seconds", "1"], as: KioskCtl.Test.Speaker.self)
        #expect(speaker.frequency == 1000 && speaker.seconds == 1)
        #expect(try parse(["test", "display", "--json"], as: KioskCtl.Test.Display.self).seconds == 3)
        #expect(try parse(["test", "network", "--timeout", "1"], as: KioskCtl.Test.Network.self).timeout == 1)
    }

    @Test func callAndHangup() throws {
        let call = try parse(["call", "--to", "sip:test@cc.example", "--wait", "5"], as: KioskCtl.Call.self)
        #expect(call.to == "sip:test@cc.example" && call.wait == 5)
        #expect(try parse(["call"], as: KioskCtl.Call.self).to == nil)
        _ = try parse(["hangup"], as: KioskCtl.Hangup.self)
    }

    @Test func configCommands() throws {
        _ = try parse(["config", "show"], as: KioskCtl.Config.Show.self)
        #expect(try parse(["config", "validate", "new.json"], as: KioskCtl.Config.Validate.self).file == "new.json")
        let set = try parse(["config", "set", "camera.fps", "15"], as: KioskCtl.Config.Set.self)
        #expect(set.key == "camera.fps" && set.value == "15")
        // A value that looks like an option is still the value after `--`.
        #expect(try parse(["config", "set", "--", "video.cpuUsed", "-8"], as: KioskCtl.Config.Set.self).value == "-8")
    }

    @Test func logs() throws {
        let recent = try parse(["logs"], as: KioskCtl.Logs.self)
        #expect(recent.lines == 50 && !recent.follow && recent.level == nil)
        let follow = try parse(["logs", "-f", "-n", "10", "--level", "error"], as: KioskCtl.Logs.self)
        #expect(follow.follow && follow.lines == 10 && follow.level == "error")
        #expect(try parse(["logs", "--follow", "--lines", "0"], as: KioskCtl.Logs.self).follow)
    }

    @Test(arguments: [
        ["frobnicate"], ["status", "--bogus"], ["test", "frobnicate"], ["test", "camera", "--seconds", "0"],
        ["test", "camera", "--snapshot", "relative.png"], ["test", "speaker", "--frequency", "5"], ["call", "--to", "http://x"],
        ["config", "set", "camera.fps"], ["config", "set", "camera..fps", "1"], ["config", "validate"],
        ["logs", "--level", "loud"], ["logs", "--lines", "-1"], ["status", "--socket"],
    ])
    func wrongCommandLinesExitWithUsage(_ arguments: [String]) {
        let code = usageExit(arguments)
        #expect(code == KioskCtlExit.usage, "\(arguments) → \(String(describing: code))")
    }

    @Test func completionScriptsCoverTheCommands() {
        for shell in CompletionShell.allCases {
            let script = KioskCtl.completionScript(for: shell)
            #expect(script.contains("network") && script.contains("validate") && script.contains("hangup"), "\(shell)")
        }
    }

    @Test func theHelpDocumentsTheExitCodes() {
        let help = KioskCtl.helpMessage()
        for code in ["64", "69", "77"] { #expect(help.contains(code)) }
    }
}

enum ProcessInfoLike {
    /// The default path, unless the environment running the tests sets KIOSKCTL_SOCKET.
    static var socketDefault: String { Environment.value("KIOSKCTL_SOCKET") ?? ControlProtocol.defaultSocketPath }
}
