import CV4L2
#if canImport(Glibc)
import Glibc
#endif

extension V4L2Camera {
    /// One pixel format a camera offers, with its discrete frame sizes (empty for stepwise ranges,
    /// which are described in `range`).
    public struct Format: Sendable, Equatable {
        public var fourcc: String
        public var description: String
        public var sizes: [FrameSize]
        public var range: String?
    }

    /// The capture formats and sizes the device at `path` offers (VIDIOC_ENUM_FMT, ENUM_FRAMESIZES),
    /// read without streaming, so it works while nothing else holds the camera.
    public static func formats(path: String) throws(CaptureError) -> [Format] {
        let fd = kiosk_v4l2_open(path)
        guard fd >= 0 else { throw .deviceMissing(path: path, reason: String(cString: strerror(errno))) }
        defer { Glibc.close(fd) }
        var found: [Format] = []
        // Until the driver says there are no more (vivid offers 70-odd), with a bound against a bad one.
        for index in 0..<512 {
            var desc = v4l2_fmtdesc()
            desc.index = UInt32(index)
            desc.type = UInt32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
            guard kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_ENUM_FMT, &desc) == 0 else { break }
            var format = Format(fourcc: fourcc(desc.pixelformat), description: string(fromTuple: desc.description), sizes: [], range: nil)
            for sizeIndex in 0..<256 {
                var size = v4l2_frmsizeenum()
                size.index = UInt32(sizeIndex)
                size.pixel_format = desc.pixelformat
                guard kiosk_v4l2_ioctl(fd, KIOSK_VIDIOC_ENUM_FRAMESIZES, &size) == 0 else { break }
                if size.type == UInt32(V4L2_FRMSIZE_TYPE_DISCRETE.rawValue) {
                    format.sizes.append(FrameSize(width: Int(size.discrete.width), height: Int(size.discrete.height)))
                } else {
                    let s = size.stepwise
                    format.range = "\(s.min_width)x\(s.min_height) to \(s.max_width)x\(s.max_height)"
                    break
                }
            }
            found.append(format)
        }
        return found
    }
}
