// models/k_sparse.hpp: k-sparse autoencoder (Makhzani & Frey 2013, "k-Sparse Autoencoders"): tied
// weights, linear units, only the k largest code units kept, alpha k of them at encoding.
// Train it on centred data (the training mean subtracted): on all-positive inputs such as raw MNIST
// a unit pushed away from one image turns away from all of them and is never chosen again; 26% of
// 1000 units died that way at k = 25, none in the centred models of results/README.md (result 4).
#pragma once
#include "models/autoencoder.hpp"

namespace ae {

struct KSparseOptions {
    std::size_t k = 0;        // the target sparsity, 1 <= k <= code size
    double alpha = 1;         // encode() keeps round(alpha k) units, alpha >= 1
    std::size_t k_start = 0;  // the schedule's first k (k <= k_start <= code size); 0: no schedule
};

// Name "k-sparse". Terms: "squared_error". With k_start, training goes from k_start down to k over
// the first half of the steps (Autoencoder::at_step, which train() calls); outside training, k.
template <class T>
Autoencoder<T> k_sparse(const std::vector<std::size_t>& sizes, const KSparseOptions& options, std::uint64_t seed = 1);

}  // namespace ae
