// models/denoising.cpp: the denoising autoencoder; the corruption is the encoder's input noise.
#include "models/denoising.hpp"

#include "models/terms.hpp"
#include "util/check.hpp"
#include "util/options.hpp"

namespace ae {

template <class T>
Autoencoder<T> denoising(const std::vector<std::size_t>& sizes, const DenoisingOptions& o, std::uint64_t seed) {
    check(o.corruption.kind != Corruption::none, "denoising", "no corruption (use masking_noise, gaussian_noise or salt_and_pepper)");
    Autoencoder<T> model = dense_autoencoder<T>("denoising", sizes, o.encoder, o.decoder, o.tied, seed);
    model.corrupt(o.corruption);
    add_reconstruction(model, o.reconstruction);
    if (o.lambda != 0) model.add_term(make_term(model, "weight_decay", {{"lambda", number_text(o.lambda)}}));
    return model;
}

template Autoencoder<float> denoising(const std::vector<std::size_t>&, const DenoisingOptions&, std::uint64_t);
template Autoencoder<double> denoising(const std::vector<std::size_t>&, const DenoisingOptions&, std::uint64_t);

}  // namespace ae
