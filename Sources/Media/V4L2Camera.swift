import CV4L2
#if canImport(Glibc)
import Glibc
#endif

/// A camera over V4L2 through libv4l2, which converts whatever the device gives (YUYV, MJPEG, NV12…)
/// to I420. Streams with mmap buffers; each frame carries the driver's capture timestamp.
public final class V4L2Camera: VideoSource, @unchecked Sendable {
    public let path: String
    public let card: String
    public private(set) var size: FrameSize
    public private(set) var framesPerSecond: Int
    public var name: String { "\(path) (\(card))" }
    /// Frames delivered since the camera was opened.
    public private(set) var framesCaptured = 0
    /// Frames the driver captured but had no free buffer for, from the gaps in its sequence numbers: the
    /// pipeline fell behind, as opposed to a camera that is slow.
    public private(set) var framesDropped = 0
    private var lastDriverSequence: UInt32?

    private var fd: Int32
    private var buffers: [(pointer: UnsafeMutableRawPointer, length: Int)] = []
    private var bytesPerLine: Int
    private var streaming = false

    /// Where cameras are looked for when opened by name.
    public static let deviceDirectory = "/dev"

    /// Opens the camera named `card` (as `v4l2-ctl --list-devices` shows it; a prefix is enough).
    public convenience init(named cardName: String, size: FrameSize, framesPerSecond: Int) throws(CaptureError) {
        let found = V4L2Camera.listCaptureDevices()
        guard let match = found.first(where: { $0.card == cardName })
            ?? found.first(where: { $0.card.hasPrefix(cardName) }) else {
            throw .noDeviceNamed(cardName, available: found.map { "\($0.card) (\($0.path))" })
        }
        try self.init(path: match.path, size: size, framesPerSecond: framesPerSecond)
    }

    public init(path: String, size: FrameSize, framesPerSecond: Int) throws(CaptureError) {
        V4L2Camera.quietLibraryLog
        self.path = path
        fd = kiosk_v4l2_open(path)
        guard fd >= 0 else {
            let e = errno
            if e == EBUSY { throw .deviceBusy(path: path) }
            throw .deviceMissing(path: path, reason: String(cString: strerror(e)))
        }
        var cap = v4l2_capability()
        guard kiosk_v4l2_query_raw(fd, &cap) == 0 else {
            Glibc.close(fd)
            throw .notV4L2(path: path)
        }
        card = V4L2Camera.string(fromTuple: cap.card)
        // From here on libv4l2 owns the descriptor and converts formats.
        let wrapped = v4l2_fd_open(fd, 0)
        guard wrapped >= 0 else {
            Glibc.close(fd)
            throw .ioctlFailed(path: path, call: "v4l2_fd_open", reason: String(cString: strerror(errno)))
        }
        fd = wrapped
        let caps = cap.capabilities & KIOSK_V4L2_CAP_DEVICE_CAPS != 0 ? cap.device_caps : cap.capabilities
        guard caps & KIOSK_V4L2_CAP_VIDEO_CAPTURE != 0, caps & KIOSK_V4L2_CAP_STREAMING != 0 else {
            v4l2_close(fd)
            throw .notACaptureDevice(path: path, card: card)
        }
        self.size = size
        self.framesPerSecond = framesPerSecond
        bytesPerLine = size.width
        do {
            try configure(size: size, framesPerSecond: framesPerSecond)
            try startStreaming()
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    private func fail(_ call: String) -> CaptureError {
        let e = errno
        if e == EBUSY { return .deviceBusy(path: path) }
        if e == ENODEV || e == ENXIO { return .deviceMissing(path: path, reason: String(cString: strerror(e))) }
        return .ioctlFailed(path: path, call: call, reason: String(cString: strerror(e)))
    }

    private func configure(size: FrameSize, framesPerSecond: Int) throws(CaptureError) {
        var fmt = v4l2_format()
        fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        fmt.fmt.pix.width = UInt32(size.width)
        fmt.fmt.pix.height = UInt32(size.height)
        fmt.fmt.pix.pixelformat = KIOSK_V4L2_PIX_FMT_YUV420
        fmt.fmt.pix.field = V4L2_FIELD_NONE.rawValue
        guard kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_S_FMT, &fmt) == 0 else { throw fail("VIDIOC_S_FMT") }
        let got = FrameSize(width: Int(fmt.fmt.pix.width), height: Int(fmt.fmt.pix.height))
        guard got == size, fmt.fmt.pix.pixelformat == KIOSK_V4L2_PIX_FMT_YUV420 else {
            throw .formatUnsupported(path: path, requested: "\(size) I420",
                                     offered: "\(got) \(V4L2Camera.fourcc(fmt.fmt.pix.pixelformat))")
        }
        bytesPerLine = max(size.width, Int(fmt.fmt.pix.bytesperline))

        var parm = v4l2_streamparm()
        parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        parm.parm.capture.timeperframe = v4l2_fract(numerator: 1, denominator: UInt32(max(1, framesPerSecond)))
        // Cameras that cannot set a rate keep their own; the rate read back is the truth.
        _ = kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_S_PARM, &parm)
        if kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_G_PARM, &parm) == 0 {
            let tpf = parm.parm.capture.timeperframe
            if tpf.numerator > 0, tpf.denominator > 0 {
                self.framesPerSecond = Int((Double(tpf.denominator) / Double(tpf.numerator)).rounded())
            }
        }
    }

    private func startStreaming() throws(CaptureError) {
        var req = v4l2_requestbuffers()
        req.count = 4
        req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        req.memory = V4L2_MEMORY_MMAP.rawValue
        guard kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_REQBUFS, &req) == 0 else { throw fail("VIDIOC_REQBUFS") }
        guard req.count >= 2 else {
            throw .ioctlFailed(path: path, call: "VIDIOC_REQBUFS", reason: "only \(req.count) buffer(s)")
        }
        for index in 0..<req.count {
            var buf = v4l2_buffer()
            buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            buf.memory = V4L2_MEMORY_MMAP.rawValue
            buf.index = index
            guard kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_QUERYBUF, &buf) == 0 else { throw fail("VIDIOC_QUERYBUF") }
            let length = Int(buf.length)
            guard let p = v4l2_mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, Int64(buf.m.offset)),
                  p != MAP_FAILED else { throw fail("mmap") }
            buffers.append((p, length))
            guard kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_QBUF, &buf) == 0 else { throw fail("VIDIOC_QBUF") }
        }
        var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
        guard kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_STREAMON, &type) == 0 else { throw fail("VIDIOC_STREAMON") }
        streaming = true
    }

    public func nextFrame(timeoutMillis: Int) throws(CaptureError) -> VideoFrame? {
        guard fd >= 0 else { throw .deviceMissing(path: path, reason: "closed") }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, Int32(timeoutMillis))
        if ready == 0 || (ready < 0 && errno == EINTR) { return nil }
        guard ready > 0 else { throw fail("poll") }
        if pfd.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 {
            throw .deviceMissing(path: path, reason: "device went away")
        }
        var buf = v4l2_buffer()
        buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        buf.memory = V4L2_MEMORY_MMAP.rawValue
        guard kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_DQBUF, &buf) == 0 else {
            if errno == EAGAIN { return nil }
            throw fail("VIDIOC_DQBUF")
        }
        defer { _ = kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_QBUF, &buf) }
        guard Int(buf.index) < buffers.count else { return nil }
        let source = buffers[Int(buf.index)]
        let frame = copyI420(from: source.pointer, used: Int(buf.bytesused))
        if let last = lastDriverSequence, buf.sequence > last &+ 1 { framesDropped += Int(buf.sequence - last - 1) }
        lastDriverSequence = buf.sequence
        let nanos = UInt64(buf.timestamp.tv_sec) * 1_000_000_000 + UInt64(buf.timestamp.tv_usec) * 1000
        let result = VideoFrame(width: size.width, height: size.height, bytes: frame,
                                captureTimeNanos: nanos == 0 ? MonotonicClock.nowNanos() : nanos,
                                sequence: framesCaptured)
        framesCaptured += 1
        return result
    }

    /// Copies a driver buffer into a packed I420 frame, dropping any padding at the end of each line.
    private func copyI420(from pointer: UnsafeMutableRawPointer, used: Int) -> [UInt8] {
        let w = size.width, h = size.height, cw = (w + 1) / 2, ch = (h + 1) / 2
        let src = pointer.assumingMemoryBound(to: UInt8.self)
        var out = [UInt8](repeating: 0, count: VideoFrame.byteCount(width: w, height: h))
        let stride = bytesPerLine, cstride = bytesPerLine / 2
        guard used >= stride * h + 2 * cstride * ch || used == 0 else { return out }
        out.withUnsafeMutableBufferPointer { dst in
            let d = dst.baseAddress!
            if stride == w {
                d.update(from: src, count: w * h + 2 * cw * ch)
                return
            }
            for y in 0..<h { (d + y * w).update(from: src + y * stride, count: w) }
            let srcU = src + stride * h, srcV = srcU + cstride * ch
            for y in 0..<ch {
                (d + w * h + y * cw).update(from: srcU + y * cstride, count: cw)
                (d + w * h + cw * ch + y * cw).update(from: srcV + y * cstride, count: cw)
            }
        }
        return out
    }

    public func close() {
        guard fd >= 0 else { return }
        if streaming {
            var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
            _ = kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_STREAMOFF, &type)
            streaming = false
        }
        for b in buffers { v4l2_munmap(b.pointer, b.length) }
        buffers = []
        v4l2_close(fd)
        fd = -1
    }

    /// Every V4L2 capture device under /dev with its card name, in /dev/videoN order.
    public static func listCaptureDevices() -> [(path: String, card: String)] {
        var found: [(String, String)] = []
        for n in 0..<64 {
            let path = "\(deviceDirectory)/video\(n)"
            let fd = open(path, O_RDWR | O_NONBLOCK)
            guard fd >= 0 else { continue }
            defer { Glibc.close(fd) }
            var cap = v4l2_capability()
            guard kiosk_v4l2_query_raw(fd, &cap) == 0 else { continue }
            let caps = cap.capabilities & KIOSK_V4L2_CAP_DEVICE_CAPS != 0 ? cap.device_caps : cap.capabilities
            guard caps & KIOSK_V4L2_CAP_VIDEO_CAPTURE != 0 else { continue }
            found.append((path, string(fromTuple: cap.card)))
        }
        return found
    }

    /// Once per process (see the shim).
    private static let quietLibraryLog: Void = kiosk_v4l2_quiet_library_log()

    static func string<T>(fromTuple tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The four characters as v4l2-ctl writes them: bit 31 is the big-endian flag (`Y16 -BE`, not a
    /// fourth character), and a byte that is not printable ASCII shows as `?`.
    static func fourcc(_ code: UInt32) -> String {
        let chars = (0..<4).map { index -> Character in
            let byte = UInt8((code >> (8 * index)) & (index == 3 ? 0x7F : 0xFF))
            return (0x20...0x7E).contains(byte) ? Character(Unicode.Scalar(byte)) : "?"
        }
        return String(chars) + (code & 0x8000_0000 != 0 ? "-BE" : "")
    }
}
