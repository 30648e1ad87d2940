// models/k_sparse.cpp: the k-sparse autoencoder; the selection itself is the code's top-k mask.
#include "models/k_sparse.hpp"

namespace ae {

template <class T>
Autoencoder<T> k_sparse(const std::vector<std::size_t>& sizes, const KSparseOptions& o, std::uint64_t seed) {
    Autoencoder<T> model = dense_autoencoder<T>("k-sparse", sizes, Activation::linear, Activation::linear, true, seed);
    model.keep_top_k(o.k, o.alpha, o.k_start);
    return add_reconstruction(model, Reconstruction::squared_error);
}

template Autoencoder<float> k_sparse(const std::vector<std::size_t>&, const KSparseOptions&, std::uint64_t);
template Autoencoder<double> k_sparse(const std::vector<std::size_t>&, const KSparseOptions&, std::uint64_t);

}  // namespace ae
