// fuzz/stb_image_impl.cpp: stb_image's decoder compiled into the image harness with the
// sanitizers and coverage (libstb.so is not instrumented). Same header, same defaults as Debian's
// libstb ("all optional macros unset"), so the same decoder.
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>
