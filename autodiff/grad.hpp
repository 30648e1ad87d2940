// autodiff/grad.hpp: reverse-mode differentiation over a tape: vjp, grad, value_and_grad.
#pragma once
#include <vector>

#include "autodiff/tape.hpp"

namespace ae {

template <class T>
using Vars = std::vector<Var<T>>;

// Cotangents of `wrt` for the cotangent `seed` of y (same shape as y). An input y does not
// depend on gets zeros. With create_graph the backward pass is recorded, so its results can be
// differentiated again; without it nothing is recorded and the sweep costs a plain backward pass.
template <class T>
Vars<T> vjp(const Var<T>& y, const Vars<T>& wrt, const Var<T>& seed, bool create_graph = false);

// Gradients of a scalar (1x1) y.
template <class T>
Vars<T> grad(const Var<T>& y, const Vars<T>& wrt, bool create_graph = false);

extern template Vars<float> vjp(const Var<float>&, const Vars<float>&, const Var<float>&, bool);
extern template Vars<double> vjp(const Var<double>&, const Vars<double>&, const Var<double>&, bool);
extern template Vars<float> grad(const Var<float>&, const Vars<float>&, bool);
extern template Vars<double> grad(const Var<double>&, const Vars<double>&, bool);

}  // namespace ae
