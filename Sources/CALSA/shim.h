// ALSA for Swift: the *_alloca helpers are macros, so hw params are allocated with malloc here.
#pragma once
#include <alsa/asoundlib.h>
