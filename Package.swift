// swift-tools-version:6.0
// kioskd: the firmware daemon of a Linux video kiosk. Targets follow ../shared/DESIGN.md: thin C shims,
// I/O-free protocol cores (RTP), media adapters (Media), the kiosk's wiring (Kiosk) and the programs.
import PackageDescription

let package = Package(
    name: "kioskd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kioskd", targets: ["kioskd"]),
        .executable(name: "kioskctl", targets: ["kioskctl"]),
        .executable(name: "kiosk-bench", targets: ["KioskBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // C shims: each names the Debian package that provides it.
        .systemLibrary(name: "CV4L2", path: "Sources/CV4L2", pkgConfig: "libv4l2", providers: [.apt(["libv4l-dev"])]),
        .systemLibrary(name: "CALSA", path: "Sources/CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CVPX", path: "Sources/CVPX", pkgConfig: "vpx", providers: [.apt(["libvpx-dev"])]),
        .systemLibrary(name: "COpus", path: "Sources/COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CSRTP", path: "Sources/CSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        .systemLibrary(name: "CSpeexDSP", path: "Sources/CSpeexDSP", pkgConfig: "speexdsp", providers: [.apt(["libspeexdsp-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "pangocairo", providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        .systemLibrary(name: "CYUV", path: "Sources/CYUV", providers: [.apt(["libyuv-dev"])]),
        .systemLibrary(name: "CGPIOD", path: "Sources/CGPIOD", pkgConfig: "libgpiod", providers: [.apt(["libgpiod-dev"])]),
        .systemLibrary(name: "CQREncode", path: "Sources/CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),

        // Protocol cores: values and state machines, no I/O. RTP/RTCP; SIP (messages, transactions,
        // dialogs, digest auth: MD5/SHA-256 from swift-crypto); SDP (offer/answer, SDES keys).
        .target(name: "RTP"),
        .target(name: "SIP", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "SDP"),

        // SIP transports over SwiftNIO: UDP, TCP and TLS (certificates checked against a configured CA).
        .target(name: "SIPTransport", dependencies: [
            "SIP",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),

        // The user agent: transactions on the transports, their timers on a clock, requests in and out.
        .target(name: "SIPUserAgent", dependencies: [
            "SIP", "SIPTransport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // SRTP (RFC 3711) through libsrtp2: protect and unprotect RTP and RTCP with SDES keys.
        .target(name: "SRTP", dependencies: ["CSRTP"]),

        // Media: capture (V4L2, ALSA, synthetic), codecs (VP8, Opus), echo cancellation (speexdsp),
        // the send and receive pipelines and their UDP sockets.
        .target(name: "Media", dependencies: [
            "CV4L2", "CALSA", "CVPX", "COpus", "CSpeexDSP", "RTP", "SRTP",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The screen: the framebuffer device and the off-screen surface (PNG), drawing with cairo and
        // pango, I420 scaling and conversion with libyuv, QR codes with libqrencode, and the screens.
        .target(name: "Display", dependencies: [
            "CCairo", "CYUV", "CQREncode",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The kiosk's flow as a state machine: events (button, call progress, time) in, actions out. No I/O.
        .target(name: "KioskFlow"),

        // The call button and the choosing keys: evdev (/dev/input/event*) and GPIO lines (libgpiod), debounced.
        .target(name: "Input", dependencies: [
            "CGPIOD",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // systemd's notify protocol (READY, WATCHDOG, STATUS) over $NOTIFY_SOCKET.
        .target(name: "Systemd"),

        // Interaction records: written to SQLite (GRDB, WAL, synchronous) as a call happens, delivered to
        // the contact center's reporting endpoint from an outbox (HTTP POST, retries with backoff), pruned.
        .target(name: "Records", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The control socket's protocol (versioned requests and responses, framing) and its client. No
        // dependencies: kioskctl links only this and the argument parser.
        .target(name: "Control"),

        // kioskctl's commands as types (parse-only tests import them); the executable only runs them.
        .target(name: "KioskCtl", dependencies: [
            "Control",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "kioskctl", dependencies: ["KioskCtl"]),

        // The kiosk: configuration and the services the daemon runs.
        .target(name: "Kiosk", dependencies: [
            "Media", "Display", "KioskFlow", "Input", "Systemd", "RTP", "SIP", "SDP", "SRTP", "SIPTransport", "SIPUserAgent",
            "Records", "Control",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // The fleet HTTP API (DESIGN.md's management layer): status, config, metrics over TLS with bearer
        // tokens. Its own target keeps Hummingbird out of everything else; kioskd runs it as a Service.
        .target(name: "Fleet", dependencies: [
            "Kiosk", "Control", "Media",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // The check-in: the kiosk posts its status to a fleet server on an interval (kiosks behind NAT
        // cannot be reached) and takes a new configuration from the answer. The decision is I/O-free.
        .target(name: "CheckIn", dependencies: [
            "Kiosk", "Control",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        .executableTarget(name: "kioskd", dependencies: [
            "Kiosk", "Control", "Fleet", "CheckIn", "Input", "Display", "Media", "SIP", "SIPTransport", "SIPUserAgent",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        .executableTarget(name: "KioskBench", dependencies: [
            "Media", "Display", "RTP", "SIP", "SIPUserAgent", "Kiosk", "Fleet",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/KioskBench"),

        .testTarget(name: "RTPTests", dependencies: ["RTP"]),
        .testTarget(name: "SIPTests", dependencies: ["SIP"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP"]),
        .testTarget(name: "SRTPTests", dependencies: ["SRTP"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "RTP", "SRTP", "CVPX", "COpus", "CSpeexDSP"]),
        // Golden/ holds the reference PNGs; the tests find them by #filePath, not as bundle resources.
        .testTarget(name: "DisplayTests", dependencies: ["Display"], exclude: ["Golden"]),
        .testTarget(name: "KioskTests", dependencies: ["Kiosk", "Input", "Display", "KioskFlow", "Control"]),
        .testTarget(name: "KioskFlowTests", dependencies: ["KioskFlow"]),
        .testTarget(name: "InputTests", dependencies: ["Input", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records"]),
        .testTarget(name: "ControlTests", dependencies: ["Control", "KioskCtl"]),
        .testTarget(name: "CheckInTests", dependencies: ["CheckIn", "Control"]),
        .testTarget(name: "FleetTests", dependencies: ["Fleet", "Kiosk", "Control", "Records", .product(name: "Logging", package: "swift-log")]),
        // Real peers: ffmpeg decodes what kioskd sends; the virtual board runs kioskd on real drivers.
        .testTarget(name: "IntegrationTests", dependencies: [
            "Media", "Display", "RTP", "SRTP", "SIP", "SIPTransport", "SIPUserAgent", "Kiosk", "Control",
            .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
