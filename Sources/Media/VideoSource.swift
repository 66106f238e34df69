/// Something that delivers camera frames in I420: a V4L2 camera or the synthetic test pattern.
/// A source is owned by one thread at a time (the capture loop), hence the unchecked Sendable on the
/// implementations: they are handed to that thread once and used only there.
public protocol VideoSource: AnyObject, Sendable {
    /// The size of the frames this source delivers.
    var size: FrameSize { get }
    /// The frame rate the source runs at (after the device agreed to it).
    var framesPerSecond: Int { get }
    /// A short description for logs: `/dev/video0 (vivid)`, `synthetic`.
    var name: String { get }
    /// Blocks until the next frame is ready, at most `timeoutMillis`; nil on time-out.
    func nextFrame(timeoutMillis: Int) throws(CaptureError) -> VideoFrame?
    /// Frames the device captured that were lost because the pipeline fell behind.
    var framesDropped: Int { get }
    /// Stops streaming and releases the device. Safe to call twice.
    func close()
}

extension VideoSource {
    public var framesDropped: Int { 0 }
}

/// Something that delivers microphone audio: 16-bit signed, 48 kHz, in 20 ms blocks.
public protocol AudioSource: AnyObject, Sendable {
    var sampleRate: Int { get }
    var channels: Int { get }
    var name: String { get }
    /// Blocks until the next block of `samplesPerChannel` samples per channel (interleaved) is ready.
    func nextBlock(samplesPerChannel: Int) throws(CaptureError) -> [Int16]
    func close()
}

/// Why a capture device could not be used. The description is the one line a technician reads.
public enum CaptureError: Error, Equatable, CustomStringConvertible, Sendable {
    case deviceMissing(path: String, reason: String)
    case deviceBusy(path: String)
    case noDeviceNamed(String, available: [String])
    case notV4L2(path: String)
    case notACaptureDevice(path: String, card: String)
    case formatUnsupported(path: String, requested: String, offered: String)
    case ioctlFailed(path: String, call: String, reason: String)
    case audioDeviceMissing(device: String, reason: String)
    case audioSetupFailed(device: String, step: String, reason: String)
    case audioReadFailed(device: String, reason: String)

    public var description: String {
        switch self {
        case let .deviceMissing(path, reason):
            return "camera \(path): cannot open: \(reason)"
        case let .deviceBusy(path):
            return "camera \(path): busy (another program is using it)"
        case let .noDeviceNamed(name, available):
            let found = available.isEmpty ? "no cameras found" : "found: " + available.joined(separator: ", ")
            return "camera named '\(name)': no such camera (\(found))"
        case let .notV4L2(path):
            return "camera \(path): not a V4L2 video device"
        case let .notACaptureDevice(path, card):
            return "camera \(path): '\(card)' is not a video capture device that can stream"
        case let .formatUnsupported(path, requested, offered):
            return "camera \(path): cannot give \(requested) (it offers \(offered))"
        case let .ioctlFailed(path, call, reason):
            return "camera \(path): \(call) failed: \(reason)"
        case let .audioDeviceMissing(device, reason):
            return "microphone \(device): cannot open: \(reason)"
        case let .audioSetupFailed(device, step, reason):
            return "microphone \(device): \(step) failed: \(reason)"
        case let .audioReadFailed(device, reason):
            return "microphone \(device): read failed: \(reason)"
        }
    }
}
