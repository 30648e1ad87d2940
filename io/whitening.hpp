// io/whitening.hpp: PCA of a data set (examples as columns), PCA and ZCA whitening as in UFLDL,
// and PCA reconstruction with k components (the documents' baseline beside an autoencoder).
#pragma once
#include <cstddef>
#include <vector>

#include "autodiff/array.hpp"

namespace ae {

// Fitted on x of shape (n, m): mean over the m examples (n x 1), eigenvectors of the covariance
// Σ = (x - mean)(x - mean)ᵀ / m as the columns of `basis` (n x n), ordered by decreasing variance,
// and those variances (eigenvalues). Computed in double precision whatever T is.
template <class T>
struct Pca {
    Array<T> mean, basis;
    std::vector<double> variances;
};

template <class T>
Pca<T> fit_pca(const Array<T>& x);

// diag(1 / sqrt(λ + ε)) Uᵀ (x - mean): rotated onto the principal axes, unit variance along each
// up to λ / (λ + ε). ε keeps directions of tiny variance from blowing up and low-pass filters
// images: UFLDL advises 0.01 to 0.1 for data scaled to [0, 1], about 1e-5 for near-exact whitening.
template <class T>
Array<T> pca_whiten(const Pca<T>& pca, const Array<T>& x, double epsilon);

// U diag(1 / sqrt(λ + ε)) Uᵀ (x - mean): whitened but rotated back, so it still looks like x.
template <class T>
Array<T> zca_whiten(const Pca<T>& pca, const Array<T>& x, double epsilon);

// The k-dimensional code U_kᵀ (x - mean), and the reconstruction mean + U_k U_kᵀ (x - mean).
template <class T>
Array<T> pca_encode(const Pca<T>& pca, const Array<T>& x, std::size_t k);
template <class T>
Array<T> pca_reconstruct(const Pca<T>& pca, const Array<T>& x, std::size_t k);

}  // namespace ae
