// models/denoising.hpp: denoising autoencoder (Vincent et al. 2008, "Extracting and composing robust
// features with denoising autoencoders"): tied weights; the encoder sees a corrupted copy, the loss
// compares the reconstruction with the clean input.
#pragma once
#include "models/autoencoder.hpp"

namespace ae {

struct DenoisingOptions {
    Corruption corruption = masking_noise(0.25);  // masking_noise(q), gaussian_noise(sigma), salt_and_pepper(nu)
    Reconstruction reconstruction = Reconstruction::cross_entropy;
    Activation encoder = Activation::sigmoid, decoder = Activation::sigmoid;
    bool tied = true;
    double lambda = 0;  // weight decay, a "weight_decay" term when > 0
};

// Name "denoising". Terms: "cross_entropy" (or "squared_error"), and "weight_decay" when lambda > 0.
template <class T>
Autoencoder<T> denoising(const std::vector<std::size_t>& sizes, const DenoisingOptions& options = {},
                         std::uint64_t seed = 1);

}  // namespace ae
