// autodiff/gradcheck.hpp: gradient checking, for users' own models as much as for our tests.
//
// Checks run in double precision. The numerical derivative is a central difference: by default
// the five-point stencil (f(x-2h) - 8f(x-h) + 8f(x+h) - f(x+2h)) / 12h with h = 1e-3, whose
// truncation error (~h^4 f^(5)/30 ≈ 3e-14) and rounding error (~eps |f| / h ≈ 2e-13 |f|) are both
// far below the gradients being checked, so the UFLDL metric comes out near 1e-11 for smooth
// functions; a wrong VJP gives a metric of order 1. The two-point stencil (f(x+h) - f(x-h)) / 2h
// with h = 1e-4 is UFLDL's own (their metric for a correct gradient: below 1e-9).
// Functions with kinks (relu, top-k) must be checked at points farther than 2h from the kinks.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "autodiff/grad.hpp"

namespace ae {

// A scalar function of array inputs, built on the tape its inputs live on (returns a 1x1 Var).
using Function = std::function<Var<double>(const Vars<double>& inputs)>;

struct GradCheckOptions {
    enum Stencil { two_point, five_point } stencil = five_point;
    double step = 1e-3;       // h; use 1e-4 with two_point, as UFLDL does
    std::uint64_t seed = 42;  // random directions and projections
};

struct GradCheck {
    double metric = 0;         // ||num - ana|| / ||num + ana|| (UFLDL); 0 when both are 0
    double max_abs_error = 0;  // max |num - ana| over the entries compared
    std::size_t evaluations = 0;
    // The relative metric, or, for derivatives that are exactly zero (a linear function's second
    // derivative), an absolute error at the stencil's rounding-noise level.
    bool passed(double tolerance = 1e-8, double noise = 1e-10) const {
        return metric < tolerance || max_abs_error < noise;
    }
};

// The UFLDL metric of two vectors of derivatives.
double relative_error(const std::vector<double>& numerical, const std::vector<double>& analytic);

// Every partial derivative, one by one: 4 (or 2) evaluations per input entry. For small problems.
GradCheck check_gradient(const Function& f, const std::vector<Array<double>>& at,
                         const GradCheckOptions& options = {});

// Directional derivatives along `directions` random unit directions against v^T grad f: a few
// evaluations per direction, whatever the parameter count.
GradCheck check_gradient_directional(const Function& f, const std::vector<Array<double>>& at,
                                     std::size_t directions = 8, const GradCheckOptions& options = {});

// Second order: checks the gradient of s(x) = u^T grad f(x) (u random), i.e. the Hessian-vector
// product H u, computed by differentiating the recorded backward pass, against differences of s.
GradCheck check_second_order(const Function& f, const std::vector<Array<double>>& at,
                             const GradCheckOptions& options = {});

// s(x) = Σ w ⊙ F(x) for fixed random weights w: turns an array-valued F into a scalar function
// whose gradient is F's VJP with seed w, so check_gradient tests VJPs of any shape.
Function project(const Function& F, const std::vector<Array<double>>& at, std::uint64_t seed = 7);

}  // namespace ae
