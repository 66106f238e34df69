import Synchronization

/// Frames captured from any camera since the process started: the privacy record a technician or a test
/// reads to see that no picture was taken before the customer agreed (the camera's own counter, not what
/// the flow believes).
public enum CameraCaptureCount {
    private static let frames = Atomic<Int>(0)

    public static var total: Int { frames.load(ordering: .relaxed) }

    static func add(_ count: Int = 1) { frames.add(count, ordering: .relaxed) }
}
