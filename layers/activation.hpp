// layers/activation.hpp: element-wise activations, as functions on the tape and as a layer.
#pragma once
#include <memory>
#include <string>

#include "layers/layer.hpp"

namespace ae {

enum class Activation { linear, sigmoid, tanh, relu, softplus };

std::string name_of(Activation f);                     // "linear", "sigmoid", "tanh", "relu", "softplus"
Activation activation_named(const std::string& name);  // throws naming the activations there are

template <class T> Var<T> activate(const Var<T>& z, Activation f);

// Whether f's derivative is a function of its output alone (sigmoid, tanh, relu): then f may
// overwrite its input, which nothing else needs for the gradient (Sequence::forward).
bool derivative_from_output(Activation f);

// f'(z) from the output h = f(z) where it can (sigmoid h(1 - h), tanh 1 - h^2, relu h > 0; softplus
// reads z); differentiable, so the closed-form contractive penalty can be differentiated.
template <class T> Var<T> activation_derivative(const Var<T>& z, const Var<T>& h, Activation f);

// The layer: f applied to every entry; no parameters. Its text is the activation's name.
template <class T>
class Activate : public Layer<T> {
public:
    explicit Activate(Activation f) : m_f(f) {}
    Activation function() const { return m_f; }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Activate>(*this); }
    std::string text() const override { return name_of(m_f); }
    std::size_t output_size(std::size_t in) const override { return in; }
    Var<T> forward(const Var<T>& x, const Bound<T>&) const override { return activate(x, m_f); }

private:
    Activation m_f;
};

}  // namespace ae
