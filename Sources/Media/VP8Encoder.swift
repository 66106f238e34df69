import CVPX

/// VP8 through libvpx in real-time mode: constant bitrate, no look-ahead, error resilient, one thread by
/// default, a key frame when asked (a receiver's PLI/FIR) and otherwise only every `keyFrameInterval`.
public final class VP8Encoder: @unchecked Sendable {
    public struct Settings: Sendable, Equatable {
        public var size: FrameSize
        public var framesPerSecond: Int
        public var bitrateKbps: Int
        /// libvpx's cpu-used. Negative values fix the speed; positive ones let libvpx choose a speed that fits
        /// the frame interval, which makes the cost depend on the machine's load.
        public var cpuUsed: Int
        public var threads: Int
        /// Frames between forced key frames (0: only on request).
        public var keyFrameInterval: Int

        public init(size: FrameSize, framesPerSecond: Int = 30, bitrateKbps: Int = 1200, cpuUsed: Int = -6,
                    threads: Int = 1, keyFrameInterval: Int = 3000) {
            self.size = size
            self.framesPerSecond = framesPerSecond
            self.bitrateKbps = bitrateKbps
            self.cpuUsed = cpuUsed
            self.threads = threads
            self.keyFrameInterval = keyFrameInterval
        }
    }

    public struct EncodedFrame: Sendable {
        public var data: [UInt8]
        public var isKeyFrame: Bool
        /// The presentation time in frames since the encoder started.
        public var pts: Int64
    }

    public enum EncoderError: Error, CustomStringConvertible {
        case libvpx(call: String, message: String)
        public var description: String {
            switch self { case let .libvpx(call, message): return "VP8 encoder: \(call) failed: \(message)" }
        }
    }

    public private(set) var settings: Settings
    private var context = vpx_codec_ctx_t()
    private var config = vpx_codec_enc_cfg_t()
    private var keyFrameRequested = true
    private var pts: Int64 = 0
    private var open = false

    public init(settings: Settings) throws(EncoderError) {
        self.settings = settings
        var err = vpx_codec_enc_config_default(kiosk_vp8_cx(), &config, 0)
        guard err == VPX_CODEC_OK else { throw .libvpx(call: "config_default", message: Self.message(err)) }
        config.g_w = UInt32(settings.size.width)
        config.g_h = UInt32(settings.size.height)
        config.g_timebase = vpx_rational(num: 1, den: Int32(max(1, settings.framesPerSecond)))
        config.rc_target_bitrate = UInt32(settings.bitrateKbps)
        config.g_threads = UInt32(max(1, settings.threads))
        config.g_lag_in_frames = 0
        config.g_error_resilient = KIOSK_VPX_ERROR_RESILIENT_DEFAULT
        config.rc_end_usage = VPX_CBR
        config.g_pass = VPX_RC_ONE_PASS
        // The real-time rate control settings WebRTC uses for VP8: small buffers, quick reaction.
        config.rc_min_quantizer = 2
        config.rc_max_quantizer = 56
        config.rc_undershoot_pct = 100
        config.rc_overshoot_pct = 15
        config.rc_buf_initial_sz = 500
        config.rc_buf_optimal_sz = 600
        config.rc_buf_sz = 1000
        config.rc_dropframe_thresh = 0
        config.kf_mode = VPX_KF_AUTO
        config.kf_min_dist = 0
        config.kf_max_dist = UInt32(settings.keyFrameInterval > 0 ? settings.keyFrameInterval : 1 << 30)
        err = kiosk_vpx_enc_init(&context, &config)
        guard err == VPX_CODEC_OK else { throw .libvpx(call: "enc_init", message: Self.message(err)) }
        open = true
        _ = kiosk_vpx_control_int(&context, KIOSK_VP8E_SET_CPUUSED, Int32(settings.cpuUsed))
        _ = kiosk_vpx_control_uint(&context, KIOSK_VP8E_SET_NOISE_SENSITIVITY, 0)
        _ = kiosk_vpx_control_uint(&context, KIOSK_VP8E_SET_STATIC_THRESHOLD, 1)
        _ = kiosk_vpx_control_uint(&context, KIOSK_VP8E_SET_MAX_INTRA_BITRATE_PCT, 300)
    }

    deinit {
        if open { vpx_codec_destroy(&context) }
    }

    /// The next frame will be a key frame (a receiver lost its picture).
    public func requestKeyFrame() { keyFrameRequested = true }

    /// Changes the target bitrate from the next frame on (bandwidth adaptation).
    public func setBitrate(kbps: Int) throws(EncoderError) {
        config.rc_target_bitrate = UInt32(max(30, kbps))
        let err = vpx_codec_enc_config_set(&context, &config)
        guard err == VPX_CODEC_OK else { throw .libvpx(call: "config_set", message: Self.message(err)) }
        settings.bitrateKbps = kbps
    }

    /// Encodes one frame; returns the compressed frame (libvpx with no look-ahead gives exactly one, or
    /// none if its rate control dropped the frame).
    public func encode(_ frame: VideoFrame) throws(EncoderError) -> EncodedFrame? {
        precondition(frame.width == settings.size.width && frame.height == settings.size.height, "frame size")
        var flags: vpx_enc_frame_flags_t = 0
        if keyFrameRequested { flags |= vpx_enc_frame_flags_t(KIOSK_VPX_EFLAG_FORCE_KF) }
        keyFrameRequested = false
        var image = vpx_image_t()
        let err: vpx_codec_err_t = frame.bytes.withUnsafeBufferPointer { buf in
            // vpx_img_wrap only records the pointer; libvpx reads the planes during the call below.
            vpx_img_wrap(&image, VPX_IMG_FMT_I420, UInt32(frame.width), UInt32(frame.height), 1,
                         UnsafeMutablePointer(mutating: buf.baseAddress!))
            return vpx_codec_encode(&context, &image, pts, 1, flags, UInt(KIOSK_VPX_DL_REALTIME))
        }
        guard err == VPX_CODEC_OK else { throw .libvpx(call: "encode", message: Self.message(err)) }
        let framePTS = pts
        pts += 1
        var out: EncodedFrame?
        var iter: vpx_codec_iter_t? = nil
        while let packet = vpx_codec_get_cx_data(&context, &iter) {
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let f = packet.pointee.data.frame
            let bytes = [UInt8](UnsafeRawBufferPointer(start: f.buf, count: f.sz))
            let key = f.flags & vpx_codec_frame_flags_t(KIOSK_VPX_FRAME_IS_KEY) != 0
            if var existing = out {
                existing.data += bytes
                out = existing
            } else {
                out = EncodedFrame(data: bytes, isKeyFrame: key, pts: framePTS)
            }
        }
        return out
    }

    static func message(_ err: vpx_codec_err_t) -> String { String(cString: vpx_codec_err_to_string(err)) }
}
