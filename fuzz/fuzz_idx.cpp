// fuzz/fuzz_idx.cpp: the IDX reader (io/idx.hpp), plain and gzipped, images and labels.
//
// Input: one mode byte, then the file. Mode bit 0: the rest is gzipped by the harness first, so the
// mutations reach the IDX parser behind the inflater (without it, they reach the gzip decoder
// itself: seeds hold real .gz bytes too). Bit 1: labels instead of images. Bits 2-3: the limit
// (none, 0, 1, 3 examples).
#include <zlib.h>

#include <string>

#include "fuzz/fuzz.hpp"
#include "io/idx.hpp"

namespace {

std::string gzip(const std::uint8_t* data, std::size_t size) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
    std::string out(deflateBound(&z, uLong(size)), '\0');
    z.next_in = const_cast<Bytef*>(data);
    z.avail_in = uInt(size);
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) std::abort();
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t mode = data[0];
    ++data, --size;
    const std::string packed = mode & 1 ? gzip(data, size) : std::string();
    const std::string& path = mode & 1 ? ae::fuzz::write_temp("idx.gz", reinterpret_cast<const std::uint8_t*>(packed.data()), packed.size())
                                       : ae::fuzz::write_temp("idx", data, size);
    const std::size_t limits[] = {ae::no_limit, 0, 1, 3};
    const std::size_t limit = limits[(mode >> 2) & 3];
    ae::fuzz::run_reader([&] {
        if (mode & 2) {
            const auto labels = ae::read_idx_labels(path, limit);
            ae::fuzz::require(labels.size() <= limit, "no more labels than the limit");
        } else {
            const ae::IdxImages im = ae::read_idx_images_u8(path, limit);
            ae::fuzz::require(im.pixels.size() == im.count * im.rows * im.cols, "pixels = count x rows x cols");
            const ae::Array<float> x = ae::idx_to_columns<float>(im);
            ae::fuzz::require(x.shape(0) == im.rows * im.cols && x.shape(1) == im.count, "columns of the images");
        }
    });
    return 0;
}
