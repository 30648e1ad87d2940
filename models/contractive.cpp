// models/contractive.cpp: CAE and CAE+H as compositions of the Jacobian penalties.
#include "models/contractive.hpp"

#include <limits>

#include "autodiff/operators.hpp"
#include "layers/check.hpp"
#include "layers/contractive.hpp"

namespace ae {
namespace {

template <class T>
Var<T> penalty(const ContractiveOptions& o, const Pass<T>& f) {
    switch (o.form) {
        case ContractiveOptions::closed_form: return contractive_dense(f.code.derivative(), f.W1, o.lambda);
        case ContractiveOptions::exact: return contractive_exact(f.h, f.x_in, o.lambda);
        case ContractiveOptions::projected:
            return contractive_projected(f.h, f.x_in, rademacher_probes<T>(f.h.shape(), o.probes, *f.rng), o.lambda);
        case ContractiveOptions::stochastic: break;
    }
    Vars<T> h_tilde;
    for (const Array<T>& e : gaussian_perturbations<T>(f.x_in.shape(), o.sigma, o.copies, *f.rng))
        h_tilde.push_back(f.encode(f.x_in + f.x.tape->leaf(e)).h);
    return stochastic_contractive(f.h, h_tilde, o.lambda);
}

template <class T>
Var<T> higher_order(const ContractiveOptions& o, const Pass<T>& f) {
    const std::vector<Array<T>> eps = gaussian_perturbations<T>(f.x_in.shape(), o.sigma, o.copies, *f.rng);
    if (o.form != ContractiveOptions::closed_form) {
        Encoder<T> encode = [&f](const Var<T>& x) { return f.encode(x).h; };
        return contractive_h_exact(encode, f.x_in, eps, o.gamma);
    }
    Vars<T> d_tilde;
    for (const Array<T>& e : eps) d_tilde.push_back(f.encode(f.x_in + f.x.tape->leaf(e)).derivative());
    return contractive_h_dense(f.code.derivative(), d_tilde, f.W1, o.gamma);
}

template <class T>
Autoencoder<T> build(const std::string& name, std::size_t visible, std::size_t hidden, const ContractiveOptions& o,
                     std::uint64_t seed) {
    const double inf = std::numeric_limits<double>::infinity();
    check_range(name, "lambda", o.lambda, '[', 0, inf, ')');
    check_range(name, "gamma", o.gamma, '[', 0, inf, ')');
    if (o.form == ContractiveOptions::projected) check_range(name, "probes", double(o.probes), '[', 1, inf, ')');
    if (o.gamma > 0 || o.form == ContractiveOptions::stochastic) {
        check_range(name, "sigma", o.sigma, '(', 0, inf, ')');
        check_range(name, "copies", double(o.copies), '[', 1, inf, ')');
    }
    Autoencoder<T> model(name, {visible, hidden, o.encoder, o.decoder, o.tied, o.reconstruction}, seed);
    model.add_term(o.form == ContractiveOptions::stochastic ? "stochastic_contractive" : "contractive",
                   [o](const Pass<T>& f) { return penalty(o, f); });
    if (o.gamma > 0) model.add_term("contractive_h", [o](const Pass<T>& f) { return higher_order(o, f); });
    return model;
}

}  // namespace

template <class T>
Autoencoder<T> contractive(std::size_t visible, std::size_t hidden, const ContractiveOptions& o, std::uint64_t seed) {
    return build<T>("contractive", visible, hidden, o, seed);
}

template <class T>
Autoencoder<T> contractive_h(std::size_t visible, std::size_t hidden, const ContractiveOptions& o, std::uint64_t seed) {
    check_range("cae+h", "gamma", o.gamma, '(', 0, std::numeric_limits<double>::infinity(), ')');
    return build<T>("cae+h", visible, hidden, o, seed);
}

template Autoencoder<float> contractive(std::size_t, std::size_t, const ContractiveOptions&, std::uint64_t);
template Autoencoder<double> contractive(std::size_t, std::size_t, const ContractiveOptions&, std::uint64_t);
template Autoencoder<float> contractive_h(std::size_t, std::size_t, const ContractiveOptions&, std::uint64_t);
template Autoencoder<double> contractive_h(std::size_t, std::size_t, const ContractiveOptions&, std::uint64_t);

}  // namespace ae
