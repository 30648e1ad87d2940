// terms/contractive.cpp: Jacobian penalties through nested reverse mode and in closed form.
#include "terms/contractive.hpp"

#include <stdexcept>

#include "autodiff/functions.hpp"

namespace ae {
namespace {

template <class T>
Var<T> row_seed(const Var<T>& h, std::size_t j) {  // ones in row j, zeros elsewhere
    Array<T> s = xt::zeros<T>(h.shape());
    for (std::size_t t = 0; t < s.shape(1); ++t) s(j, t) = T(1);
    return h.tape->leaf(std::move(s));
}

template <class T>
Var<T> mean_of(const Vars<T>& terms, double scale) {  // scale * (sum of terms)
    if (terms.empty()) throw std::invalid_argument("contractive penalty: no probes or perturbations");
    Var<T> total = terms[0];
    for (std::size_t i = 1; i < terms.size(); ++i) total = total + terms[i];
    return total * scale;
}

}  // namespace

template <class T>
Vars<T> jacobian_rows(const Var<T>& h, const Var<T>& x) {
    Vars<T> rows;
    for (std::size_t j = 0; j < ae::rows(h); ++j)
        rows.push_back(vjp(h, {x}, row_seed(h, j), /*create_graph=*/true)[0]);
    return rows;
}

template <class T>
Var<T> contractive_exact(const Var<T>& h, const Var<T>& x, double lambda) {
    Vars<T> terms;
    for (const Var<T>& J : jacobian_rows(h, x)) terms.push_back(sum_squares(J));
    return mean_of(terms, lambda / double(cols(x)));
}

template <class T>
Var<T> contractive_projected(const Var<T>& h, const Var<T>& x, const std::vector<Array<T>>& probes,
                             double lambda) {
    Vars<T> terms;
    for (const Array<T>& v : probes) terms.push_back(sum_squares(vjp(h, {x}, h.tape->leaf(v), true)[0]));
    return mean_of(terms, lambda / double(cols(x) * probes.size()));
}

template <class T>
std::vector<Array<T>> rademacher_probes(const Shape& shape, std::size_t count, ExampleNoise& noise) {
    std::vector<Array<T>> probes;
    for (std::size_t p = 0; p < count; ++p) {
        Array<T> v = Array<T>::from_shape(shape);
        noise.draw(shape[1], [&](std::size_t j, SplitMix64& g) {
            for (std::size_t i = 0; i < shape[0]; ++i) v(i, j) = (g() >> 63) ? T(1) : T(-1);
        });
        probes.push_back(std::move(v));
    }
    return probes;
}

template <class T>
Var<T> contractive_dense(const Var<T>& d, const Var<T>& W, double lambda) {
    return sum(square(d) * sum(square(W), 1)) * (lambda / double(cols(d)));
}

template <class T>
Var<T> contractive_h_exact(const Encoder<T>& encode, const Var<T>& x, const std::vector<Array<T>>& eps,
                           double gamma) {
    const Vars<T> J = jacobian_rows(encode(x), x);
    Vars<T> terms;
    for (const Array<T>& e : eps) {
        Var<T> x_tilde = x + x.tape->leaf(e);
        const Vars<T> J_tilde = jacobian_rows(encode(x_tilde), x_tilde);
        for (std::size_t j = 0; j < J.size(); ++j) terms.push_back(sum_squares(J[j] - J_tilde[j]));
    }
    return mean_of(terms, gamma / double(cols(x) * eps.size()));
}

template <class T>
Var<T> contractive_h_dense(const Var<T>& d, const Vars<T>& d_perturbed, const Var<T>& W, double gamma) {
    const Var<T> norms = sum(square(W), 1);  // sum_i W_ji^2, one per hidden unit
    Vars<T> terms;
    for (const Var<T>& dt : d_perturbed) terms.push_back(sum(square(d - dt) * norms));
    return mean_of(terms, gamma / double(cols(d) * d_perturbed.size()));
}

template <class T>
Var<T> stochastic_contractive(const Var<T>& h, const Vars<T>& h_perturbed, double lambda) {
    Vars<T> terms;
    for (const Var<T>& ht : h_perturbed) terms.push_back(sum_squares(h - ht));
    return mean_of(terms, lambda / double(cols(h) * h_perturbed.size()));
}

template <class T>
std::vector<Array<T>> gaussian_perturbations(const Shape& shape, double sigma, std::size_t count,
                                             ExampleNoise& noise) {
    std::vector<Array<T>> eps;
    for (std::size_t c = 0; c < count; ++c) {
        Array<T> e = Array<T>::from_shape(shape);
        noise.draw(shape[1], [&](std::size_t j, SplitMix64& g) {
            std::normal_distribution<double> normal(0.0, sigma);
            for (std::size_t i = 0; i < shape[0]; ++i) e(i, j) = T(normal(g));
        });
        eps.push_back(std::move(e));
    }
    return eps;
}

#define AEZOO_INSTANTIATE(T)                                                                          \
    template Vars<T> jacobian_rows(const Var<T>&, const Var<T>&);                                     \
    template Var<T> contractive_exact(const Var<T>&, const Var<T>&, double);                          \
    template Var<T> contractive_projected(const Var<T>&, const Var<T>&, const std::vector<Array<T>>&, \
                                          double);                                                    \
    template std::vector<Array<T>> rademacher_probes(const Shape&, std::size_t, ExampleNoise&);    \
    template Var<T> contractive_dense(const Var<T>&, const Var<T>&, double);                          \
    template Var<T> contractive_h_exact(const Encoder<T>&, const Var<T>&, const std::vector<Array<T>>&, \
                                        double);                                                      \
    template Var<T> contractive_h_dense(const Var<T>&, const Vars<T>&, const Var<T>&, double);        \
    template Var<T> stochastic_contractive(const Var<T>&, const Vars<T>&, double);                    \
    template std::vector<Array<T>> gaussian_perturbations(const Shape&, double, std::size_t,          \
                                                          ExampleNoise&);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
