// models/deep.hpp: the deep autoencoder (Hinton & Salakhutdinov 2006, "Reducing the dimensionality
// of data with neural networks"): dense layers of any depth, an activation per encoder layer, the
// decoder their mirror (optionally tied), e.g. 784-1000-500-250-30 with sigmoid units and a linear
// code. The stacked autoencoder (Bengio et al. 2007) is the same network with sparse layers, trained
// by the recipes of optim/recipes.hpp.
#pragma once
#include "models/autoencoder.hpp"
#include "models/sparse_kl.hpp"

namespace ae {

struct DeepOptions {
    std::vector<Activation> activations;  // one per encoder layer; empty: sigmoid, the code linear
    Activation output = Activation::sigmoid;
    bool tied = false;
    Reconstruction reconstruction = Reconstruction::cross_entropy;
    double lambda = 0;  // weight decay, a "weight_decay" term when not 0
};

// Name "deep"; sizes {visible, hidden1, ..., code}.
template <class T>
Autoencoder<T> deep(const std::vector<std::size_t>& sizes, const DeepOptions& options = {}, std::uint64_t seed = 1);

// Name "stacked": sigmoid (or options.encoder) layers with sparse-kl's terms on the code; layer i
// (1-based) is initialised as sparse_kl({sizes[i-1], sizes[i]}, options, seed + i) would be, the
// weights of each layer's own pretraining autoencoder.
template <class T>
Autoencoder<T> stacked(const std::vector<std::size_t>& sizes, const SparseKlOptions& options = {}, std::uint64_t seed = 1);

}  // namespace ae
