// io/image.hpp: grey pictures in and out (stb_image, stb_image_write): filter grids, inputs beside
// their reconstructions, and photographs read as grey levels for patch sampling.
//
// A tile is one example or one weight row shown as a small picture: values at index r*width + c
// (row-major, as IDX images and flattened NumPy images are) go to pixel (r, c).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "autodiff/array.hpp"
#include "io/file.hpp"

namespace ae {

// 8-bit grey, row-major.
struct GrayImage {
    std::size_t height = 0, width = 0;
    std::vector<std::uint8_t> pixels;

    std::uint8_t& at(std::size_t r, std::size_t c) { return pixels[r * width + c]; }
    std::uint8_t at(std::size_t r, std::size_t c) const { return pixels[r * width + c]; }
};

std::string encode_png(const GrayImage& image);
void write_png(const std::string& path, const GrayImage& image);  // atomic

// A PNG/JPEG/BMP/... file as grey levels in [0, 1], shape (height, width). Colour becomes luma,
// 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as MATLAB's rgb2gray); alpha is ignored. A file whose
// header claims more than max_image_pixels (8192 x 8192) is refused before it is decoded.
inline constexpr std::size_t max_image_pixels = std::size_t(1) << 26;
Array<double> read_gray_image(const std::string& path);

struct GridOptions {
    std::size_t tile_height = 0, tile_width = 0;  // 0, 0: square tiles, side sqrt(values per tile)
    std::size_t cols = 0;    // tiles per row; 0: UFLDL's display_network choice, about sqrt(count)
    std::size_t scale = 0;   // each value becomes scale x scale pixels; 0: automatic (up to 8x,
                             // until the picture is about 400 pixels wide)
    std::size_t border = 1;  // pixels between tiles and around them (not scaled)
    int border_value = -1;   // 0..255; -1: black for filters (as UFLDL), grey for data
};

// The learned filters: row j of W (hidden x pixels, e.g. the documents' W1) is hidden unit j's
// tile; pass the transpose for a decoder's (pixels x hidden) weights. Normalised as UFLDL's
// display_network does: the mean of all of W is subtracted, each tile is divided by its own
// largest absolute value and [-1, 1] is mapped to black..white, so mid-grey is zero (after the
// mean) and every tile uses the full contrast. The documents' W_j / ||W_j|| (the input that
// excites unit j most) gives the same picture: a positive scale per tile does not change it.
template <class T>
GrayImage filter_grid(const Array<T>& W, GridOptions options = {});

// Examples side by side: every Array in `sets` has shape (pixels, n), examples as columns (e.g.
// inputs, their reconstructions, and PCA's reconstructions with the same code size). Each band of
// `cols` examples shows one row of tiles per set, in order, so an input sits above its
// reconstructions. Values are clipped to [0, 1] and shown as 0 = black .. 1 = white.
template <class T>
GrayImage comparison_grid(const std::vector<Array<T>>& sets, GridOptions options = {});

// One set of examples as a grid (`comparison_grid` of one set): data, patches.
template <class T>
GrayImage examples_grid(const Array<T>& x, GridOptions options = {});

}  // namespace ae
