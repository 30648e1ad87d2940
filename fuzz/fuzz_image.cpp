// fuzz/fuzz_image.cpp: pictures read as grey levels (io/image.hpp's read_gray_image, through
// stb_image: PNG and JPEG seeds; stb also takes BMP, GIF, TGA, PSD, PNM, ...). The harness links
// its own instrumented copy of stb_image (stb_image_impl.cpp), which the library's calls bind to.
//
// Inputs whose header claims more than 2^16 pixels (256 x 256) are skipped: a file of 300 bytes
// may rightly claim 15 megapixels, which the instrumented decoder takes seconds to fill, and such
// inputs starved the search (17 inputs/s after 10 minutes; 1900/s with the skip). The pixel limit
// of read_gray_image itself is tested in tests/test_io_edges.cpp. The size is peeked with stbi_info
// on the bytes before the first 0xFF 0xC4 (a JPEG Huffman table, where stb 2.27 overflows:
// read_gray_image checks those tables before stb sees them, so the peek must not reach one).
#include <cmath>
#include <string>

#include <stb/stb_image.h>

#include "fuzz/fuzz.hpp"
#include "io/image.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const std::string head = bytes.substr(0, bytes.find("\xFF\xC4"));
    int w = 0, h = 0, channels = 0;
    if (!head.empty() && stbi_info_from_memory(reinterpret_cast<const unsigned char*>(head.data()), int(head.size()), &w, &h, &channels) &&
        double(w) * double(h) > double(1 << 16))
        return 0;
    const std::string& path = ae::fuzz::write_temp("image", data, size);
    ae::fuzz::run_reader([&] {
        const ae::Array<double> g = ae::read_gray_image(path);
        for (double v : g) ae::fuzz::require(v >= 0 && v <= 1, "grey levels in [0, 1]");
    });
    return 0;
}
