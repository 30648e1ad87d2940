// models/contractive.cpp: CAE and CAE+H as compositions of the Jacobian penalties.
#include "models/contractive.hpp"

#include "models/terms.hpp"
#include <limits>

#include "util/check.hpp"
#include "util/options.hpp"

namespace ae {
namespace {

template <class T>
Autoencoder<T> build(const std::string& name, const std::vector<std::size_t>& sizes, const ContractiveOptions& o,
                     std::uint64_t seed) {
    Autoencoder<T> model = dense_autoencoder<T>(name, sizes, o.encoder, o.decoder, o.tied, seed);
    add_reconstruction(model, o.reconstruction);
    const std::string lambda = number_text(o.lambda), sigma = number_text(o.sigma), copies = std::to_string(o.copies);
    if (o.form == ContractiveOptions::stochastic)
        model.add_term(make_term(model, "stochastic_contractive", {{"lambda", lambda}, {"sigma", sigma}, {"copies", copies}}));
    else {
        const char* form = o.form == ContractiveOptions::closed_form ? "closed-form"
                         : o.form == ContractiveOptions::exact       ? "exact" : "projected";
        model.add_term(make_term(model, "contractive", {{"lambda", lambda}, {"form", form}, {"probes", std::to_string(o.probes)}}));
    }
    if (o.gamma != 0)
        model.add_term(make_term(model, "contractive_h",
                                 {{"gamma", number_text(o.gamma)}, {"sigma", sigma}, {"copies", copies},
                                  {"form", o.form == ContractiveOptions::closed_form ? "closed-form" : "exact"}}));
    return model;
}

}  // namespace

template <class T>
Autoencoder<T> contractive(const std::vector<std::size_t>& sizes, const ContractiveOptions& o, std::uint64_t seed) {
    return build<T>("contractive", sizes, o, seed);
}

template <class T>
Autoencoder<T> contractive_h(const std::vector<std::size_t>& sizes, const ContractiveOptions& o, std::uint64_t seed) {
    check_range("cae+h", "gamma", o.gamma, '(', 0, inf, ')');
    return build<T>("cae+h", sizes, o, seed);
}

template Autoencoder<float> contractive(const std::vector<std::size_t>&, const ContractiveOptions&, std::uint64_t);
template Autoencoder<double> contractive(const std::vector<std::size_t>&, const ContractiveOptions&, std::uint64_t);
template Autoencoder<float> contractive_h(const std::vector<std::size_t>&, const ContractiveOptions&, std::uint64_t);
template Autoencoder<double> contractive_h(const std::vector<std::size_t>&, const ContractiveOptions&, std::uint64_t);

}  // namespace ae
