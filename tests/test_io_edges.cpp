// tests/test_io_edges.cpp: regression tests for broken input found at the edges of the io layer
// (issue 10): each case is a file that once crashed or misbehaved a reader.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include <stb/stb_image_write.h>

#include "io/idx.hpp"
#include "io/image.hpp"
#include "io/npy.hpp"
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

void append(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), std::size_t(size));
}

// A valid JPEG of 8 x 8 grey pixels from stb_image_write (its one DHT segment holds four tables).
std::string small_jpeg() {
    std::vector<unsigned char> px;
    for (int k = 0; k < 64; ++k) px.push_back(static_cast<unsigned char>(k * 4));
    std::string jpg;
    REQUIRE(stbi_write_jpg_to_func(append, &jpg, 8, 8, 1, px.data(), 90));
    return jpg;
}

// Where table `t` of the first DHT segment starts (its class/id byte; 16 code counts follow).
std::size_t huffman_table(const std::string& jpg, int t) {
    std::size_t p = jpg.find("\xFF\xC4");
    REQUIRE(p != std::string::npos);
    p += 4;
    for (int k = 0; k < t; ++k) {
        std::size_t codes = 0;
        for (std::size_t i = 1; i <= 16; ++i) codes += static_cast<unsigned char>(jpg[p + i]);
        p += 17 + codes;
    }
    return p;
}

}  // namespace

TEST_CASE("image: a JPEG Huffman table of more than 256 codes is refused before stb writes past it") {
    // stb_image 2.27 does not check the sum of a table's 16 code counts: fuzz/fuzz_image found it
    // writing past its arrays (UBSan: index 257 out of bounds for type 'stbi_uc[257]').
    TempDir tmp;
    const std::string good = small_jpeg();
    put_file(tmp.file("good.jpg"), good);
    const Array<double> g = read_gray_image(tmp.file("good.jpg"));
    CHECK(shape_of(g) == Shape{8, 8});
    for (int t : {0, 3}) {  // the first table, and the last one of the segment
        INFO("table " << t);
        std::string bad = good;
        const std::size_t p = huffman_table(bad, t);
        for (std::size_t i = 1; i <= 16; ++i) bad[p + i] = char(i == 16 ? 0xFF : 0x20);  // 15 x 32 + 255 codes
        put_file(tmp.file("bad.jpg"), bad);
        const std::string e = error_of([&] { read_gray_image(tmp.file("bad.jpg")); });
        CHECK(contains(e, tmp.file("bad.jpg") + ": cannot decode the image: corrupt JPEG: a Huffman table of 735 codes"));
    }
    // Any bytes in an APP segment are skipped, as stb skips them: a table-like run there is no table.
    std::string app = std::string("\xFF\xE1\x00\x18", 4) + std::string("\xFF\xC4\x00\x20\x00", 5) +
                      std::string(16, '\x40') + '\0';
    put_file(tmp.file("app.jpg"), good.substr(0, 2) + app + good.substr(2));
    CHECK(shape_of(read_gray_image(tmp.file("app.jpg"))) == Shape{8, 8});
}

TEST_CASE("image: a PNG with a damaged chunk length fails with a message, not a crash") {
    // stb_image rejects an IDAT length with the top bit set without recording a reason: the
    // message was built from a null pointer (SIGSEGV in `aezoo train --data patches:DIR`). Such a
    // length is now refused before stb sees it, as longer than the file.
    TempDir tmp;
    const std::string bad = tmp.file("damaged.png");
    put_file(bad, png_with_idat_length(0xFFFFFFF0u));
    const std::string e = error_on_fresh_thread([&] { read_gray_image(bad); });
    CHECK(contains(e, bad + ": cannot decode the image: "));
    CHECK(contains(e, "corrupt PNG: chunk IDAT at byte 33 claims 4294967280 bytes"));
    // Nor does it show an earlier file's reason, left in place on this thread.
    put_file(tmp.file("notes.png"), "not a picture");
    const std::string first = error_on_fresh_thread([&] {
        CHECK(contains(error_of([&] { read_gray_image(tmp.file("notes.png")); }), "unknown image type"));
        read_gray_image(bad);
    });
    CHECK(contains(first, bad + ": cannot decode the image: corrupt PNG"));
    CHECK(!contains(first, "unknown image type"));

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

TEST_CASE("image: a picture whose header claims more than max_image_pixels is refused before decoding") {
    // fuzz/fuzz_image: a JPEG of 654 bytes claiming 8198 x 39685 pixels, which stb spent seconds
    // decoding into a gigabyte (and read_gray_image into 2.6 GB of doubles).
    TempDir tmp;
    std::string jpg = small_jpeg();
    const std::size_t sof = jpg.find("\xFF\xC0");
    REQUIRE(sof != std::string::npos);
    jpg.replace(sof + 5, 4, std::string("\x20\x06\x9B\x05", 4));  // height 8198, width 39685
    put_file(tmp.file("huge.jpg"), jpg);
    CHECK(contains(error_of([&] { read_gray_image(tmp.file("huge.jpg")); }),
                   tmp.file("huge.jpg") + ": cannot decode the image: it claims 8198 x 39685 pixels, more than the 67108864"));
    // A PNG whose IHDR claims 30000 x 30000 (stb does not check chunk CRCs).
    GrayImage g;
    g.height = g.width = 4;
    g.pixels.assign(16, 7);
    std::string png = encode_png(g);
    const std::size_t ihdr = png.find("IHDR");
    REQUIRE(ihdr != std::string::npos);
    png.replace(ihdr + 4, 8, be32(30000) + be32(30000));
    put_file(tmp.file("huge.png"), png);
    CHECK(contains(error_of([&] { read_gray_image(tmp.file("huge.png")); }), "it claims 30000 x 30000 pixels"));
    // At the limit's side a picture reads as before.
    put_file(tmp.file("small.jpg"), small_jpeg());
    CHECK(shape_of(read_gray_image(tmp.file("small.jpg"))) == Shape{8, 8});
}

TEST_CASE("image: a PNG chunk longer than the file is refused before stb allocates for it") {
    // fuzz/fuzz_image: 129 bytes whose second IDAT claims 1124073495 bytes made stb grow its
    // buffer to 2 GB before finding the file short.
    TempDir tmp;
    const std::string bad = png_with_idat_length(1124073495);
    const std::size_t idat = bad.find("IDAT") - 4;
    put_file(tmp.file("bad.png"), bad);
    CHECK(contains(error_of([&] { read_gray_image(tmp.file("bad.png")); }),
                   tmp.file("bad.png") + ": cannot decode the image: corrupt PNG: chunk IDAT at byte " +
                       std::to_string(idat) + " claims 1124073495 bytes, but only " +
                       std::to_string(bad.size() - idat - 8) + " follow"));
    // The same picture with its true length reads.
    GrayImage g;
    g.height = 4, g.width = 5;
    g.pixels.assign(20, 9);
    put_file(tmp.file("good.png"), encode_png(g));
    CHECK(shape_of(read_gray_image(tmp.file("good.png"))) == Shape{4, 5});
}

TEST_CASE("npy: an array with a zero dimension beside a huge one converts at once") {
    // fuzz/fuzz_npy: shape (25043832042042, 0) made the transpose loop 4e11 times over nothing (a
    // hang). Such an array holds no element, so it is valid; it converts to an empty matrix.
    const auto npy = [](const std::string& order, const std::string& shape) {
        std::string header = "{'descr': '<f8', 'fortran_order': " + order + ", 'shape': " + shape + ", }";
        header += std::string(63 - (10 + header.size()) % 64, ' ') + "\n";
        return std::string("\x93NUMPY\x01\x00", 8) + char(header.size() & 0xFF) + char(header.size() >> 8) + header;
    };
    const auto start = std::chrono::steady_clock::now();
    const NpyArray rows = parse_npy(npy("False", "(1152921504606846976, 0)"), "rows.npy");
    CHECK(shape_of(npy_to_examples<double>(rows, "rows.npy")) == Shape{0, std::size_t(1) << 60});
    const NpyArray fortran = parse_npy(npy("True", "(0, 1152921504606846976)"), "fortran.npy");
    CHECK(shape_of(npy_to_matrix<double>(fortran, "fortran.npy")) == Shape{0, std::size_t(1) << 60});
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 1.0);
}

TEST_CASE("idx: a header claiming 2^31 images allocates about what the file holds") {
    // fuzz/fuzz_idx: a 16-byte header claiming INT_MAX images of 28 x 28 made the reader allocate
    // and zero a first 64 MiB slice before finding no pixel data.
    TempDir tmp;
    put_file(tmp.file("claims-idx3-ubyte"), be32(0x803) + be32(0x7FFFFFFF) + be32(28) + be32(28));
    const auto peak_kb = [] {
        rusage u{};
        getrusage(RUSAGE_SELF, &u);
        return long(u.ru_maxrss);
    };
    const long before = peak_kb();
    CHECK(contains(error_of([&] { read_idx_images_u8(tmp.file("claims-idx3-ubyte")); }), "truncated: expected"));
    CHECK(peak_kb() - before < 16 * 1024);  // peak memory grew by less than 16 MB
}

TEST_CASE("image: a PNG with an empty IDAT chunk first (legal) reads as the image") {
    // fuzz/fuzz_image: stb copies such a chunk with memcpy(NULL, src, 0), undefined behaviour that
    // is harmless in practice (the fuzz build does not check it in stb); the picture must still read.
    GrayImage g;
    g.height = 3, g.width = 4;
    for (std::size_t k = 0; k < 12; ++k) g.pixels.push_back(std::uint8_t(k * 20));
    std::string png = encode_png(g);
    const std::size_t idat = png.find("IDAT");
    REQUIRE(idat != std::string::npos);
    png.insert(idat - 4, be32(0) + "IDAT" + be32(0x35AF061E));  // length 0, type, CRC-32 of "IDAT"
    TempDir tmp;
    put_file(tmp.file("empty-idat.png"), png);
    const Array<double> a = read_gray_image(tmp.file("empty-idat.png"));
    REQUIRE(shape_of(a) == Shape{3, 4});
    CHECK(a(2, 3) == doctest::Approx(220 / 255.0));
}
