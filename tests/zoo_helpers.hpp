// tests/zoo_helpers.hpp: small helpers shared by the zoo's tests: random problems, plain-xtensor
// matrix products for the hand derivations, a model gradient check, a gradient-descent loop.
#pragma once
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <xtensor/xmanipulation.hpp>
#include <xtensor/xmath.hpp>

#include "autodiff/functions.hpp"
#include "autodiff/gradcheck.hpp"
#include "models/loss.hpp"

namespace zoo_test {

using ae::Array;
using A = Array<double>;

inline A random_array(std::size_t rows, std::size_t cols, double lo, double hi, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    A a = A::from_shape({rows, cols});
    for (double& e : a) e = u(rng);
    return a;
}

// a b, by loops: the hand derivations stay independent of the library's BLAS calls.
inline A mm(const A& a, const A& b) {
    A c = xt::zeros<double>({a.shape(0), b.shape(1)});
    for (std::size_t i = 0; i < a.shape(0); ++i)
        for (std::size_t k = 0; k < a.shape(1); ++k)
            for (std::size_t j = 0; j < b.shape(1); ++j) c(i, j) += a(i, k) * b(k, j);
    return c;
}

inline A tr(const A& a) { return xt::transpose(a); }

inline A logistic(const A& z) { return 1.0 / (1.0 + xt::exp(-z)); }

// Reducers are evaluated into arrays before use: in xtensor 0.24 a lazy keep_dims reducer
// broadcast inside an element-wise expression reads the wrong memory (seen here with W * sum(d, {1},
// keep_dims): garbage values).
inline A row_mean(const A& a) { return xt::sum(a, {1}, xt::keep_dims) / double(a.shape(1)); }

inline double max_abs_diff(const A& a, const A& b) {
    if (a.shape() != b.shape()) return INFINITY;
    return xt::amax(xt::abs(a - b))();
}

inline double max_abs(const A& a) { return xt::amax(xt::abs(a))(); }

// Relative difference of two arrays: max |a - b| / max(|b|, tiny).
inline double rel_diff(const A& a, const A& b) { return max_abs_diff(a, b) / std::max(max_abs(b), 1e-300); }

inline std::vector<A> arrays_of(const ae::ParamList<double>& params) {
    std::vector<A> at;
    for (const auto& p : params) at.push_back(*p.array);
    return at;
}

// The library's gradient check over every entry of every parameter (five-point stencil).
inline ae::GradCheck check_loss(const ae::ParamList<double>& params, const ae::LossFn<double>& loss) {
    return ae::check_gradient(ae::as_function(loss), arrays_of(params));
}

// The value and gradient of a scalar function of arrays, on a fresh tape.
struct ValueGrad {
    double value;
    std::vector<A> grad;
};
inline ValueGrad value_grad(const ae::Function& f, const std::vector<A>& at) {
    ae::Tape<double> tape;
    ae::Vars<double> in;
    for (const A& a : at) in.push_back(tape.borrow(a));
    ae::Var<double> y = f(in);
    ValueGrad r{ae::item(y), {}};
    for (const ae::Var<double>& g : ae::grad(y, in)) r.grad.push_back(g.value());
    return r;
}

// Gradient descent with optional heavy-ball momentum (a stand-in for the optimiser engineer's
// trainers): v <- momentum v - rate g, theta <- theta + v. Returns the loss at the last step.
template <class T>
double descend(const ae::ParamList<T>& params, const ae::LossFn<T>& loss, std::size_t steps, double rate,
               double momentum = 0) {
    ae::Tape<T> tape;
    std::vector<Array<T>> velocity;
    for (const auto& p : params) velocity.push_back(xt::zeros_like(*p.array));
    double last = 0;
    for (std::size_t s = 0; s < steps; ++s) {
        ae::Evaluation<T> e = ae::evaluate(tape, params, loss);
        last = e.total;
        for (std::size_t i = 0; i < params.size(); ++i) {
            velocity[i] = T(momentum) * velocity[i] - T(rate) * e.gradient[i];
            *params[i].array += velocity[i];
        }
    }
    return last;
}

}  // namespace zoo_test
