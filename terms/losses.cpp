// terms/losses.cpp: loss terms written with primitives; none has a VJP of its own.
#include "terms/losses.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <xtensor/xmath.hpp>

#include "autodiff/functions.hpp"

namespace ae {

template <class T>
Var<T> squared_error(const Var<T>& x_hat, const Var<T>& x) {
    return squared_distance(x_hat, x) * (0.5 / double(cols(x)));  // never stores x_hat - x
}

template <class T>
Var<T> cross_entropy_logits(const Var<T>& a, const Var<T>& x) {
    return bce_with_logits(a, x) / double(cols(x));
}

template <class T>
Var<T> weight_decay(const Vars<T>& weights, double lambda) {
    if (weights.empty()) throw std::invalid_argument("weight_decay: no weights");
    Var<T> total = sum_squares(weights[0]);
    for (std::size_t i = 1; i < weights.size(); ++i) total = total + sum_squares(weights[i]);
    return total * (lambda / 2);
}

template <class T>
Var<T> mean_activation(const Var<T>& h, Activation f) {
    Var<T> a = f == Activation::tanh ? (h + 1.0) * 0.5 : h;
    return batch_mean(a);
}

template <class T>
Var<T> kl_sparsity(const Var<T>& rho_hat, double rho, double beta) {
    const double eps = std::numeric_limits<T>::epsilon();
    Var<T> r = rho_hat;
    const Array<T>& v = rho_hat.value();
    if (std::any_of(v.begin(), v.end(), [eps](T e) { return e < eps || e > 1 - eps; })) {
        // Clamp with a constant shift: the value is clamped, the gradient passes straight through.
        Array<T> shift = xt::clip(v, T(eps), T(1 - eps)) - v;
        r = rho_hat + rho_hat.tape->leaf(std::move(shift));
    }
    // rho log(rho / r) + (1 - rho) log((1 - rho) / (1 - r)), summed over the units
    Var<T> kl = (-rho) * log(r) - (1 - rho) * log(1.0 - r);
    const double constant = rho * std::log(rho) + (1 - rho) * std::log(1 - rho);  // per unit
    return (sum(kl) + constant * double(rows(rho_hat))) * beta;
}

template <class T>
Var<T> squared_sparsity(const Var<T>& rho_hat, double rho, double beta) {
    return sum_squares(rho_hat - rho) * (beta / 2);
}

template <class T>
Var<T> softmax_cross_entropy(const Var<T>& logits, const Var<T>& y) {
    if (logits.shape() != y.shape()) throw ShapeError("softmax_cross_entropy", logits.shape(), y.shape(), "differ");
    return -sum(y * log_softmax(logits, 0)) / double(cols(y));
}

template <class T>
Array<T> one_hot(const std::vector<std::size_t>& labels, std::size_t classes) {
    Array<T> y = xt::zeros<T>({classes, labels.size()});
    for (std::size_t t = 0; t < labels.size(); ++t) {
        if (labels[t] >= classes)
            throw std::invalid_argument("one_hot: label " + std::to_string(labels[t]) + " of example " +
                                        std::to_string(t) + " is not below " + std::to_string(classes));
        y(labels[t], t) = T(1);
    }
    return y;
}

#define AEZOO_INSTANTIATE(T)                                                    \
    template Var<T> squared_error(const Var<T>&, const Var<T>&);                \
    template Var<T> cross_entropy_logits(const Var<T>&, const Var<T>&);         \
    template Var<T> weight_decay(const Vars<T>&, double);                       \
    template Var<T> mean_activation(const Var<T>&, Activation);                 \
    template Var<T> kl_sparsity(const Var<T>&, double, double);                 \
    template Var<T> squared_sparsity(const Var<T>&, double, double);            \
    template Var<T> softmax_cross_entropy(const Var<T>&, const Var<T>&);        \
    template Array<T> one_hot(const std::vector<std::size_t>&, std::size_t);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
