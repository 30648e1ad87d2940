// models/denoising.cpp: the denoising autoencoder; the corruption is the encoder's input noise.
#include "models/denoising.hpp"

#include <limits>

#include "layers/check.hpp"
#include "layers/losses.hpp"

namespace ae {

template <class T>
Autoencoder<T> denoising(std::size_t visible, std::size_t hidden, const DenoisingOptions& o, std::uint64_t seed) {
    check(o.corruption.kind != Corruption::none, "denoising", "no corruption (use masking_noise, gaussian_noise or salt_and_pepper)");
    check_range("denoising", "lambda", o.lambda, '[', 0, std::numeric_limits<double>::infinity(), ')');
    AutoencoderConfig c{visible, hidden, o.encoder, o.decoder, o.tied, o.reconstruction, o.corruption};
    Autoencoder<T> model("denoising", c, seed);
    if (o.lambda > 0)
        model.add_term("weight_decay", [lambda = o.lambda](const Pass<T>& f) { return weight_decay(f.weights, lambda); });
    return model;
}

template Autoencoder<float> denoising(std::size_t, std::size_t, const DenoisingOptions&, std::uint64_t);
template Autoencoder<double> denoising(std::size_t, std::size_t, const DenoisingOptions&, std::uint64_t);

}  // namespace ae
