// models/basic.cpp: the basic and the linear autoencoder.
#include "models/basic.hpp"

#include <limits>

#include "layers/check.hpp"
#include "layers/losses.hpp"

namespace ae {

template <class T>
Autoencoder<T> basic(std::size_t visible, std::size_t hidden, const BasicOptions& o, std::uint64_t seed) {
    check(o.units == Activation::sigmoid || o.units == Activation::linear, "basic",
          "units must be sigmoid or linear, not " + name_of(o.units));
    check_range("basic", "lambda", o.lambda, '[', 0, std::numeric_limits<double>::infinity(), ')');
    AutoencoderConfig c{visible, hidden, o.units, o.units, o.tied, o.reconstruction};
    Autoencoder<T> model("basic", c, seed);
    if (o.lambda > 0)
        model.add_term("weight_decay", [lambda = o.lambda](const Pass<T>& f) { return weight_decay(f.weights, lambda); });
    return model;
}

template <class T>
Autoencoder<T> linear(std::size_t visible, std::size_t hidden, std::uint64_t seed) {
    return Autoencoder<T>("linear", {visible, hidden, Activation::linear, Activation::linear}, seed);
}

template Autoencoder<float> basic(std::size_t, std::size_t, const BasicOptions&, std::uint64_t);
template Autoencoder<double> basic(std::size_t, std::size_t, const BasicOptions&, std::uint64_t);
template Autoencoder<float> linear(std::size_t, std::size_t, std::uint64_t);
template Autoencoder<double> linear(std::size_t, std::size_t, std::uint64_t);

}  // namespace ae
