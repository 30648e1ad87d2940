// models/sparse_kl.hpp: sparse autoencoder, KL sparsity target and weight decay (Ng, CS294A
// lecture notes "Sparse autoencoder"; UFLDL).
#pragma once
#include "models/autoencoder.hpp"

namespace ae {

struct SparseKlOptions {
    double rho = 0.01, beta = 3, lambda = 1e-4;  // UFLDL's defaults
    Activation encoder = Activation::sigmoid;    // sigmoid, or tanh (rho_hat then of (h + 1)/2)
    Activation decoder = Activation::sigmoid;
    enum Penalty { kl, squared } penalty = kl;   // squared: the documents' (beta/2) sum (rho_hat - rho)^2
};

// Name "sparse-kl"; sizes {visible, hidden[, ...]}: the sparsity is on the code (the last layer).
// Terms: "squared_error", "weight_decay" (every weight), then "kl_sparsity" (or "squared_sparsity").
// rho in (0, 1), beta >= 0, lambda >= 0. See kl_sparsity for rho_hat = 0 or 1 (clamped, never NaN).
template <class T>
Autoencoder<T> sparse_kl(const std::vector<std::size_t>& sizes, const SparseKlOptions& options = {},
                         std::uint64_t seed = 1);

// The terms above on any model (the stacked autoencoder's too).
template <class T> Autoencoder<T>& add_sparse_kl_terms(Autoencoder<T>& model, const SparseKlOptions& options);

}  // namespace ae
