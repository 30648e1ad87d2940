// autodiff/window.hpp: how a convolution or a pooling op slides its window over images.
//
// Images live in the one array type: one column per example, each image flattened channel-major,
// so an array of shape (channels * height * width, m) holds m images and row (c * height + h) *
// width + w holds pixel (h, w) of channel c for every example. Each pixel's row is contiguous, so
// gathering a window is a copy of whole rows, and a dense layer reads a conv layer's output as is.
#pragma once
#include <cstddef>
#include <string>

namespace ae {

struct Window {
    std::size_t channels = 1, height = 1, width = 1;  // the image the window slides over
    std::size_t kernel = 1, stride = 1, pad = 0;      // a square kernel; the same stride and zero padding on both axes

    std::size_t out_height() const { return (height + 2 * pad - kernel) / stride + 1; }
    std::size_t out_width() const { return (width + 2 * pad - kernel) / stride + 1; }
    std::size_t pixels() const { return height * width; }
    std::size_t out_pixels() const { return out_height() * out_width(); }
    std::size_t rows() const { return channels * pixels(); }          // of the image array
    std::size_t patch() const { return channels * kernel * kernel; }  // entries under one window

    // "1x28x28, kernel 5, stride 1, pad 2"
    std::string text() const;
    // Throws std::invalid_argument naming `op` unless every size is positive, the kernel fits the
    // padded image and the stride tiles it exactly (so a transposed convolution's output is known).
    void check(const std::string& op) const;
    // Pooling: also requires windows that tile without overlap (stride = kernel, no padding).
    void check_pooling(const std::string& op) const;
};

}  // namespace ae
