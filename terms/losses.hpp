// terms/losses.hpp: the loss terms, each one differentiable function returning a 1x1 Var.
// Examples are columns; every per-example sum is averaged over the m examples of the batch.
#pragma once
#include <vector>

#include "autodiff/grad.hpp"
#include "layers/activation.hpp"

namespace ae {

// (1/m) sum_t 1/2 ||x_hat_t - x_t||^2, as in the documents.
template <class T> Var<T> squared_error(const Var<T>& x_hat, const Var<T>& x);

// Binary cross-entropy from the decoder's pre-activation a (x_hat = sigmoid(a)), computed stably as
// (1/m) sum [softplus(a) - x a] = (1/m) sum -[x log x_hat + (1 - x) log(1 - x_hat)]: finite for any a.
template <class T> Var<T> cross_entropy_logits(const Var<T>& a, const Var<T>& x);

// (lambda/2) sum W^2 over the given weight matrices (not the biases).
template <class T> Var<T> weight_decay(const Vars<T>& weights, double lambda);

// rho_hat: each hidden unit's mean activation over the batch (hidden x 1). tanh units are mapped
// to (h + 1)/2 first, as the documents' footnote implies (inactive means -1 for tanh).
template <class T> Var<T> mean_activation(const Var<T>& h, Activation f);

// beta sum_j KL(rho || rho_hat_j). rho_hat is CLAMPED into [eps, 1 - eps] (eps: the machine
// epsilon of T) when a unit's mean reaches 0 or 1 (a sigmoid saturates to exactly 0 or 1 beyond
// |z| ~ 37 in double): the value stays finite, and the gradient passes straight through the clamp
// (it is the unclamped formula's, evaluated at the clamped rho_hat), so it still points back into
// (0, 1). Never a NaN; a unit saturated over the whole batch costs about beta * 36 (double).
template <class T> Var<T> kl_sparsity(const Var<T>& rho_hat, double rho, double beta);

// The documents' alternative penalty: (beta/2) sum_j (rho_hat_j - rho)^2.
template <class T> Var<T> squared_sparsity(const Var<T>& rho_hat, double rho, double beta);

// Softmax classifier loss: -(1/m) sum_t y_t . log softmax(logits_t), logits and one-hot y of shape
// (classes, m).
template <class T> Var<T> softmax_cross_entropy(const Var<T>& logits, const Var<T>& y);

// Labels 0..classes-1 as one-hot columns (classes, m); throws on a label out of range.
template <class T> Array<T> one_hot(const std::vector<std::size_t>& labels, std::size_t classes);

}  // namespace ae
