// autodiff/window.cpp: the checks that keep a window inside its image, and the GEMM the
// convolutions lower to.
#include "autodiff/window.hpp"

#include <cblas.h>

#include <stdexcept>

namespace ae {

std::string Window::text() const {
    return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width) +
           ", kernel " + std::to_string(kernel) + ", stride " + std::to_string(stride) + ", pad " +
           std::to_string(pad);
}

void Window::check(const std::string& op) const {
    const std::string where = op + " (" + text() + "): ";
    if (channels == 0 || height == 0 || width == 0 || kernel == 0 || stride == 0)
        throw std::invalid_argument(where + "channels, height, width, kernel and stride must be positive");
    if (pad >= kernel)
        throw std::invalid_argument(where + "padding must be smaller than the kernel");
    if (kernel > height + 2 * pad || kernel > width + 2 * pad)
        throw std::invalid_argument(where + "the kernel is larger than the padded image " +
                                    std::to_string(height + 2 * pad) + "x" + std::to_string(width + 2 * pad));
    if ((height + 2 * pad - kernel) % stride != 0 || (width + 2 * pad - kernel) % stride != 0)
        throw std::invalid_argument(where + "the stride does not tile the padded image " +
                                    std::to_string(height + 2 * pad) + "x" + std::to_string(width + 2 * pad) +
                                    " (padded size - kernel must be a multiple of the stride)");
}

void Window::check_pooling(const std::string& op) const {
    check(op);
    if (stride != kernel || pad != 0)
        throw std::invalid_argument(op + " (" + text() + "): pooling windows must tile without overlap "
                                    "(stride = kernel, no padding)");
}

void gemm(bool ta, bool tb, std::size_t M, std::size_t N, std::size_t K, const double* A, std::size_t lda,
          const double* B, std::size_t ldb, double beta, double* C, std::size_t ldc) {
    cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(M), int(N),
                int(K), 1.0, A, int(lda), B, int(ldb), beta, C, int(ldc));
}

void gemm(bool ta, bool tb, std::size_t M, std::size_t N, std::size_t K, const float* A, std::size_t lda,
          const float* B, std::size_t ldb, double beta, float* C, std::size_t ldc) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(M), int(N),
                int(K), 1.0f, A, int(lda), B, int(ldb), float(beta), C, int(ldc));
}

}  // namespace ae
