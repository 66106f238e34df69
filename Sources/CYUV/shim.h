// libyuv: I420 scaling and I420 → RGB conversion. Debian's libyuv-dev ships no pkg-config file; the
// header is /usr/include/libyuv.h.
#pragma once
#include <libyuv.h>
