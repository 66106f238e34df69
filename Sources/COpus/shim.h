// libopus for Swift: opus_encoder_ctl / opus_decoder_ctl are variadic, so each request is wrapped.
#pragma once
#include <opus/opus.h>

static inline int kiosk_opus_set_bitrate(OpusEncoder *e, int v) { return opus_encoder_ctl(e, OPUS_SET_BITRATE(v)); }
static inline int kiosk_opus_set_inband_fec(OpusEncoder *e, int v) { return opus_encoder_ctl(e, OPUS_SET_INBAND_FEC(v)); }
static inline int kiosk_opus_set_packet_loss_perc(OpusEncoder *e, int v) { return opus_encoder_ctl(e, OPUS_SET_PACKET_LOSS_PERC(v)); }
static inline int kiosk_opus_set_complexity(OpusEncoder *e, int v) { return opus_encoder_ctl(e, OPUS_SET_COMPLEXITY(v)); }
static inline int kiosk_opus_set_signal_voice(OpusEncoder *e) { return opus_encoder_ctl(e, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)); }
static inline int kiosk_opus_get_inband_fec(OpusEncoder *e, int *v) { return opus_encoder_ctl(e, OPUS_GET_INBAND_FEC(v)); }
static inline int kiosk_opus_decoder_reset(OpusDecoder *d) { return opus_decoder_ctl(d, OPUS_RESET_STATE); }
