// libspeexdsp for Swift: the acoustic echo canceller and the preprocessor (noise suppression).
#pragma once
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>
