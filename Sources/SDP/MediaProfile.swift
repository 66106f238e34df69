/// The RTP profile the kiosk offers on every m-line.
public enum MediaProfile: String, Sendable, Hashable, CaseIterable {
    /// `RTP/SAVPF`: SRTP with RTCP feedback (NACK, PLI, FIR). The default.
    case savpf
    /// `RTP/SAVP`: SRTP without feedback, for peers that reject AVPF; no rtcp-fb lines.
    case savp
    /// `RTP/AVP`: plain RTP, only when the deployment's configuration allows it.
    case avp

    public var transportProtocol: String {
        switch self {
        case .savpf: "RTP/SAVPF"
        case .savp: "RTP/SAVP"
        case .avp: "RTP/AVP"
        }
    }

    public var isSecure: Bool { self != .avp }
    public var hasFeedback: Bool { self == .savpf }
}
