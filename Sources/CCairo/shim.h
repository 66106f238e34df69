// cairo (drawing, PNG output) and pango through pangocairo (text in any script, fonts via fontconfig).
#pragma once
#include <cairo.h>
#include <pango/pangocairo.h>
