// layers/dense.cpp: dense layers over the primitives (no VJPs of their own).
#include "layers/dense.hpp"

#include <cmath>

#include "autodiff/functions.hpp"

namespace ae {

std::string name_of(Activation f) {
    switch (f) {
        case Activation::linear: return "linear";
        case Activation::sigmoid: return "sigmoid";
        case Activation::tanh: return "tanh";
        case Activation::relu: return "relu";
    }
    return "unknown";
}

template <class T>
Var<T> activate(const Var<T>& z, Activation f) {
    switch (f) {
        case Activation::sigmoid: return sigmoid(z);
        case Activation::tanh: return tanh(z);
        case Activation::relu: return relu(z);
        case Activation::linear: break;
    }
    return z;
}

template <class T>
Var<T> activation_derivative(const Var<T>& z, const Var<T>& h, Activation f) {
    switch (f) {
        case Activation::sigmoid: return h * (1.0 - h);
        case Activation::tanh: return 1.0 - square(h);
        case Activation::relu: return step(z);
        case Activation::linear: break;
    }
    return z.tape->leaf(Array<T>(xt::ones<T>(z.shape())));
}

template <class T>
Var<T> dense(const Var<T>& W, const Var<T>& b, const Var<T>& x, Activation f) {
    return activate(affine(W, x, b), f);
}

template <class T>
Var<T> tied_dense(const Var<T>& W, const Var<T>& c, const Var<T>& h, Activation f) {
    return activate(affine(W, h, c, /*tw=*/true), f);
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

#define AEZOO_INSTANTIATE(T)                                                               \
    template Var<T> activate(const Var<T>&, Activation);                                   \
    template Var<T> activation_derivative(const Var<T>&, const Var<T>&, Activation);       \
    template Var<T> dense(const Var<T>&, const Var<T>&, const Var<T>&, Activation);        \
    template Var<T> tied_dense(const Var<T>&, const Var<T>&, const Var<T>&, Activation);   \
    template Array<T> uniform(std::size_t, std::size_t, double, std::mt19937_64&);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
