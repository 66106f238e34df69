/// Where the camera picture comes from.
public enum CameraSelection: Sendable, Equatable, CustomStringConvertible {
    /// The moving test pattern.
    case synthetic
    /// A V4L2 device node, e.g. `/dev/video0` or a udev link `/dev/kiosk-camera`.
    case path(String)
    /// The first capture device whose card name is (or starts with) this, e.g. `vivid`.
    case name(String)
    /// The first capture device present, or the test pattern when there is none.
    case automatic

    public var description: String {
        switch self {
        case .synthetic: return "synthetic"
        case let .path(p): return p
        case let .name(n): return "name:\(n)"
        case .automatic: return "auto"
        }
    }
}

/// Where the microphone audio comes from.
public enum MicrophoneSelection: Sendable, Equatable, CustomStringConvertible {
    /// A sine tone at this frequency in Hz.
    case tone(Double)
    /// An ALSA PCM name such as `hw:Loopback,1,0`, `plughw:CARD=Device` or `default`.
    case alsa(String)

    public var description: String {
        switch self {
        case let .tone(hz): return "tone:\(Int(hz))"
        case let .alsa(d): return d
        }
    }
}

/// Everything the send pipeline needs to know: sources, codec settings, payload types.
public struct MediaSettings: Sendable, Equatable {
    public var camera: CameraSelection
    public var size: FrameSize
    public var framesPerSecond: Int
    public var videoBitrateKbps: Int
    public var cpuUsed: Int
    public var encoderThreads: Int
    public var keyFrameIntervalSeconds: Int
    public var microphone: MicrophoneSelection
    public var audioBitrateKbps: Int
    public var videoPayloadType: UInt8
    public var audioPayloadType: UInt8
    /// Largest RTP payload; 1200 keeps packets under any tunnel's MTU.
    public var maxPayloadSize: Int

    public init(camera: CameraSelection = .automatic, size: FrameSize = FrameSize(width: 640, height: 480),
                framesPerSecond: Int = 30, videoBitrateKbps: Int = 1200, cpuUsed: Int = -6, encoderThreads: Int = 1,
                keyFrameIntervalSeconds: Int = 10, microphone: MicrophoneSelection = .tone(440),
                audioBitrateKbps: Int = 32, videoPayloadType: UInt8 = 96, audioPayloadType: UInt8 = 111,
                maxPayloadSize: Int = 1200) {
        self.camera = camera
        self.size = size
        self.framesPerSecond = framesPerSecond
        self.videoBitrateKbps = videoBitrateKbps
        self.cpuUsed = cpuUsed
        self.encoderThreads = encoderThreads
        self.keyFrameIntervalSeconds = keyFrameIntervalSeconds
        self.microphone = microphone
        self.audioBitrateKbps = audioBitrateKbps
        self.videoPayloadType = videoPayloadType
        self.audioPayloadType = audioPayloadType
        self.maxPayloadSize = maxPayloadSize
    }

    public var encoderSettings: VP8Encoder.Settings {
        VP8Encoder.Settings(size: size, framesPerSecond: framesPerSecond, bitrateKbps: videoBitrateKbps,
                            cpuUsed: cpuUsed, threads: encoderThreads,
                            keyFrameInterval: keyFrameIntervalSeconds * framesPerSecond)
    }
}

extension MediaSettings {
    /// Opens the configured camera. `automatic` falls back to the test pattern when no camera is present.
    public func openCamera() throws(CaptureError) -> VideoSource {
        switch camera {
        case .synthetic:
            return SyntheticCamera(size: size, framesPerSecond: framesPerSecond)
        case let .path(path):
            return try V4L2Camera(path: path, size: size, framesPerSecond: framesPerSecond)
        case let .name(name):
            return try V4L2Camera(named: name, size: size, framesPerSecond: framesPerSecond)
        case .automatic:
            guard let first = V4L2Camera.listCaptureDevices().first else {
                return SyntheticCamera(size: size, framesPerSecond: framesPerSecond)
            }
            return try V4L2Camera(path: first.path, size: size, framesPerSecond: framesPerSecond)
        }
    }

    public func openMicrophone() throws(CaptureError) -> AudioSource {
        switch microphone {
        case let .tone(hz): return ToneSource(frequency: hz)
        case let .alsa(device): return try ALSAMicrophone(device: device)
        }
    }
}
