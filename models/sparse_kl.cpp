// models/sparse_kl.cpp: the sparse autoencoder as a composition of loss terms.
#include "models/sparse_kl.hpp"

#include "models/terms.hpp"
#include "util/options.hpp"

namespace ae {

template <class T>
Autoencoder<T>& add_sparse_kl_terms(Autoencoder<T>& model, const SparseKlOptions& o) {
    add_reconstruction(model, Reconstruction::squared_error);
    model.add_term(make_term(model, "weight_decay", {{"lambda", number_text(o.lambda)}}));
    return model.add_term(make_term(model, o.penalty == SparseKlOptions::kl ? "kl_sparsity" : "squared_sparsity",
                                    {{"rho", number_text(o.rho)}, {"beta", number_text(o.beta)}}));
}

template <class T>
Autoencoder<T> sparse_kl(const std::vector<std::size_t>& sizes, const SparseKlOptions& o, std::uint64_t seed) {
    Autoencoder<T> model = dense_autoencoder<T>("sparse-kl", sizes, o.encoder, o.decoder, false, seed);
    add_sparse_kl_terms(model, o);
    return model;
}

template Autoencoder<float>& add_sparse_kl_terms(Autoencoder<float>&, const SparseKlOptions&);
template Autoencoder<double>& add_sparse_kl_terms(Autoencoder<double>&, const SparseKlOptions&);
template Autoencoder<float> sparse_kl(const std::vector<std::size_t>&, const SparseKlOptions&, std::uint64_t);
template Autoencoder<double> sparse_kl(const std::vector<std::size_t>&, const SparseKlOptions&, std::uint64_t);

}  // namespace ae
