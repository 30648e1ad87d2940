// models/contractive.hpp: contractive autoencoder (Rifai et al. 2011, ICML, "Contractive
// auto-encoders") and CAE+H (Rifai et al. 2011, ECML PKDD, "Higher order contractive auto-encoder").
#pragma once
#include "models/autoencoder.hpp"

namespace ae {

struct ContractiveOptions {
    double lambda = 0.1;  // weight of ||dh/dx||_F^2
    // How the penalty is computed: closed_form (dense encoder, the fast path), exact (nested
    // reverse mode, any encoder), projected (unbiased, `probes` random projections), stochastic (the
    // documents' lambda E||h(x) - h(x + eps)||^2, eps ~ N(0, sigma^2), about lambda sigma^2 ||J||^2).
    enum Form { closed_form, exact, projected, stochastic } form = closed_form;
    std::size_t probes = 4;   // projected
    double gamma = 0;         // CAE+H: weight of E||J(x) - J(x + eps)||_F^2 (0: none)
    double sigma = 0.1;       // CAE+H and stochastic: the perturbations' standard deviation
    std::size_t copies = 4;   // CAE+H and stochastic: perturbed copies per step
    Activation encoder = Activation::sigmoid, decoder = Activation::sigmoid;
    Reconstruction reconstruction = Reconstruction::cross_entropy;
    bool tied = true;
};

// Name "contractive". Terms: the reconstruction, "contractive" (or "stochastic_contractive"), and
// "contractive_h" when gamma > 0 (closed form with form = closed_form, else nested reverse mode).
template <class T>
Autoencoder<T> contractive(const std::vector<std::size_t>& sizes, const ContractiveOptions& options = {},
                           std::uint64_t seed = 1);

// Name "cae+h": the same with gamma > 0 required.
template <class T>
Autoencoder<T> contractive_h(const std::vector<std::size_t>& sizes, const ContractiveOptions& options,
                             std::uint64_t seed = 1);

}  // namespace ae
