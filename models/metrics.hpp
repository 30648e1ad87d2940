// models/metrics.hpp: what a trained model is measured by: reconstruction error per example, the
// encoder's Jacobian (the contractive papers' figures), dead code units of a top-k model, and
// classification accuracy. Examples are columns.
#pragma once
#include <cstddef>
#include <vector>

#include "models/model.hpp"

namespace ae {

// (1/m) sum_t ||x_hat_t - x_t||^2 (no 1/2: the figure the deep-autoencoder papers print).
template <class T> double squared_error_per_example(const Array<T>& x_hat, const Array<T>& x);

struct JacobianStats {
    double mean_frobenius = 0;  // (1/m) sum_t ||dh/dx (x_t)||_F
    double mean_square = 0;     // (1/m) sum_t ||J_t||_F^2 / (code x inputs): Rifai et al.'s mean squared entry
};
// Closed form for an encoder of one dense layer and an activation, nested reverse mode otherwise.
template <class T> JacobianStats jacobian_stats(const Autoencoder<T>& model, const Array<T>& x);

// Code units of a top-k model chosen for no example of x (the model must keep a top k).
template <class T> std::size_t dead_units(const Autoencoder<T>& model, const Array<T>& x);

// The fraction of predictions equal to the labels.
double classification_accuracy(const std::vector<std::size_t>& predicted, const std::vector<std::size_t>& labels);

}  // namespace ae
