// libgpiod (v1 API, Debian bookworm's 1.6): the call button on a GPIO line, with edge events.
#pragma once
#include <gpiod.h>
