// io/image.cpp: tile layout and PNG through stb (libstb holds the implementations: link -lstb).
#include "io/image.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

namespace ae {
namespace {

struct Layout {
    std::size_t tile_h, tile_w, rows, cols, scale, border;
    std::uint8_t border_value;
    std::size_t bands = 1, gap = 0;  // after every `bands` rows of tiles, `gap` extra pixels
};

// UFLDL's display_network: about sqrt(count) columns, nudged up to divide count evenly.
std::size_t default_cols(std::size_t count) {
    const double root = std::sqrt(double(count));
    std::size_t n = std::max<std::size_t>(1, std::size_t(std::ceil(root)));
    while (count % n != 0 && n < 1.2 * root) ++n;
    return n;
}

Layout make_layout(std::size_t values, std::size_t count, std::size_t bands, const GridOptions& o,
                   std::uint8_t default_border, const char* who) {
    Layout L{o.tile_height, o.tile_width, 0, 0, o.scale, o.border, default_border};
    L.bands = bands;
    L.gap = bands > 1 ? 3 : 0;  // sets a band apart from the next one
    if (L.tile_h == 0 && L.tile_w == 0) {
        L.tile_h = L.tile_w = std::size_t(std::llround(std::sqrt(double(values))));
        if (L.tile_h * L.tile_w != values)
            throw std::invalid_argument(std::string(who) + ": " + std::to_string(values) +
                                        " values per tile is not a square; set tile_height and tile_width");
    }
    if (L.tile_h * L.tile_w != values)
        throw std::invalid_argument(std::string(who) + ": tiles of " + std::to_string(L.tile_h) + " x " +
                                    std::to_string(L.tile_w) + " need " + std::to_string(L.tile_h * L.tile_w) +
                                    " values, got " + std::to_string(values));
    if (count == 0) throw std::invalid_argument(std::string(who) + ": nothing to show");
    L.cols = o.cols ? std::min(o.cols, count) : default_cols(count);
    L.rows = (count + L.cols - 1) / L.cols * bands;
    if (L.scale == 0) {
        const std::size_t natural = L.cols * L.tile_w;
        L.scale = std::clamp<std::size_t>(400 / std::max<std::size_t>(natural, 1), 1, 8);
    }
    if (o.border_value >= 0) L.border_value = static_cast<std::uint8_t>(std::min(o.border_value, 255));
    return L;
}

// Draws tile (tr, tc) from `value(y, x)` in [0, 1].
template <class F>
void draw_tile(GrayImage& img, const Layout& L, std::size_t tr, std::size_t tc, F value) {
    const std::size_t top = L.border + tr * (L.tile_h * L.scale + L.border) + tr / L.bands * L.gap;
    const std::size_t left = L.border + tc * (L.tile_w * L.scale + L.border);
    for (std::size_t y = 0; y < L.tile_h * L.scale; ++y)
        for (std::size_t x = 0; x < L.tile_w * L.scale; ++x) {
            double v = std::clamp(value(y / L.scale, x / L.scale), 0.0, 1.0);
            if (std::isnan(v)) v = 0;  // clamp passes NaN through
            img.at(top + y, left + x) = static_cast<std::uint8_t>(std::lround(v * 255.0));
        }
}

GrayImage blank(const Layout& L) {
    GrayImage img;
    img.height = L.border + L.rows * (L.tile_h * L.scale + L.border) + (L.rows / L.bands - 1) * L.gap;
    img.width = L.border + L.cols * (L.tile_w * L.scale + L.border);
    img.pixels.assign(img.height * img.width, L.border_value);
    return img;
}

// Why stb_image gave up. It keeps one failure reason per thread, null until a failure records one,
// and some failures record none (a PNG whose IDAT chunk length has its top bit set fails silently),
// leaving an earlier reason, or null, in place. So mark_no_reason() records a reason no file can
// cause ("bad req_comp": an out-of-range channel count asked of the PNG loader) just before
// decoding; decoder_failure() then tells a reason of this decode from none at all.
const char* mark_no_reason() {
    static const unsigned char png_signature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    int w = 0, h = 0, channels = 0;
    stbi_load_from_memory(png_signature, int(sizeof png_signature), &w, &h, &channels, 5);  // fails at once
    return stbi_failure_reason();
}

std::string decoder_failure(const char* marker) {
    const char* reason = stbi_failure_reason();
    if (!reason || !*reason || (marker && std::strcmp(reason, marker) == 0))
        return "the decoder gave no reason (a corrupt or unsupported file)";
    return reason;
}

// stb_image 2.27 (Debian 12's libstb) builds a JPEG Huffman table without checking that the 16
// code counts of its DHT segment add up to at most 256 (later versions check): a corrupt table makes
// it write past its arrays (found by fuzz/fuzz_image, UBSan: index 257 out of bounds for
// 'stbi_uc[257]'). So every table stb could read is checked first. stb reads a DHT segment after
// each 0xFF 0xC4 it meets as a marker: in the header, segments are walked by their lengths (APPn
// and comment payloads, which may hold any bytes, are skipped); from the first scan on, where
// entropy-coded data can only hold 0xFF 0xC4 as a marker, or where the header is not well formed
// (stb then scans for the next 0xFF), every 0xFF 0xC4 is taken as one.
void check_jpeg_huffman_tables(const std::string& bytes, const std::string& path) {
    const std::size_t n = bytes.size();
    auto at = [&](std::size_t i) -> std::size_t { return i < n ? static_cast<unsigned char>(bytes[i]) : 0; };  // stb: 0 past the end
    auto check_dht = [&](std::size_t p) {  // p: the segment's length field
        long left = long(at(p) << 8 | at(p + 1)) - 2;
        for (p += 2; left > 0 && p < n;) {
            const std::size_t q = at(p);
            if ((q >> 4) > 1 || (q & 15) > 3) return;  // stb rejects the segment before building
            std::size_t codes = 0;
            for (std::size_t k = 1; k <= 16; ++k) codes += at(p + k);
            if (codes > 256)
                throw IoError(path, "cannot decode the image: corrupt JPEG: a Huffman table of " +
                                        std::to_string(codes) + " codes (at most 256)");
            p += 17 + codes, left -= long(17 + codes);
        }
    };
    std::size_t i = 0;
    while (at(i) == 0xFF && i < n) ++i;  // stb skips 0xFF fill bytes before any marker
    if (i == 0 || at(i) != 0xD8) return;  // no SOI: stb will not read it as a JPEG
    for (++i; i < n && at(i) == 0xFF;) {  // the header, segment by segment
        std::size_t m = i;
        while (at(m) == 0xFF && m < n) ++m;
        const std::size_t marker = at(m);
        if (marker == 0xC4) check_dht(m + 1);
        if (marker == 0xDA || marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) break;
        const std::size_t length = at(m + 1) << 8 | at(m + 2);
        if (length < 2) break;
        i = m + 1 + length;
    }
    for (; i + 1 < n; ++i)
        if (at(i) == 0xFF && at(i + 1) == 0xC4) check_dht(i + 2);
}

// stb grows its buffer for a PNG's image data to the length a chunk claims before reading it, so
// a file of a hundred bytes can make it allocate gigabytes (fuzz/fuzz_image): every chunk up to
// IEND must fit in the file.
void check_png_chunks(const std::string& bytes, const std::string& path) {
    static const char signature[] = "\x89PNG\r\n\x1a\n";
    if (bytes.compare(0, 8, signature, 8) != 0) return;
    auto at = [&](std::size_t i) { return std::size_t(static_cast<unsigned char>(bytes[i])); };
    for (std::size_t i = 8; i + 8 <= bytes.size();) {
        const std::size_t length = at(i) << 24 | at(i + 1) << 16 | at(i + 2) << 8 | at(i + 3);
        std::string type = bytes.substr(i + 4, 4);  // letters in a valid file; shown as '?' otherwise
        for (char& c : type)
            if (!std::isalpha(static_cast<unsigned char>(c))) c = '?';
        const std::size_t follow = bytes.size() - (i + 8);
        if (length > follow)
            throw IoError(path, "cannot decode the image: corrupt PNG: chunk " + type + " at byte " + std::to_string(i) +
                                    " claims " + std::to_string(length) + " bytes, but only " + std::to_string(follow) +
                                    " follow");
        if (type == "IEND") return;
        i += 12 + length;  // length, type, data, CRC
    }
}

void append(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), std::size_t(size));
}

}  // namespace

std::string encode_png(const GrayImage& image) {
    if (image.width == 0 || image.height == 0 || image.width > INT_MAX / 4 || image.height > INT_MAX / 4 ||
        image.pixels.size() != image.width * image.height)
        throw std::invalid_argument("encode_png: bad image of " + std::to_string(image.height) + " x " +
                                    std::to_string(image.width) + " with " + std::to_string(image.pixels.size()) +
                                    " pixels");
    std::string out;
    if (!stbi_write_png_to_func(append, &out, int(image.width), int(image.height), 1, image.pixels.data(),
                                int(image.width)))
        throw std::runtime_error("encode_png: stb_image_write failed");
    return out;
}

void write_png(const std::string& path, const GrayImage& image) { write_file_atomic(path, encode_png(image)); }

Array<double> read_gray_image(const std::string& path) {
    const std::string bytes = read_file(path);
    if (bytes.size() > INT_MAX) throw IoError(path, "image file too large");
    check_jpeg_huffman_tables(bytes, path);
    check_png_chunks(bytes, path);
    // The size the header claims, before anything is decoded: a JPEG of a few hundred bytes can
    // claim 8198 x 39685 pixels, which stb decodes for seconds into a gigabyte (fuzz/fuzz_image).
    int claimed_w = 0, claimed_h = 0, claimed_channels = 0;
    if (stbi_info_from_memory(reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()), &claimed_w,
                              &claimed_h, &claimed_channels) &&
        std::size_t(claimed_w) * std::size_t(claimed_h) > max_image_pixels)
        throw IoError(path, "cannot decode the image: it claims " + std::to_string(claimed_h) + " x " +
                                std::to_string(claimed_w) + " pixels, more than the " +
                                std::to_string(max_image_pixels) + " read_gray_image takes");
    int w = 0, h = 0, channels = 0;
    const char* no_reason = mark_no_reason();
    unsigned char* p = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(bytes.data()),
                                             int(bytes.size()), &w, &h, &channels, 0);
    if (!p) throw IoError(path, "cannot decode the image: " + decoder_failure(no_reason));
    Array<double> out = Array<double>::from_shape({std::size_t(h), std::size_t(w)});
    const std::size_t n = std::size_t(w) * std::size_t(h);
    for (std::size_t k = 0; k < n; ++k) {
        const unsigned char* px = p + k * std::size_t(channels);
        double v = channels >= 3 ? 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2] : double(px[0]);
        out.data()[k] = v / 255.0;
    }
    stbi_image_free(p);
    return out;
}

template <class T>
GrayImage filter_grid(const Array<T>& W, GridOptions options) {
    const std::size_t count = W.shape(0), values = W.shape(1);
    Layout L = make_layout(values, count, 1, options, 0, "filter_grid");
    GrayImage img = blank(L);
    double mean = 0;
    for (T v : W) mean += double(v);
    mean /= double(W.size());
    for (std::size_t j = 0; j < count; ++j) {
        double clim = 0;
        for (std::size_t i = 0; i < values; ++i) clim = std::max(clim, std::abs(double(W(j, i)) - mean));
        if (clim == 0) clim = 1;  // a constant tile shows as mid-grey
        draw_tile(img, L, j / L.cols, j % L.cols, [&](std::size_t y, std::size_t x) {
            return 0.5 + 0.5 * (double(W(j, y * L.tile_w + x)) - mean) / clim;
        });
    }
    return img;
}

template <class T>
GrayImage comparison_grid(const std::vector<Array<T>>& sets, GridOptions options) {
    if (sets.empty()) throw std::invalid_argument("comparison_grid: no sets of examples");
    const std::size_t values = sets[0].shape(0), count = sets[0].shape(1), bands = sets.size();
    for (const auto& s : sets)
        if (shape_of(s) != shape_of(sets[0]))
            throw ShapeError("comparison_grid", shape_of(sets[0]), shape_of(s), "differ");
    Layout L = make_layout(values, count, bands, options, 128, "comparison_grid");
    GrayImage img = blank(L);
    for (std::size_t k = 0; k < bands; ++k)
        for (std::size_t j = 0; j < count; ++j)
            draw_tile(img, L, (j / L.cols) * bands + k, j % L.cols, [&](std::size_t y, std::size_t x) {
                return double(sets[k](y * L.tile_w + x, j));
            });
    return img;
}

template <class T>
GrayImage examples_grid(const Array<T>& x, GridOptions options) {
    return comparison_grid<T>(std::vector<Array<T>>{x}, options);
}

template GrayImage filter_grid<float>(const Array<float>&, GridOptions);
template GrayImage filter_grid<double>(const Array<double>&, GridOptions);
template GrayImage comparison_grid<float>(const std::vector<Array<float>>&, GridOptions);
template GrayImage comparison_grid<double>(const std::vector<Array<double>>&, GridOptions);
template GrayImage examples_grid<float>(const Array<float>&, GridOptions);
template GrayImage examples_grid<double>(const Array<double>&, GridOptions);

}  // namespace ae
