// models/softmax.cpp: softmax regression on the tape.
#include "models/softmax.hpp"

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

#include <xtensor-blas/xlinalg.hpp>

#include "autodiff/functions.hpp"
#include "autodiff/operators.hpp"
#include "layers/dense.hpp"
#include "terms/losses.hpp"

namespace ae {

template <class T>
SoftmaxRegression<T>::SoftmaxRegression(std::size_t features, std::size_t classes, double lambda, std::uint64_t seed)
    : m_lambda(lambda) {
    if (features == 0 || classes < 2)
        throw std::invalid_argument("softmax: need features >= 1 and classes >= 2, got " + std::to_string(features) +
                                    " and " + std::to_string(classes));
    if (!(lambda >= 0)) throw std::invalid_argument("softmax: lambda = " + std::to_string(lambda) + " is below 0");
    std::mt19937_64 rng(seed);
    W = uniform<T>(classes, features, ufldl_radius(classes, features), rng);
    b = xt::zeros<T>({classes, std::size_t(1)});
}

template <class T>
ParamList<T> SoftmaxRegression<T>::parameters() {
    return {{"softmax.W", &W, true}, {"softmax.b", &b, false}};
}

template <class T>
Loss<T> SoftmaxRegression<T>::loss(const Vars<T>& p, const Var<T>& x, const Var<T>& y) const {
    if (p.size() != 2) throw std::invalid_argument("softmax: loss expects 2 parameters (W, b), got " + std::to_string(p.size()));
    Loss<T> l;
    l.add("cross_entropy", softmax_cross_entropy(affine(p[0], x, p[1]), y));
    l.add("weight_decay", weight_decay(Vars<T>{p[0]}, m_lambda));
    return l;
}

template <class T>
LossFn<T> SoftmaxRegression<T>::loss_fn(const Array<T>& x, const Array<T>& y) const {
    return [this, &x, &y](const Vars<T>& p) {
        Tape<T>& tape = *p.at(0).tape;
        return loss(p, tape.borrow(x), tape.borrow(y));
    };
}

template <class T>
Array<T> SoftmaxRegression<T>::probabilities(const Array<T>& x) const {
    Array<T> z = xt::linalg::dot(W, x);
    for (std::size_t t = 0; t < z.shape(1); ++t) {
        double top = -INFINITY;
        for (std::size_t c = 0; c < z.shape(0); ++c) top = std::max(top, double(z(c, t) += b(c, 0)));
        double s = 0;
        for (std::size_t c = 0; c < z.shape(0); ++c) s += double(z(c, t) = T(std::exp(double(z(c, t)) - top)));
        for (std::size_t c = 0; c < z.shape(0); ++c) z(c, t) = T(double(z(c, t)) / s);
    }
    return z;
}

template <class T>
std::vector<std::size_t> SoftmaxRegression<T>::predict(const Array<T>& x) const {
    const Array<T> p = probabilities(x);
    std::vector<std::size_t> labels(p.shape(1), 0);
    for (std::size_t t = 0; t < p.shape(1); ++t)
        for (std::size_t c = 1; c < p.shape(0); ++c)
            if (p(c, t) > p(labels[t], t)) labels[t] = c;
    return labels;
}

template class SoftmaxRegression<float>;
template class SoftmaxRegression<double>;

}  // namespace ae
