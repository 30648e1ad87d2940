// layers/activation.cpp: activations over the primitives (no VJPs of their own).
#include "layers/activation.hpp"

#include <stdexcept>

#include "autodiff/functions.hpp"

namespace ae {

namespace {
constexpr Activation all[] = {Activation::linear, Activation::sigmoid, Activation::tanh, Activation::relu,
                              Activation::softplus};
}

std::string name_of(Activation f) {
    switch (f) {
        case Activation::linear: return "linear";
        case Activation::sigmoid: return "sigmoid";
        case Activation::tanh: return "tanh";
        case Activation::relu: return "relu";
        case Activation::softplus: return "softplus";
    }
    return "unknown";
}

Activation activation_named(const std::string& name) {
    std::string list;
    for (Activation f : all) {
        if (name_of(f) == name) return f;
        list += (list.empty() ? "" : ", ") + name_of(f);
    }
    throw std::invalid_argument("'" + name + "' is not an activation (" + list + ")");
}

bool derivative_from_output(Activation f) {
    return f == Activation::sigmoid || f == Activation::tanh || f == Activation::relu;
}

template <class T>
Var<T> activate(const Var<T>& z, Activation f) {
    switch (f) {
        case Activation::sigmoid: return sigmoid(z);
        case Activation::tanh: return tanh(z);
        case Activation::relu: return relu(z);
        case Activation::softplus: return softplus(z);
        case Activation::linear: break;
    }
    return z;
}

template <class T>
Var<T> activation_derivative(const Var<T>& z, const Var<T>& h, Activation f) {
    switch (f) {
        case Activation::sigmoid: return h * (1.0 - h);
        case Activation::tanh: return 1.0 - square(h);
        case Activation::relu: return step(h);  // h, not z: z may have been overwritten by h (Sequence)
        case Activation::softplus: return sigmoid(z);
        case Activation::linear: break;
    }
    return h.tape->leaf(Array<T>(xt::ones<T>(h.shape())));
}

#define AEZOO_INSTANTIATE(T)                                                         \
    template Var<T> activate(const Var<T>&, Activation);                             \
    template Var<T> activation_derivative(const Var<T>&, const Var<T>&, Activation);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
