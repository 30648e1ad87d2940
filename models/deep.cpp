// models/deep.cpp: the deep and the stacked autoencoder.
#include "models/deep.hpp"

#include "models/terms.hpp"
#include "util/check.hpp"
#include "util/options.hpp"

namespace ae {

template <class T>
Autoencoder<T> deep(const std::vector<std::size_t>& sizes, const DeepOptions& o, std::uint64_t seed) {
    check(sizes.size() >= 2, "deep", "sizes must be visible, hidden[, hidden ...]");
    std::vector<Activation> acts = o.activations;
    if (acts.empty()) {
        acts.assign(sizes.size() - 1, Activation::sigmoid);
        acts.back() = Activation::linear;
    }
    check(acts.size() == sizes.size() - 1, "deep",
          std::to_string(acts.size()) + " activations for " + std::to_string(sizes.size() - 1) + " encoder layers");
    for (std::size_t s : sizes) check(s > 0, "deep", "sizes must be positive");
    Sequence<T> e = dense_stack<T>(sizes, acts);
    Sequence<T> d = mirror(e, "encoder", o.tied, o.output);
    Autoencoder<T> model("deep", std::move(e), std::move(d), seed);
    add_reconstruction(model, o.reconstruction);
    if (o.lambda != 0) model.add_term(make_term(model, "weight_decay", {{"lambda", number_text(o.lambda)}}));
    return model;
}

template <class T>
Autoencoder<T> stacked(const std::vector<std::size_t>& sizes, const SparseKlOptions& o, std::uint64_t seed) {
    Autoencoder<T> model = dense_autoencoder<T>("stacked", sizes, o.encoder, o.decoder, false, seed);
    add_sparse_kl_terms(model, o);
    const std::size_t L = sizes.size() - 1;
    const ParamList<T> all = model.parameters();
    for (std::size_t i = 1; i <= L; ++i) {
        Autoencoder<T> layer = sparse_kl<T>({sizes[i - 1], sizes[i]}, o, seed + i);
        const ParamList<T> own = layer.parameters();
        find(all, "encoder." + std::to_string(2 * (i - 1)) + ".W") = find(own, "encoder.0.W");
        find(all, "decoder." + std::to_string(2 * (L - i)) + ".W") = find(own, "decoder.0.W");
    }
    return model;
}

template Autoencoder<float> deep(const std::vector<std::size_t>&, const DeepOptions&, std::uint64_t);
template Autoencoder<double> deep(const std::vector<std::size_t>&, const DeepOptions&, std::uint64_t);
template Autoencoder<float> stacked(const std::vector<std::size_t>&, const SparseKlOptions&, std::uint64_t);
template Autoencoder<double> stacked(const std::vector<std::size_t>&, const SparseKlOptions&, std::uint64_t);

}  // namespace ae
