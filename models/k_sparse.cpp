// models/k_sparse.cpp: the k-sparse autoencoder; the selection itself is the encoder's top-k mask.
#include "models/k_sparse.hpp"

#include "layers/check.hpp"
#include "layers/top_k.hpp"

namespace ae {

template <class T>
Autoencoder<T> k_sparse(std::size_t visible, std::size_t hidden, const KSparseOptions& o, std::uint64_t seed) {
    check_range("k-sparse", "k", double(o.k), '[', 1, double(hidden), ']');
    if (o.k_start != 0) check_range("k-sparse", "k_start", double(o.k_start), '[', double(o.k), double(hidden), ']');
    AutoencoderConfig c{visible, hidden, Activation::linear, Activation::linear, /*tied=*/true};
    c.k = o.k_start != 0 ? o.k_start : o.k;
    c.alpha = o.alpha;
    return Autoencoder<T>("k-sparse", c, seed);
}

std::size_t k_at(const KSparseOptions& o, std::size_t step, std::size_t steps) {
    return o.k_start == 0 ? o.k : k_schedule(step, steps, o.k_start, o.k);
}

template Autoencoder<float> k_sparse(std::size_t, std::size_t, const KSparseOptions&, std::uint64_t);
template Autoencoder<double> k_sparse(std::size_t, std::size_t, const KSparseOptions&, std::uint64_t);

}  // namespace ae
