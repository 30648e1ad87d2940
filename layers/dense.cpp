// layers/dense.cpp: dense and tied layers over the primitives (no VJPs of their own).
#include "layers/dense.hpp"

#include <cmath>
#include <stdexcept>

#include "autodiff/ops.hpp"

namespace ae {

namespace {
std::size_t fitting(const std::string& layer, std::size_t expected, std::size_t in, std::size_t out) {
    if (in != expected)
        throw std::invalid_argument(layer + " takes " + std::to_string(expected) + " inputs, given " +
                                    std::to_string(in));
    return out;
}
}  // namespace

template <class T>
Dense<T>::Dense(std::size_t in, std::size_t out)
    : W(xt::zeros<T>({out, in})), b(xt::zeros<T>({out, std::size_t(1)})) {
    if (in == 0 || out == 0)
        throw std::invalid_argument("dense " + std::to_string(in) + " " + std::to_string(out) + ": sizes must be positive");
}

template <class T>
std::string Dense<T>::text() const {
    return "dense " + std::to_string(in()) + " " + std::to_string(out());
}

template <class T>
std::size_t Dense<T>::output_size(std::size_t n) const {
    return fitting(text(), in(), n, out());
}

template <class T>
void Dense<T>::initialize(std::mt19937_64& rng) {
    W = uniform<T>(out(), in(), ufldl_radius(out(), in()), rng);
    b.fill(T(0));
}

template <class T>
Var<T> Dense<T>::forward(const Var<T>& x, const Bound<T>& p) const {
    return affine(p["W"], x, p["b"]);
}

template <class T>
TiedDense<T>::TiedDense(std::string weight, std::size_t in, std::size_t out)
    : b(xt::zeros<T>({out, std::size_t(1)})), m_weight(std::move(weight)), m_in(in) {
    if (in == 0 || out == 0) throw std::invalid_argument(text() + ": sizes must be positive");
}

template <class T>
std::string TiedDense<T>::text() const {
    return "tied " + m_weight + " " + std::to_string(m_in) + " " + std::to_string(b.shape(0));
}

template <class T>
std::size_t TiedDense<T>::output_size(std::size_t n) const {
    return fitting(text(), m_in, n, b.shape(0));
}

template <class T>
Var<T> TiedDense<T>::forward(const Var<T>& x, const Bound<T>& p) const {
    return affine(p.at(m_weight), x, p["b"], /*tw=*/true);
}

template <class T>
Array<T> uniform(std::size_t rows, std::size_t cols, double r, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(-r, r);
    Array<T> a = Array<T>::from_shape({rows, cols});
    for (T& e : a) e = T(u(rng));
    return a;
}

double ufldl_radius(std::size_t hidden, std::size_t visible) {
    return std::sqrt(6.0) / std::sqrt(double(hidden + visible + 1));
}

template class Dense<float>;
template class Dense<double>;
template class TiedDense<float>;
template class TiedDense<double>;
template Array<float> uniform(std::size_t, std::size_t, double, std::mt19937_64&);
template Array<double> uniform(std::size_t, std::size_t, double, std::mt19937_64&);

}  // namespace ae
