// optim/line_search.hpp: a line search that finds a step satisfying the strong Wolfe conditions
// (Nocedal & Wright, Algorithms 3.5 and 3.6, with minFunc's safeguards), for L-BFGS.
#pragma once
#include <cstddef>

#include "layers/params.hpp"  // Vector, Objective

namespace ae {

struct WolfeOptions {
    double c1 = 1e-4;                  // sufficient decrease: f(x + t d) ≤ f + c1 t gᵀd
    double c2 = 0.9;                   // curvature: |∇f(x + t d)ᵀd| ≤ c2 |gᵀd|
    std::size_t max_evaluations = 25;  // per search (minFunc's limit)
    double progress_tolerance = 1e-9;  // give up once the bracket times ‖d‖∞ is below this
};

struct LineSearchResult {
    double t = 0;                 // accepted step; 0 when no trial point beat the start
    double f = 0;                 // f at the accepted point
    std::size_t evaluations = 0;  // objective calls
    std::size_t non_finite = 0;   // trial points where f or the gradient was NaN or inf
    bool wolfe = false;           // both strong Wolfe conditions hold at t
};

// Owns the trial buffers, so repeated searches over one size allocate nothing.
class WolfeLineSearch {
public:
    // Searches along d from x, where f = f(x), g = ∇f(x) and gtd = gᵀd < 0, starting with step t0.
    // A trial point where f or the gradient is not finite is treated as "too far" (f = inf), so
    // the bracket shrinks back towards finite values instead of stopping or looping.
    // The accepted point is x + t d, with its gradient in g_out (resized if needed).
    LineSearchResult search(const Objective& objective, const Vector& x, const Vector& d, double f,
                            const Vector& g, double gtd, double t0, const WolfeOptions& options,
                            Vector& g_out);

private:
    struct Point {
        double t, f, gtd;
    };
    Point evaluate(const Objective& objective, const Vector& x, const Vector& d, double t,
                   LineSearchResult& r);

    Vector m_x;        // the trial point
    Vector m_g_trial;  // gradient at the latest trial
    Vector m_g_low;    // gradient at the best point so far (lowest f satisfying Armijo)
};

// The minimiser of the cubic through (t, f, gtd) of two points, clamped to [lo, hi]; the
// middle of [lo, hi] when the cubic has no minimiser there or the data are not finite.
double cubic_step(double t1, double f1, double gtd1, double t2, double f2, double gtd2, double lo,
                  double hi);

double dot(const Vector& a, const Vector& b);
double max_abs(const Vector& a);  // ‖a‖∞ (NaN if any element is NaN)
bool all_finite(const Vector& a);

}  // namespace ae
