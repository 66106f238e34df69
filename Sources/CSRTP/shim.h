// libsrtp2 for Swift (RFC 3711 SRTP with AES_CM_128_HMAC_SHA1_80).
#pragma once
#include <string.h>
#include <srtp2/srtp.h>

// The SDES crypto suites (RFC 4568 section 6.2) the SRTP module offers.
enum kioskd_srtp_suite {
    KIOSKD_SRTP_AES_CM_128_HMAC_SHA1_80 = 1,
    KIOSKD_SRTP_AES_CM_128_HMAC_SHA1_32 = 2,
};

// Room protect needs after an RTP packet (tag + MKI). SRTP_MAX_TRAILER_LEN is a macro expression; this
// makes it a plain value for Swift. SRTCP adds 4 bytes (E flag and SRTCP index) before the tag.
static inline int kioskd_srtp_max_trailer_len(void) { return SRTP_MAX_TRAILER_LEN; }
static inline int kioskd_srtcp_max_trailer_len(void) { return SRTP_MAX_TRAILER_LEN + 4; }

// Creates a session with one wildcard stream: every outbound SSRC (protect) or every inbound SSRC
// (unprotect) shares the one master key and salt (30 bytes, copied by libsrtp). For _32, SRTCP keeps
// the 80-bit tag (RFC 4568 section 6.2.2). window_size 0 means libsrtp's default (128).
static inline srtp_err_status_t kioskd_srtp_create(srtp_t *session, int suite, int outbound,
                                                   const unsigned char *key_and_salt,
                                                   unsigned long window_size, int allow_repeat_tx) {
    srtp_policy_t policy;
    memset(&policy, 0, sizeof policy);
    switch (suite) {
    case KIOSKD_SRTP_AES_CM_128_HMAC_SHA1_80:
        srtp_crypto_policy_set_rtp_default(&policy.rtp);
        break;
    case KIOSKD_SRTP_AES_CM_128_HMAC_SHA1_32:
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
        break;
    default:
        return srtp_err_status_bad_param;
    }
    srtp_crypto_policy_set_rtcp_default(&policy.rtcp);
    policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
    policy.ssrc.value = 0;
    policy.key = (unsigned char *)key_and_salt;
    policy.window_size = window_size;
    policy.allow_repeat_tx = allow_repeat_tx;
    policy.next = NULL;
    return srtp_create(session, &policy);
}
