// layers/dense.hpp: dense and tied layers, their activations, and UFLDL's initialisation.
#pragma once
#include <random>
#include <string>

#include "autodiff/tape.hpp"

namespace ae {

enum class Activation { linear, sigmoid, tanh, relu };

std::string name_of(Activation f);  // "linear", "sigmoid", "tanh", "relu"

template <class T> Var<T> activate(const Var<T>& z, Activation f);

// f'(z) from z or from the output h = f(z), whichever is cheaper (sigmoid h(1 - h), tanh 1 - h^2);
// differentiable, so the closed-form contractive penalty can be differentiated. relu gives a constant.
template <class T> Var<T> activation_derivative(const Var<T>& z, const Var<T>& h, Activation f);

// f(W x + b): W (out, in), x (in, examples), b (out, 1).
template <class T> Var<T> dense(const Var<T>& W, const Var<T>& b, const Var<T>& x, Activation f);

// f(W^T h + c): the decoder that reuses the encoder's W (out of the encoder = in of this layer).
template <class T> Var<T> tied_dense(const Var<T>& W, const Var<T>& c, const Var<T>& h, Activation f);

// Entries drawn from U[-r, r].
template <class T> Array<T> uniform(std::size_t rows, std::size_t cols, double r, std::mt19937_64& rng);

// UFLDL's initialisation radius for a layer between `hidden` and `visible` units:
// r = sqrt(6) / sqrt(hidden + visible + 1).
double ufldl_radius(std::size_t hidden, std::size_t visible);

}  // namespace ae
