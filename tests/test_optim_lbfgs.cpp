// tests/test_optim_lbfgs.cpp: L-BFGS: convergence to 1e-8 on Rosenbrock and an ill-conditioned
// quadratic, strong Wolfe steps, NaN and inf objectives, and a bit-for-bit resume.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <xtensor/xmath.hpp>

#include "optim/lbfgs.hpp"

using namespace ae;

namespace {

// Chained Rosenbrock: Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])², minimised at all ones.
double rosenbrock(const Vector& x, Vector& g) {
    double f = 0;
    g.fill(0.0);
    for (std::size_t i = 0; i + 1 < x.size(); ++i) {
        const double a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i];
        f += 100.0 * a * a + b * b;
        g[i] += -400.0 * x[i] * a - 2.0 * b;
        g[i + 1] += 200.0 * a;
    }
    return f;
}

// f = ½ (x − x*)ᵀ A (x − x*) with A = Q diag(λ) Qᵀ, λ log-spaced over [1, condition].
struct Quadratic {
    std::size_t n;
    std::vector<double> A, x_star;
    Quadratic(std::size_t n_, double condition, unsigned seed) : n(n_), A(n_ * n_), x_star(n_) {
        std::mt19937_64 rng(seed);
        std::normal_distribution<double> normal;
        std::vector<double> Q(n * n);  // orthonormal columns by Gram-Schmidt (twice, for accuracy)
        for (double& q : Q) q = normal(rng);
        for (std::size_t j = 0; j < n; ++j)
            for (int pass = 0; pass < 2; ++pass) {
                for (std::size_t k = 0; k < j; ++k) {
                    double p = 0;
                    for (std::size_t i = 0; i < n; ++i) p += Q[i * n + j] * Q[i * n + k];
                    for (std::size_t i = 0; i < n; ++i) Q[i * n + j] -= p * Q[i * n + k];
                }
                double norm = 0;
                for (std::size_t i = 0; i < n; ++i) norm += Q[i * n + j] * Q[i * n + j];
                for (std::size_t i = 0; i < n; ++i) Q[i * n + j] /= std::sqrt(norm);
            }
        for (std::size_t k = 0; k < n; ++k) {
            const double lambda = std::pow(condition, double(k) / double(n - 1));
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = 0; j < n; ++j)
                    A[i * n + j] += lambda * Q[i * n + k] * Q[j * n + k];
        }
        for (double& v : x_star) v = normal(rng);
    }
    double operator()(const Vector& x, Vector& g) const {
        double f = 0;
        for (std::size_t i = 0; i < n; ++i) {
            g[i] = 0;
            for (std::size_t j = 0; j < n; ++j) g[i] += A[i * n + j] * (x[j] - x_star[j]);
            f += 0.5 * (x[i] - x_star[i]) * g[i];
        }
        return f;
    }
};

Vector vec(std::size_t n, double value) {
    Vector v = Vector::from_shape({n});
    v.fill(value);
    return v;
}

double max_abs_diff(const Vector& a, const std::vector<double>& b) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

// Runs L-BFGS, records every iterate through the callback, and checks that each accepted step
// s = x[k+1] − x[k] satisfies the strong Wolfe conditions with the values the objective returned:
// f[k+1] ≤ f[k] + c1 g[k]ᵀs and |g[k+1]ᵀs| ≤ c2 |g[k]ᵀs|.
LbfgsResult run_and_check_wolfe(const Objective& objective, Vector x0, LbfgsOptions options) {
    std::vector<Vector> xs, gs;
    std::vector<double> fs;
    options.callback = [&](const LbfgsProgress& p) {
        xs.push_back(p.x), gs.push_back(p.g), fs.push_back(p.f);
        return true;
    };
    std::size_t calls = 0;
    const Objective counted = [&](const Vector& x, Vector& g) { return ++calls, objective(x, g); };
    LbfgsResult r = lbfgs(counted, std::move(x0), options);
    CHECK(calls == r.evaluations);
    REQUIRE(xs.size() == r.iterations + 1);
    std::size_t failures = 0;
    for (std::size_t k = 0; k + 1 < xs.size(); ++k) {
        const Vector s = xs[k + 1] - xs[k];
        const double g0s = xt::sum(gs[k] * s)(), g1s = xt::sum(gs[k + 1] * s)();
        const bool wolfe = g0s < 0 && fs[k + 1] <= fs[k] + options.c1 * g0s &&
                           std::abs(g1s) <= options.c2 * std::abs(g0s);
        failures += !wolfe;
    }
    CHECK(failures == 0);
    return r;
}

}  // namespace

TEST_CASE("lbfgs minimises the 2-D Rosenbrock function from (-1.2 1)") {
    LbfgsOptions o;
    o.gradient_tolerance = 1e-10;  // near x* = 1, |x − x*| ≤ ‖H⁻¹‖ ‖g‖ ≈ 2.5 ‖g‖
    o.progress_tolerance = 0;      // no early stop on small steps or small changes in f
    Vector x0 = Vector::from_shape({2});
    x0[0] = -1.2, x0[1] = 1.0;
    const LbfgsResult r = run_and_check_wolfe(rosenbrock, x0, o);
    MESSAGE("2-D Rosenbrock: ", r.iterations, " iterations, ", r.evaluations,
            " evaluations, max|x - 1| = ", max_abs_diff(r.x, {1, 1}), ", f = ", r.f, "; ",
            r.stop_reason);
    CHECK(r.stop == LbfgsStop::gradient);
    CHECK(max_abs_diff(r.x, {1, 1}) <= 1e-8);
    CHECK(r.iterations < 60);
}

TEST_CASE("lbfgs minimises a 100-D chained Rosenbrock function") {
    // From (-1.2, 1, -1.2, 1, ...). The chain makes the iteration count grow with n (about 5n).
    LbfgsOptions o;
    o.gradient_tolerance = 1e-10;
    o.progress_tolerance = 0;
    o.max_iterations = 1000;
    o.max_evaluations = 2000;
    Vector x0 = vec(100, 1.0);
    for (std::size_t i = 0; i < 100; i += 2) x0[i] = -1.2;
    const LbfgsResult r = run_and_check_wolfe(rosenbrock, x0, o);
    MESSAGE("100-D Rosenbrock: ", r.iterations, " iterations, ", r.evaluations,
            " evaluations, max|x - 1| = ", max_abs_diff(r.x, std::vector<double>(100, 1.0)), "; ",
            r.stop_reason);
    CHECK(r.stop == LbfgsStop::gradient);
    CHECK(max_abs_diff(r.x, std::vector<double>(100, 1.0)) <= 1e-8);
}

TEST_CASE("lbfgs minimises a 50-D quadratic with condition number 1e4") {
    const Quadratic q(50, 1e4, 3);
    LbfgsOptions o;
    o.gradient_tolerance = 1e-10;  // λ_min = 1: |x − x*|₂ ≤ ‖g‖₂ ≤ √50 · 1e-10
    o.progress_tolerance = 0;
    const LbfgsResult r = run_and_check_wolfe(std::cref(q), vec(50, 0.0), o);
    MESSAGE("50-D quadratic: ", r.iterations, " iterations, ", r.evaluations,
            " evaluations, max|x - x*| = ", max_abs_diff(r.x, q.x_star), "; ", r.stop_reason);
    CHECK(r.stop == LbfgsStop::gradient);
    CHECK(max_abs_diff(r.x, q.x_star) <= 1e-8);

    // With c2 = 0.1 the cubic step is the exact minimiser along d on a quadratic, and BFGS with
    // exact line searches terminates in n iterations: a check on the two-loop recursion itself.
    o.c2 = 0.1;
    const LbfgsResult exact = run_and_check_wolfe(std::cref(q), vec(50, 0.0), o);
    MESSAGE("50-D quadratic, c2 = 0.1: ", exact.iterations, " iterations, ", exact.evaluations,
            " evaluations, max|x - x*| = ", max_abs_diff(exact.x, q.x_star));
    CHECK(exact.iterations <= 60);  // 50 in exact arithmetic (and here on a diagonal A)
    CHECK(max_abs_diff(exact.x, q.x_star) <= 1e-8);
}

TEST_CASE("lbfgs with minFunc's default tolerances stops on optTol or progTol") {
    // minFunc stops on ‖g‖∞ ≤ optTol, on |Δf| or ‖Δx‖∞ below progTol, or when gᵀd > −progTol.
    Vector x0 = Vector::from_shape({2});
    x0[0] = -1.2, x0[1] = 1.0;
    const LbfgsResult r = lbfgs(rosenbrock, x0);  // gradient 1e-5, progress 1e-9, 400 iterations
    MESSAGE("defaults: ", r.iterations, " iterations; ", r.stop_reason);
    CHECK((r.stop == LbfgsStop::gradient || r.stop == LbfgsStop::progress ||
           r.stop == LbfgsStop::direction));
    CHECK(max_abs_diff(r.x, {1, 1}) <= 1e-4);
}

TEST_CASE("lbfgs stops with a reason when the objective is NaN or inf") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    SUBCASE("NaN at the initial point") {
        const LbfgsResult r =
            lbfgs([&](const Vector&, Vector& g) { return g.fill(0.0), nan; }, vec(3, 1.0));
        CHECK(r.stop == LbfgsStop::not_finite);
        CHECK(r.stop_reason.find("not finite at the initial point") != std::string::npos);
        CHECK(r.evaluations == 1);
        CHECK(r.iterations == 0);
    }
    SUBCASE("an infinite gradient at the initial point") {
        const LbfgsResult r = lbfgs(
            [](const Vector& x, Vector& g) {
                g.fill(std::numeric_limits<double>::infinity());
                return x[0];
            },
            vec(2, 1.0));
        CHECK(r.stop == LbfgsStop::not_finite);
    }
    SUBCASE("NaN everywhere after a few evaluations") {
        int calls = 0;
        const LbfgsResult r =
            lbfgs([&](const Vector& x,
                      Vector& g) { return ++calls > 4 ? (g.fill(nan), nan) : rosenbrock(x, g); },
                  vec(10, 0.0));
        MESSAGE(r.stop_reason);
        CHECK(r.stop == LbfgsStop::not_finite);
        CHECK(r.stop_reason.find("NaN or inf") != std::string::npos);
        CHECK(std::isfinite(r.f));  // the last finite point is returned
        // The line search that met the first NaN still accepts its last finite point; the next
        // search meets only NaNs and stops: at most two line searches' budgets, not a loop.
        CHECK(r.evaluations <= 4 + 2 * 25);
    }
    SUBCASE("NaN outside a domain is backed away from") {
        // f = Σ x − log x is NaN for x < 0; the minimiser is x = 1. From x = 50, f is almost
        // linear, so the bracketing phase extrapolates (×10 per trial) past x = 0.
        std::size_t nans = 0;
        LbfgsOptions o;
        o.gradient_tolerance = 1e-12;
        o.progress_tolerance = 0;
        const LbfgsResult r = lbfgs(
            [&](const Vector& x, Vector& g) {
                double f = 0;
                for (std::size_t i = 0; i < x.size(); ++i)
                    f += x[i] - std::log(x[i]), g[i] = 1.0 - 1.0 / x[i];
                nans += !std::isfinite(f);
                return f;
            },
            vec(4, 50.0), o);
        MESSAGE("domain: ", nans, " non-finite trials, ", r.iterations, " iterations; ",
                r.stop_reason);
        CHECK(nans > 0);  // the test does exercise the non-finite path
        CHECK(r.stop == LbfgsStop::gradient);
        CHECK(max_abs_diff(r.x, std::vector<double>(4, 1.0)) <= 1e-10);
    }
}

TEST_CASE("lbfgs resumed from its state continues bit for bit") {
    LbfgsOptions o;
    o.memory = 5;  // the ring of pairs wraps before the checkpoint
    o.gradient_tolerance = 1e-10;
    o.progress_tolerance = 0;
    const LbfgsResult straight = lbfgs(rosenbrock, vec(20, 0.0), o);

    Lbfgs first(o);
    first.start(rosenbrock, vec(20, 0.0));
    for (int k = 0; k < 12; ++k) REQUIRE(first.iterate(rosenbrock));
    const OptimizerState saved = first.state();
    CHECK(saved.arrays.at("s").shape(0) == 5);
    Lbfgs second(o);
    second.set_state(saved);
    while (second.iterate(rosenbrock)) {
    }
    const LbfgsResult resumed = second.result();
    CHECK(resumed.x == straight.x);  // exact equality of every element
    CHECK(resumed.f == straight.f);
    CHECK(resumed.iterations == straight.iterations);
    CHECK(resumed.evaluations == straight.evaluations);
    CHECK(resumed.stop_reason == straight.stop_reason);

    OptimizerState broken = saved;
    broken.arrays.erase("y");
    CHECK_THROWS_WITH_AS(Lbfgs(o).set_state(broken), doctest::Contains("'y'"),
                         std::invalid_argument);
}

TEST_CASE("lbfgs rejects invalid options naming them") {
    using doctest::Contains;
    LbfgsOptions o;
    o.c2 = 1e-5;
    CHECK_THROWS_WITH_AS(Lbfgs{o},
                         Contains("L-BFGS: c2 = 1e-05 is outside (0.0001, 1)"),
                         std::invalid_argument);
    o = {};
    o.memory = 0;
    CHECK_THROWS_WITH_AS(lbfgs(rosenbrock, vec(2, 0.0), o), Contains("memory = 0"),
                         std::invalid_argument);
    o = {};
    o.gradient_tolerance = -1;
    CHECK_THROWS_WITH_AS(Lbfgs{o}, Contains("gradient_tolerance = -1"), std::invalid_argument);
}

TEST_CASE("lbfgs stops when the callback says so or a budget is used up") {
    LbfgsOptions o;
    o.callback = [](const LbfgsProgress& p) { return p.iteration < 5; };
    LbfgsResult r = lbfgs(rosenbrock, vec(10, 0.0), o);
    CHECK(r.stop == LbfgsStop::callback);
    CHECK(r.iterations == 5);

    o = {};
    o.max_iterations = 3;
    r = lbfgs(rosenbrock, vec(10, 0.0), o);
    CHECK(r.stop == LbfgsStop::max_iterations);
    CHECK(r.iterations == 3);

    o = {};
    o.max_evaluations = 10;
    r = lbfgs(rosenbrock, vec(10, 0.0), o);
    CHECK(r.stop == LbfgsStop::max_evaluations);
    CHECK(r.evaluations == 10);  // the last line search is cut to the budget

    Lbfgs unstarted;
    CHECK(unstarted.state().arrays.empty());
}
