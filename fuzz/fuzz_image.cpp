// fuzz/fuzz_image.cpp: pictures read as grey levels (io/image.hpp's read_gray_image, through
// stb_image: PNG and JPEG seeds; stb also takes BMP, GIF, TGA, PSD, PNM, ...). The harness links
// its own instrumented copy of stb_image (stb_image_impl.cpp), which the library's calls bind to.
#include <cmath>

#include "fuzz/fuzz.hpp"
#include "io/image.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = ae::fuzz::write_temp("image", data, size);
    ae::fuzz::run_reader([&] {
        const ae::Array<double> g = ae::read_gray_image(path);
        for (double v : g) ae::fuzz::require(v >= 0 && v <= 1, "grey levels in [0, 1]");
    });
    return 0;
}
