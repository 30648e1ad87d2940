// models/basic.hpp: the basic autoencoder, h = s(W x + b) with squared error or Bernoulli
// cross-entropy (Bengio et al. 2007, as in the documents), and the linear autoencoder, which learns
// the principal subspace (Baldi & Hornik 1989).
#pragma once
#include "models/autoencoder.hpp"

namespace ae {

struct BasicOptions {
    Activation units = Activation::sigmoid;  // encoder and decoder: sigmoid or linear
    Reconstruction reconstruction = Reconstruction::squared_error;
    bool tied = false;
    double lambda = 0;  // weight decay, a "weight_decay" term when > 0
};

// Name "basic". Terms: the reconstruction, and "weight_decay" when lambda > 0.
template <class T>
Autoencoder<T> basic(const std::vector<std::size_t>& sizes, const BasicOptions& options = {},
                     std::uint64_t seed = 1);

// Name "linear": linear units, untied, squared error, no penalty; at its optimum the decoder spans
// the top `hidden` principal directions of the data.
template <class T>
Autoencoder<T> linear(const std::vector<std::size_t>& sizes, std::uint64_t seed = 1);

}  // namespace ae
