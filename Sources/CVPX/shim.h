// libvpx for Swift: vpx_codec_enc_init / dec_init are macros and vpx_codec_control is a variadic
// macro, so each use gets a typed inline wrapper.
#pragma once
#include <vpx/vpx_encoder.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vp8cx.h>
#include <vpx/vp8dx.h>

static inline vpx_codec_iface_t *kiosk_vp8_cx(void) { return vpx_codec_vp8_cx(); }
static inline vpx_codec_iface_t *kiosk_vp8_dx(void) { return vpx_codec_vp8_dx(); }
static inline vpx_codec_err_t kiosk_vpx_enc_init(vpx_codec_ctx_t *ctx, const vpx_codec_enc_cfg_t *cfg) {
    return vpx_codec_enc_init(ctx, vpx_codec_vp8_cx(), cfg, 0);
}
static inline vpx_codec_err_t kiosk_vpx_dec_init(vpx_codec_ctx_t *ctx) {
    return vpx_codec_dec_init(ctx, vpx_codec_vp8_dx(), NULL, 0);
}
static inline vpx_codec_err_t kiosk_vpx_dec_init_threads(vpx_codec_ctx_t *ctx, unsigned int threads) {
    vpx_codec_dec_cfg_t cfg = { .threads = threads, .w = 0, .h = 0 };
    return vpx_codec_dec_init(ctx, vpx_codec_vp8_dx(), &cfg, 0);
}
static inline vpx_codec_err_t kiosk_vpx_control_int(vpx_codec_ctx_t *ctx, int id, int value) {
    return vpx_codec_control_(ctx, id, value);
}
static inline vpx_codec_err_t kiosk_vpx_control_uint(vpx_codec_ctx_t *ctx, int id, unsigned int value) {
    return vpx_codec_control_(ctx, id, value);
}
static inline vpx_codec_err_t kiosk_vpx_control_intptr(vpx_codec_ctx_t *ctx, int id, int *value) {
    return vpx_codec_control_(ctx, id, value);
}
static const int KIOSK_VP8D_GET_FRAME_CORRUPTED = VP8D_GET_FRAME_CORRUPTED;
static const int KIOSK_VP8E_SET_CPUUSED = VP8E_SET_CPUUSED;
static const int KIOSK_VP8E_SET_NOISE_SENSITIVITY = VP8E_SET_NOISE_SENSITIVITY;
static const int KIOSK_VP8E_SET_STATIC_THRESHOLD = VP8E_SET_STATIC_THRESHOLD;
static const int KIOSK_VP8E_SET_TOKEN_PARTITIONS = VP8E_SET_TOKEN_PARTITIONS;
static const int KIOSK_VP8E_SET_MAX_INTRA_BITRATE_PCT = VP8E_SET_MAX_INTRA_BITRATE_PCT;
static const long KIOSK_VPX_DL_REALTIME = VPX_DL_REALTIME;
static const long KIOSK_VPX_EFLAG_FORCE_KF = VPX_EFLAG_FORCE_KF;
static const unsigned int KIOSK_VPX_FRAME_IS_KEY = VPX_FRAME_IS_KEY;
static const unsigned int KIOSK_VPX_ERROR_RESILIENT_DEFAULT = VPX_ERROR_RESILIENT_DEFAULT;
