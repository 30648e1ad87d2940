// models/conv.hpp: convolutional autoencoder (Masci, Meier, Cireşan & Schmidhuber 2011, "Stacked
// convolutional auto-encoders for hierarchical feature extraction"): stages of a convolution that
// keeps the image size, an activation and a pooling; the decoder their mirror (upsampling or
// unpooling, and transposed convolutions, optionally tied), e.g. 1x28x28 -> 32x14x14 -> 64x7x7 and back.
#pragma once
#include "layers/conv.hpp"
#include "models/autoencoder.hpp"
#include "models/contractive.hpp"

namespace ae {

struct ConvOptions {
    std::vector<std::size_t> image;  // {channels, height, width}; empty: one channel, a square image
    std::size_t kernel = 5;          // odd, so that padding (kernel - 1) / 2 keeps the image size
    std::size_t pool = 2;            // the pooling windows' side; 1: no pooling
    Pooling pooling = Pooling::max;
    Activation activation = Activation::relu, output = Activation::sigmoid;
    bool tied = false;  // each transposed convolution reads its convolution's kernels
    bool switches = false;  // the decoder unpools at the max poolings' positions instead of upsampling
    Reconstruction reconstruction = Reconstruction::cross_entropy;
    double lambda = 0;            // weight decay, a "weight_decay" term when not 0
    Corruption corruption{};      // denoising when not none
    double beta = 0, rho = 0.05;  // a "kl_sparsity" term on the code when beta > 0
    double contraction = 0;       // a "contractive" term, weight of ||dh/dx||_F^2, when > 0
    ContractiveOptions::Form form = ContractiveOptions::projected;  // exact or projected
    std::size_t probes = 4;                                          // projected
};

// Name "conv"; sizes {visible, channels1, channels2, ...}: one stage per channel count.
template <class T>
Autoencoder<T> conv(const std::vector<std::size_t>& sizes, const ConvOptions& options = {}, std::uint64_t seed = 1);

}  // namespace ae
