// io/idx.cpp: the IDX reader, over ByteReader (plain or gzip files, one code path).
#include "io/idx.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>

#include <sys/stat.h>

#include "io/byte_reader.hpp"

namespace ae {
namespace {

constexpr std::uint32_t images_magic = 0x00000803;  // unsigned bytes, 3 dimensions
constexpr std::uint32_t labels_magic = 0x00000801;  // unsigned bytes, 1 dimension

std::string hex(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

void check_magic(const std::string& path, std::uint32_t magic, std::uint32_t expected) {
    if (magic == expected) return;
    const bool images = expected == images_magic;
    std::string what = "wrong magic number " + hex(magic) + ", expected " + hex(expected) +
                       (images ? " (IDX images)" : " (IDX labels)");
    if (magic == images_magic) what += ": this is an IDX image file";
    else if (magic == labels_magic) what += ": this is an IDX label file";
    else if ((magic >> 16) == 0x1F8B) what += ": looks like gzip data inside gzip data";
    else if ((magic >> 8) == 0x08) what += ": an IDX file of " + std::to_string(magic & 0xFF) + " dimensions";
    else if ((magic >> 16) == 0) what += ": an IDX file of another element type";
    else what += ": not an IDX file";
    throw IoError(path, what);
}

// Reads n records of `record` bytes in slices, so a header that announces absurd counts fails on
// the missing data instead of on a giant allocation. The slices grow with what has arrived (64 KiB,
// doubling up to 64 MiB): a 17-byte file claiming 2^31 images allocated and zeroed 64 MiB before
// (fuzz/fuzz_idx: 190 ms a file), now about what the file holds.
std::vector<std::uint8_t> read_records(ByteReader& in, std::size_t n, std::size_t record,
                                       const std::string& what) {
    std::vector<std::uint8_t> out;
    const std::size_t total = n * record, max_slice = std::size_t(64) << 20;
    for (std::size_t done = 0, slice = std::size_t(64) << 10; done < total; slice = std::min(2 * slice, max_slice)) {
        std::size_t step = std::min(slice, total - done);
        out.resize(done + step);
        std::size_t got = in.read_some(out.data() + done, step);
        if (got < step)
            throw IoError(in.path(), "truncated: expected " + std::to_string(total) + " bytes of " +
                                         what + ", the file ends after " + std::to_string(done + got));
        done += step;
    }
    return out;
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

IdxImages read_idx_images_u8(const std::string& path, std::size_t limit) {
    ByteReader in(path);
    check_magic(path, in.read_be32("header (magic number)"), images_magic);
    IdxImages im;
    im.count = in.read_be32("header (image count)");
    im.rows = in.read_be32("header (rows)");
    im.cols = in.read_be32("header (columns)");
    const std::string dims = std::to_string(im.rows) + " x " + std::to_string(im.cols);
    if (im.rows == 0 || im.cols == 0)
        throw IoError(path, "wrong dimensions: images of " + dims + " pixels (both must be positive)");
    if (im.rows > 65535 || im.cols > 65535 || im.rows * im.cols > (std::size_t(1) << 26))
        throw IoError(path, "wrong dimensions: images of " + dims + " pixels is implausible");
    if (im.count > INT_MAX)
        throw IoError(path, "wrong dimensions: " + std::to_string(im.count) + " images is implausible");
    const std::size_t n = std::min(im.count, limit);
    const std::string what = "pixel data (" + std::to_string(n) + " images of " + dims + ")";
    im.pixels = read_records(in, n, im.rows * im.cols, what);
    if (n == im.count) in.expect_end(std::to_string(n) + " images");
    im.count = n;
    return im;
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path, std::size_t limit) {
    ByteReader in(path);
    check_magic(path, in.read_be32("header (magic number)"), labels_magic);
    const std::size_t count = in.read_be32("header (label count)");
    if (count > INT_MAX)
        throw IoError(path, "wrong dimensions: " + std::to_string(count) + " labels is implausible");
    const std::size_t n = std::min(count, limit);
    auto labels = read_records(in, n, 1, "labels (" + std::to_string(n) + ")");
    if (n == count) in.expect_end(std::to_string(n) + " labels");
    return labels;
}

template <class T>
Array<T> idx_to_columns(const IdxImages& im) {
    const std::size_t P = im.rows * im.cols, m = im.count;
    Array<T> x = Array<T>::from_shape({P, m});
    constexpr std::size_t B = 64;  // transpose in blocks: both sides stay in cache
    for (std::size_t j0 = 0; j0 < m; j0 += B)
        for (std::size_t p0 = 0; p0 < P; p0 += B)
            for (std::size_t p = p0; p < std::min(p0 + B, P); ++p)
                for (std::size_t j = j0; j < std::min(j0 + B, m); ++j)
                    x(p, j) = T(im.pixels[j * P + p]) / T(255);  // exactly k/255 rounded
    return x;
}

template <class T>
Array<T> read_idx_images(const std::string& path, std::size_t limit) {
    return idx_to_columns<T>(read_idx_images_u8(path, limit));
}

std::string find_idx_file(const std::string& dir, Split split, bool labels) {
    const std::string prefix = split == Split::train ? "train" : "t10k";
    const std::string kind = labels ? "labels" : "images";
    const std::string idx = labels ? "idx1-ubyte" : "idx3-ubyte";
    const std::string names[] = {prefix + "-" + kind + "-" + idx, prefix + "-" + kind + "." + idx};
    std::string tried;
    for (const auto& name : names)
        for (const char* ext : {"", ".gz"}) {
            std::string path = dir + "/" + name + ext;
            if (exists(path)) return path;
            tried += (tried.empty() ? "" : ", ") + name + ext;
        }
    throw IoError(dir, "no " + prefix + " " + kind + " file (tried " + tried + ")");
}

template <class T>
Dataset<T> load_idx_dataset(const std::string& dir, Split split, std::size_t limit) {
    const std::string images_path = find_idx_file(dir, split, false);
    const std::string labels_path = find_idx_file(dir, split, true);
    IdxImages im = read_idx_images_u8(images_path, limit);
    Dataset<T> d;
    d.labels = read_idx_labels(labels_path, limit);
    if (d.labels.size() != im.count)
        throw IoError(labels_path, "has " + std::to_string(d.labels.size()) + " labels but " +
                                       images_path + " has " + std::to_string(im.count) + " images");
    d.rows = im.rows;
    d.cols = im.cols;
    d.x = idx_to_columns<T>(im);
    d.description = dir + " (" + (split == Split::train ? "train" : "test") + "): " + std::to_string(im.count) +
                    " examples of " + std::to_string(im.rows) + " x " + std::to_string(im.cols);
    return d;
}

template Array<float> idx_to_columns<float>(const IdxImages&);
template Array<double> idx_to_columns<double>(const IdxImages&);
template Array<float> read_idx_images<float>(const std::string&, std::size_t);
template Array<double> read_idx_images<double>(const std::string&, std::size_t);
template Dataset<float> load_idx_dataset<float>(const std::string&, Split, std::size_t);
template Dataset<double> load_idx_dataset<double>(const std::string&, Split, std::size_t);

}  // namespace ae
