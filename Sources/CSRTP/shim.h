// libsrtp2 for Swift (RFC 3711 SRTP with AES_CM_128_HMAC_SHA1_80).
#pragma once
#include <srtp2/srtp.h>
