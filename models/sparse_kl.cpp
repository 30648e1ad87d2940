// models/sparse_kl.cpp: the sparse autoencoder as a composition of loss terms.
#include "models/sparse_kl.hpp"

#include <limits>

#include "layers/check.hpp"
#include "layers/losses.hpp"

namespace ae {

template <class T>
Autoencoder<T> sparse_kl(std::size_t visible, std::size_t hidden, const SparseKlOptions& o, std::uint64_t seed) {
    const double inf = std::numeric_limits<double>::infinity();
    check_range("sparse-kl", "rho", o.rho, '(', 0, 1, ')');
    check_range("sparse-kl", "beta", o.beta, '[', 0, inf, ')');
    check_range("sparse-kl", "lambda", o.lambda, '[', 0, inf, ')');
    check(o.encoder == Activation::sigmoid || o.encoder == Activation::tanh, "sparse-kl",
          "hidden units must be sigmoid or tanh (a mean activation in [0, 1]), not " + name_of(o.encoder));
    Autoencoder<T> model("sparse-kl", {visible, hidden, o.encoder, o.decoder}, seed);
    model.add_term("weight_decay", [o](const Pass<T>& f) { return weight_decay(f.weights, o.lambda); });
    if (o.penalty == SparseKlOptions::kl)
        model.add_term("kl_sparsity", [o](const Pass<T>& f) {
            return kl_sparsity(mean_activation(f.h, o.encoder), o.rho, o.beta);
        });
    else
        model.add_term("squared_sparsity", [o](const Pass<T>& f) {
            return squared_sparsity(mean_activation(f.h, o.encoder), o.rho, o.beta);
        });
    return model;
}

template Autoencoder<float> sparse_kl(std::size_t, std::size_t, const SparseKlOptions&, std::uint64_t);
template Autoencoder<double> sparse_kl(std::size_t, std::size_t, const SparseKlOptions&, std::uint64_t);

}  // namespace ae
