// ALSA for Swift: the *_alloca helpers are macros (Swift uses the *_malloc ones instead), and the
// library's error handler is variadic, so the quiet handler is written here.
#pragma once
#include <alsa/asoundlib.h>

// libasound prints its own multi-line diagnostics to stderr ("ALSA lib confmisc.c:..."); the daemon
// reports each failure once, in its own words, so those are silenced.
static void kiosk_alsa_quiet_handler(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}
static inline void kiosk_alsa_silence_library_errors(void) {
    snd_lib_error_set_handler(kiosk_alsa_quiet_handler);
}
