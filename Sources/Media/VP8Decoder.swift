import CVPX
import RTP

/// VP8 decoding through libvpx for the agent's video. Frames come from the depacketizer whole; a frame
/// libvpx rejects or marks corrupted is not shown, and until the next key frame nothing is (a decoder
/// that lost a reference shows smeared garbage): `needsKeyFrame` is the cue to send PLI.
public final class VP8Decoder: @unchecked Sendable {
    // @unchecked: the libvpx context is used by one thread at a time (the stream's receive thread);
    // the class is Sendable only so that thread can be handed it.
    public enum DecoderError: Error, Equatable, CustomStringConvertible {
        case libvpx(call: String, message: String)
        /// An inter frame before any key frame, or after an error: nothing to predict from.
        case waitingForKeyFrame
        /// libvpx decoded it but says the picture is damaged.
        case corrupted

        public var description: String {
            switch self {
            case let .libvpx(call, message): return "VP8 decoder: \(call) failed: \(message)"
            case .waitingForKeyFrame: return "VP8 decoder: waiting for a key frame"
            case .corrupted: return "VP8 decoder: the frame is corrupted"
            }
        }
    }

    public struct Statistics: Sendable, Equatable {
        public var decoded = 0
        public var keyFrames = 0
        /// Frames refused: libvpx errors, corrupted pictures, inter frames while waiting for a key frame.
        public var errors = 0
        public var skippedWaitingForKeyFrame = 0
        public init() {}
    }

    private var context = vpx_codec_ctx_t()
    public private(set) var needsKeyFrame = true
    public private(set) var statistics = Statistics()
    private var output: [UInt8] = []
    /// The biggest picture accepted; a stream announcing more is refused before libvpx allocates it.
    public let maxSize: FrameSize

    public init(threads: Int = 1, maxSize: FrameSize = FrameSize(width: 4096, height: 2304)) throws(DecoderError) {
        self.maxSize = maxSize
        let err = kiosk_vpx_dec_init_threads(&context, UInt32(max(1, threads)))
        guard err == VPX_CODEC_OK else { throw .libvpx(call: "dec_init", message: VP8Encoder.message(err)) }
    }

    deinit { vpx_codec_destroy(&context) }

    /// Decodes one whole compressed frame. Returns the picture to show, nil when libvpx shows none
    /// (an invisible frame); throws when the frame cannot be shown, after which only a key frame is
    /// decoded.
    public func decode(_ data: [UInt8]) throws(DecoderError) -> VideoFrame? {
        guard data.count >= 3 else { return try fail(.libvpx(call: "decode", message: "truncated frame header")) }
        let isKeyFrame = VP8Frame.isKeyFrame(data)
        if isKeyFrame {
            guard let size = VP8Frame.dimensions(ofKeyFrame: data) else {
                return try fail(.libvpx(call: "decode", message: "key frame without a valid header"))
            }
            guard size.width > 0, size.height > 0, size.width <= maxSize.width, size.height <= maxSize.height else {
                return try fail(.libvpx(call: "decode", message: "key frame of \(size.width)x\(size.height) refused"))
            }
        } else if needsKeyFrame {
            statistics.skippedWaitingForKeyFrame += 1
            throw .waitingForKeyFrame
        }
        let err = data.withUnsafeBufferPointer { vpx_codec_decode(&context, $0.baseAddress, UInt32($0.count), nil, 0) }
        guard err == VPX_CODEC_OK else { return try fail(.libvpx(call: "decode", message: VP8Encoder.message(err))) }
        var corrupted: Int32 = 0
        if kiosk_vpx_control_intptr(&context, KIOSK_VP8D_GET_FRAME_CORRUPTED, &corrupted) == VPX_CODEC_OK, corrupted != 0 {
            drainFrames()
            return try fail(.corrupted)
        }
        var iter: vpx_codec_iter_t? = nil
        var shown: VideoFrame?
        while let image = vpx_codec_get_frame(&context, &iter) {
            Self.pack(image.pointee, into: &output)
            shown = VideoFrame(width: Int(image.pointee.d_w), height: Int(image.pointee.d_h), bytes: output,
                               captureTimeNanos: 0, sequence: statistics.decoded)
        }
        needsKeyFrame = false
        statistics.decoded += 1
        if isKeyFrame { statistics.keyFrames += 1 }
        return shown
    }

    private func fail(_ error: DecoderError) throws(DecoderError) -> VideoFrame? {
        statistics.errors += 1
        needsKeyFrame = true
        throw error
    }

    private func drainFrames() {
        var iter: vpx_codec_iter_t? = nil
        while vpx_codec_get_frame(&context, &iter) != nil {}
    }

    /// The image's planes without their padding, as `VideoFrame` holds them, into `bytes` (reused from
    /// frame to frame: a fresh 1.4 MB buffer per 720p frame costs page faults; when the caller still
    /// holds the last frame, copy-on-write gives it its own).
    static func pack(_ image: vpx_image_t, into bytes: inout [UInt8]) {
        let width = Int(image.d_w), height = Int(image.d_h)
        let chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2
        let count = VideoFrame.byteCount(width: width, height: height)
        if bytes.count != count { bytes = [UInt8](repeating: 0, count: count) }
        bytes.withUnsafeMutableBufferPointer { out in
            var offset = 0
            let planes = [(image.planes.0!, Int(image.stride.0), width, height),
                          (image.planes.1!, Int(image.stride.1), chromaWidth, chromaHeight),
                          (image.planes.2!, Int(image.stride.2), chromaWidth, chromaHeight)]
            for (plane, stride, w, h) in planes {
                for row in 0..<h {
                    (out.baseAddress! + offset).update(from: plane + row * stride, count: w)
                    offset += w
                }
            }
        }
    }
}
