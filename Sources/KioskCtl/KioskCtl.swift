import ArgumentParser

/// kioskctl: the field technician's command line to a running kioskd over its control socket.
public struct KioskCtl: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "kioskctl", abstract: "Talk to the running kioskd on this kiosk.")
    public init() {}
}
