// tests/test_io_edges.cpp: regression tests for broken input found at the edges of the io layer
// (issue 10): each case is a file that once crashed or misbehaved a reader.
#include <doctest/doctest.h>

#include <filesystem>
#include <thread>

#include "io/image.hpp"
#include "io/patches.hpp"
#include "tests/io_test_util.hpp"

using namespace ae;
using namespace ae::test;

namespace {

// A valid PNG from the library's own writer, then the length field of its IDAT chunk set to
// `length` (PNG: 8-byte signature, then chunks of length (big-endian), type, data, CRC).
std::string png_with_idat_length(std::uint32_t length) {
    GrayImage g;
    g.height = 4, g.width = 5;
    for (std::size_t k = 0; k < 20; ++k) g.pixels.push_back(std::uint8_t(k * 12));
    std::string png = encode_png(g);
    const std::size_t idat = png.find("IDAT");
    REQUIRE(idat != std::string::npos);
    REQUIRE(idat >= 12);
    png.replace(idat - 4, 4, be32(length));
    return png;
}

// f's error message, run on a thread of its own: stb_image keeps its failure reason per thread,
// and on a new thread none has been recorded yet (stbi_failure_reason() is null).
template <class F>
std::string error_on_fresh_thread(F f) {
    std::string e;
    std::thread t([&] { e = error_of(f); });
    t.join();
    return e;
}

}  // namespace

TEST_CASE("image: a PNG with a damaged chunk length fails with a message, not a crash") {
    // stb_image rejects an IDAT length with the top bit set without recording a reason: the
    // message was built from a null pointer (SIGSEGV in `aezoo train --data patches:DIR`).
    TempDir tmp;
    const std::string bad = tmp.file("damaged.png");
    put_file(bad, png_with_idat_length(0xFFFFFFF0u));
    const std::string e = error_on_fresh_thread([&] { read_gray_image(bad); });
    CHECK(contains(e, bad + ": cannot decode the image: "));
    CHECK(contains(e, "no reason"));

    // The same file among good pictures, as `--data patches:DIR` reads them.
    GrayImage good;
    good.height = good.width = 16;
    good.pixels.assign(256, 100);
    write_png(tmp.file("good.png"), good);
    PatchOptions o;
    o.count = 10;
    o.normalize = false;
    const std::string p = error_on_fresh_thread([&] { load_patches<double>(tmp.path, o); });
    CHECK(contains(p, bad + ": cannot decode the image"));
}
