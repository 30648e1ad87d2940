// terms/contractive.hpp: the contractive penalty lambda ||dh/dx||_F^2 (Rifai et al. 2011) three
// ways, its higher-order companion of CAE+H, and the documents' stochastic contractive term.
// Every penalty is averaged over the m examples (columns) of the batch, like the reconstruction.
#pragma once
#include <functional>
#include <random>
#include <vector>

#include "autodiff/grad.hpp"
#include "util/random.hpp"

namespace ae {

// (1) Exact, for any encoder h(x) whose examples are independent: one recorded VJP per hidden unit
// (a seed of ones in row j gives dh_j/dx for every example at once), so the penalty can itself be
// differentiated. Costs one backward pass of the encoder per hidden unit.
template <class T> Var<T> contractive_exact(const Var<T>& h, const Var<T>& x, double lambda);

// (2) Unbiased estimate for large encoders: the mean over probes v of ||J^T v||^2, one recorded VJP
// per probe. Each probe has h's shape with entries whose E[v v^T] = I per example (Rademacher).
template <class T>
Var<T> contractive_projected(const Var<T>& h, const Var<T>& x, const std::vector<Array<T>>& probes,
                             double lambda);
template <class T>
std::vector<Array<T>> rademacher_probes(const Shape& shape, std::size_t count, ExampleNoise& noise);

// (3) Closed form for a dense encoder h = f(W x + b) with an element-wise f:
// sum_j (f'(z_j))^2 sum_i W_ji^2, given d = f'(z) (hidden x m) and W (hidden x visible).
template <class T> Var<T> contractive_dense(const Var<T>& d, const Var<T>& W, double lambda);

// The Jacobian row by row: element j is dh_j/dx for every example (visible x m), recorded.
template <class T> Vars<T> jacobian_rows(const Var<T>& h, const Var<T>& x);

// CAE+H: gamma E ||J(x) - J(x + eps)||_F^2 over the given perturbed copies. `encode` maps an input
// to its code at fixed parameters (generic form); the dense form takes d = f'(z) at x and at each
// x + eps (closed form, as (3)).
template <class T> using Encoder = std::function<Var<T>(const Var<T>&)>;
template <class T>
Var<T> contractive_h_exact(const Encoder<T>& encode, const Var<T>& x, const std::vector<Array<T>>& eps,
                           double gamma);
template <class T>
Var<T> contractive_h_dense(const Var<T>& d, const Vars<T>& d_perturbed, const Var<T>& W, double gamma);

// The documents' stochastic contractive term: lambda E ||h(x) - h(x~)||^2 over the given codes of
// perturbed copies x~ = x + eps (about lambda sigma^2 ||J||_F^2 for small Gaussian eps).
template <class T>
Var<T> stochastic_contractive(const Var<T>& h, const Vars<T>& h_perturbed, double lambda);

// count arrays of N(0, sigma^2) entries.
template <class T>
std::vector<Array<T>> gaussian_perturbations(const Shape& shape, double sigma, std::size_t count,
                                             ExampleNoise& noise);

}  // namespace ae
