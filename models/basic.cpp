// models/basic.cpp: the basic and the linear autoencoder.
#include "models/basic.hpp"

#include "models/terms.hpp"
#include "util/check.hpp"
#include "util/options.hpp"

namespace ae {

template <class T>
Autoencoder<T> basic(const std::vector<std::size_t>& sizes, const BasicOptions& o, std::uint64_t seed) {
    check(o.units == Activation::sigmoid || o.units == Activation::linear, "basic",
          "units must be sigmoid or linear, not " + name_of(o.units));
    Autoencoder<T> model = dense_autoencoder<T>("basic", sizes, o.units, o.units, o.tied, seed);
    add_reconstruction(model, o.reconstruction);
    if (o.lambda != 0) model.add_term(make_term(model, "weight_decay", {{"lambda", number_text(o.lambda)}}));
    return model;
}

template <class T>
Autoencoder<T> linear(const std::vector<std::size_t>& sizes, std::uint64_t seed) {
    Autoencoder<T> model = dense_autoencoder<T>("linear", sizes, Activation::linear, Activation::linear, false, seed);
    return add_reconstruction(model, Reconstruction::squared_error);
}

template Autoencoder<float> basic(const std::vector<std::size_t>&, const BasicOptions&, std::uint64_t);
template Autoencoder<double> basic(const std::vector<std::size_t>&, const BasicOptions&, std::uint64_t);
template Autoencoder<float> linear(const std::vector<std::size_t>&, std::uint64_t);
template Autoencoder<double> linear(const std::vector<std::size_t>&, std::uint64_t);

}  // namespace ae
