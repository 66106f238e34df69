import Control
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// The control socket kioskctl talks to: a Unix stream socket (mode 0660, the technicians' group)
/// carrying the control protocol (Control target). Each connection's requests are answered in turn;
/// a line that is not a request gets an error reply and the connection goes on. The socket file is
/// removed on shutdown.
public struct ControlService: Service {
    let settings: ControlSettings
    let commands: ControlCommands
    let logger: Logger

    public init(config: KioskConfig, configPath: String, version: String, sipAgent: SIPAgentService?,
                ring: LogRing = .shared, logger: Logger) {
        self.init(live: LiveConfiguration(config, factoryPath: configPath), version: version, sipAgent: sipAgent, ring: ring, logger: logger)
    }

    /// `live`: the configuration shared with the fleet API, so a change made here is seen there.
    public init(live: LiveConfiguration, version: String, sipAgent: SIPAgentService?, ring: LogRing = .shared, logger: Logger) {
        settings = live.current.control
        commands = ControlCommands(live: live, version: version, sipAgent: sipAgent, ring: ring, logger: logger)
        self.logger = logger
    }

    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    public func run() async throws {
        let path = settings.socketPath
        // Outside systemd (a developer's run) /run/kioskd may not exist: the kiosk runs without its
        // control socket and says so once.
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var info = stat()
        if !directory.isEmpty, stat(directory, &info) != 0 {
            logger.warning("control: no socket: \(directory) does not exist (systemd's RuntimeDirectory= makes /run/kioskd); kioskctl cannot reach this daemon")
            try? await gracefulShutdown()
            return
        }
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            // A socket file left by a daemon that died is replaced; a live daemon's is not taken over.
            if Self.somethingListens(on: path) { throw SetupError(description: "another kioskd is listening there") }
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            try Self.setPermissions(path: path, group: settings.group)
        } catch {
            logger.error("control: cannot listen on \(path): \(error)")
            throw error
        }
        logger.info("control: listening on \(path) (mode 0660\(settings.group.map { ", group \($0)" } ?? ""))")
        let commands = self.commands, logger = self.logger
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await Self.serve(connection, commands: commands, logger: logger) }
                        }
                    }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown.
        }
        unlink(path)
    }

    /// Answers one client's requests until it closes the connection.
    static func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, commands: ControlCommands, logger: Logger) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var lines = ControlLineBuffer()
                let reply: @Sendable (ControlResponse) async throws -> Void = { response in
                    try await outbound.write(ByteBuffer(string: response.line))
                }
                for try await buffer in inbound {
                    for item in lines.append(buffer.readableBytesView) {
                        switch item {
                        case .tooLong:
                            try await reply(.failure(id: nil, ControlFailure(.tooLong, "a request line is longer than \(ControlProtocol.maximumLineBytes) bytes")))
                        case let .line(line):
                            switch ControlRequest.decode(line) {
                            case let .rejected(response):
                                logger.debug("control: bad request: \(response.line)")
                                try await reply(response)
                            case let .request(request, command):
                                try await commands.handle(request, command, reply: reply)
                            }
                        }
                    }
                }
            }
        } catch {
            // The client went away (or wrote nonsense at the socket level); nothing to tell anyone.
            logger.debug("control: connection ended: \(error)")
        }
    }

    /// `config set` writes the file the daemon read, wherever the daemon's working directory goes.
    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + path
    }

    static func somethingListens(on path: String) -> Bool {
        (try? ControlClient(path: path)) != nil
    }

    /// Mode 0660 and the technicians' group: only root, the daemon's user and that group may connect.
    static func setPermissions(path: String, group: String?) throws {
        if let group {
            guard let entry = getgrnam(group) else { throw SetupError(description: "no group '\(group)' (control.group)") }
            guard chown(path, uid_t.max, entry.pointee.gr_gid) == 0 else {
                throw SetupError(description: "cannot give \(path) to group \(group): \(String(cString: strerror(errno)))")
            }
        }
        guard chmod(path, 0o660) == 0 else {
            throw SetupError(description: "cannot set mode 0660 on \(path): \(String(cString: strerror(errno)))")
        }
    }
}
