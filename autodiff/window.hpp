// autodiff/window.hpp: how a convolution or a pooling op slides its window over images.
//
// Images live in the one array type: one column per example, each image flattened channel-major,
// so an array of shape (channels * height * width, m) holds m images and row (c * height + h) *
// width + w holds pixel (h, w) of channel c for every example. Each pixel's row is contiguous, so
// gathering a window is a copy of whole rows, and a dense layer reads a conv layer's output as is.
#pragma once
#include <algorithm>
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

// How the convolutions lower to GEMMs, public so that the benchmark's floor issues the very GEMMs
// the tape does. The patches of a chunk of output pixels and examples are gathered into the tape's
// workspace, which holds at most this many entries unless one pixel of one example needs more:
// memory stays bounded whatever the batch, and each chunk's GEMM is still large.
constexpr std::size_t workspace_entries = std::size_t(1) << 21;

// Calls f(p0, np, j0, nj) for each chunk: output pixels p0 .. p0 + np - 1 for examples j0 .. j0 + nj - 1.
// Either np = 1 or nj = m, so a chunk's outputs are one block of rows of length np * nj in the
// output seen as (O, H' * W' * m): one GEMM writes them in place.
template <class F>
void for_each_chunk(const Window& w, std::size_t m, F f) {
    const std::size_t P = w.out_pixels(), per_column = w.patch();
    const std::size_t nj = std::max<std::size_t>(1, std::min(m, workspace_entries / per_column));
    const std::size_t np = nj < m ? 1 : std::max<std::size_t>(1, std::min(P, workspace_entries / (per_column * m)));
    for (std::size_t p0 = 0; p0 < P; p0 += np)
        for (std::size_t j0 = 0; j0 < m; j0 += nj) f(p0, std::min(np, P - p0), j0, std::min(nj, m - j0));
}

// C = op(A) op(B) + beta C on row-major blocks of larger arrays (ld*: their row lengths), by cblas.
void gemm(bool ta, bool tb, std::size_t M, std::size_t N, std::size_t K, const double* A, std::size_t lda,
          const double* B, std::size_t ldb, double beta, double* C, std::size_t ldc);
void gemm(bool ta, bool tb, std::size_t M, std::size_t N, std::size_t K, const float* A, std::size_t lda,
          const float* B, std::size_t ldb, double beta, float* C, std::size_t ldc);

}  // namespace ae
