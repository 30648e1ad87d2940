// io/whitening.cpp: one symmetric eigendecomposition (LAPACK syevd through xtensor-blas) serves
// PCA, both whitenings and the PCA baseline.
#include "io/whitening.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include <xtensor-blas/xblas.hpp>
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xview.hpp>

namespace ae {
namespace {

using Mat = Array<double>;

Mat centred(const Mat& x, const Mat& mean) { return x - mean; }  // mean (n x 1) broadcasts over columns

Mat product(const Mat& a, const Mat& b, bool ta, bool tb) {
    Mat out = Mat::from_shape({ta ? a.shape(1) : a.shape(0), tb ? b.shape(0) : b.shape(1)});
    xt::blas::gemm(a, b, out, ta, tb);
    return out;
}

template <class T>
void check_rows(const char* op, const Pca<T>& pca, const Array<T>& x) {
    if (x.shape(0) != pca.mean.shape(0))
        throw ShapeError(op, shape_of(pca.mean), shape_of(x), "disagree: the data must have as many rows as the PCA");
}

template <class T>
Mat as_double(const Array<T>& a) {
    return xt::cast<double>(a);
}

// diag(1 / sqrt(λ + ε)) Uᵀ (x - mean), in double.
template <class T>
Mat whitened(const Pca<T>& pca, const Array<T>& x, double epsilon, const char* op) {
    check_rows(op, pca, x);
    if (!(epsilon >= 0)) throw std::invalid_argument(std::string(op) + ": epsilon must be >= 0");
    Mat y = product(as_double(pca.basis), centred(as_double(x), as_double(pca.mean)), true, false);
    for (std::size_t i = 0; i < y.shape(0); ++i) {
        const double s = pca.variances[i] + epsilon;
        if (!(s > 0)) throw std::invalid_argument(std::string(op) + ": zero variance along a principal axis; use epsilon > 0");
        xt::row(y, i) *= 1.0 / std::sqrt(s);
    }
    return y;
}

}  // namespace

template <class T>
Pca<T> fit_pca(const Array<T>& x) {
    const std::size_t n = x.shape(0), m = x.shape(1);
    if (m == 0 || n == 0) throw std::invalid_argument("fit_pca: empty data " + str(shape_of(x)));
    Mat xc = as_double(x);  // one copy of the data: centred in place
    const Mat mean = xt::sum(xc, {1}, xt::keep_dims) / double(m);
    xc -= mean;
    const Mat cov = product(xc, xc, false, true) / double(m);
    auto [w, v] = xt::linalg::eigh(cov);  // ascending eigenvalues
    Pca<T> pca;
    pca.mean = xt::cast<T>(mean);
    pca.basis = Array<T>::from_shape({n, n});
    for (std::size_t k = 0; k < n; ++k) {  // reverse into decreasing order
        const std::size_t src = n - 1 - k;
        pca.variances.push_back(std::max(0.0, double(w(src))));  // rounding can make a zero negative
        for (std::size_t i = 0; i < n; ++i) pca.basis(i, k) = T(v(i, src));
    }
    return pca;
}

template <class T>
Array<T> pca_whiten(const Pca<T>& pca, const Array<T>& x, double epsilon) {
    return xt::cast<T>(whitened(pca, x, epsilon, "pca_whiten"));
}

template <class T>
Array<T> zca_whiten(const Pca<T>& pca, const Array<T>& x, double epsilon) {
    return xt::cast<T>(product(as_double(pca.basis), whitened(pca, x, epsilon, "zca_whiten"), false, false));
}

template <class T>
Array<T> pca_encode(const Pca<T>& pca, const Array<T>& x, std::size_t k) {
    check_rows("pca_encode", pca, x);
    if (k > pca.basis.shape(1)) throw std::invalid_argument("pca_encode: k = " + std::to_string(k) + " > dimensions");
    const Mat Uk = xt::view(as_double(pca.basis), xt::all(), xt::range(0, k));
    return xt::cast<T>(product(Uk, centred(as_double(x), as_double(pca.mean)), true, false));
}

template <class T>
Array<T> pca_reconstruct(const Pca<T>& pca, const Array<T>& x, std::size_t k) {
    const Mat code = as_double(pca_encode(pca, x, k));
    const Mat Uk = xt::view(as_double(pca.basis), xt::all(), xt::range(0, k));
    return xt::cast<T>(product(Uk, code, false, false) + as_double(pca.mean));
}

template Pca<float> fit_pca<float>(const Array<float>&);
template Pca<double> fit_pca<double>(const Array<double>&);
template Array<float> pca_whiten<float>(const Pca<float>&, const Array<float>&, double);
template Array<double> pca_whiten<double>(const Pca<double>&, const Array<double>&, double);
template Array<float> zca_whiten<float>(const Pca<float>&, const Array<float>&, double);
template Array<double> zca_whiten<double>(const Pca<double>&, const Array<double>&, double);
template Array<float> pca_encode<float>(const Pca<float>&, const Array<float>&, std::size_t);
template Array<double> pca_encode<double>(const Pca<double>&, const Array<double>&, std::size_t);
template Array<float> pca_reconstruct<float>(const Pca<float>&, const Array<float>&, std::size_t);
template Array<double> pca_reconstruct<double>(const Pca<double>&, const Array<double>&, std::size_t);

}  // namespace ae
