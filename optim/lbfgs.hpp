// optim/lbfgs.hpp: limited-memory BFGS with a strong Wolfe line search, after minFunc (Schmidt),
// the optimizer the UFLDL exercises train with (options.Method = 'lbfgs', maxIter = 400).
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "optim/line_search.hpp"
#include "optim/optimizer.hpp"

namespace ae {

// What the per-iteration callback sees (references valid during the call only).
struct LbfgsProgress {
    std::size_t iteration;    // 0 for the initial point
    std::size_t evaluations;  // objective calls so far
    double f;
    const Vector& x;
    const Vector& g;
    double step;  // the accepted line-search step t (0 at iteration 0)
    bool wolfe;   // the accepted step satisfied both strong Wolfe conditions
};

struct LbfgsOptions {
    std::size_t max_iterations = 400;
    std::size_t max_evaluations = 1000;  // minFunc's MaxFunEvals default
    std::size_t memory = 100;            // correction pairs kept (minFunc's Corr default)
    // Stop when ‖g‖∞ ≤ gradient_tolerance (minFunc's optTol).
    double gradient_tolerance = 1e-5;
    // Stop when |Δf| < progress_tolerance or ‖Δx‖∞ ≤ progress_tolerance (minFunc's progTol);
    // 0 turns both off (a zero step still stops).
    double progress_tolerance = 1e-9;
    double c1 = 1e-4, c2 = 0.9;  // Wolfe constants, 0 < c1 < c2 < 1
    std::size_t max_line_search_evaluations = 25;
    // Store a pair (s, y) only if yᵀs > curvature_tolerance · ‖y‖ ‖s‖ (keeps H positive definite).
    double curvature_tolerance = 1e-10;
    // Called after the initial evaluation and after every iteration; return false to stop.
    std::function<bool(const LbfgsProgress&)> callback;
};

enum class LbfgsStop {
    none,                // still running
    gradient,            // ‖g‖∞ ≤ gradient_tolerance
    step,                // ‖Δx‖∞ ≤ progress_tolerance
    progress,            // |Δf| < progress_tolerance
    direction,           // gᵀd ≥ −progress_tolerance: no descent left along the direction
    max_iterations,
    max_evaluations,
    not_finite,          // f or g not finite at the start, or everywhere the line search looked
    line_search_failed,  // no trial point had a lower f
    callback,
};

struct LbfgsResult {
    Vector x;
    double f = 0;
    std::size_t iterations = 0, evaluations = 0;
    std::string stop_reason;
    LbfgsStop stop = LbfgsStop::none;
    Vector g;  // the gradient at x
};

// Minimises objective from x0 and returns the best point found with why it stopped. Never
// throws for a NaN or inf objective: that stops with LbfgsStop::not_finite and a message.
LbfgsResult lbfgs(const Objective& objective, Vector x0, const LbfgsOptions& options = {});

// The same method one iteration at a time, with its state as named arrays, so that a training
// loop can log, checkpoint and resume bit for bit. lbfgs() is start() then iterate() until false.
class Lbfgs {
public:
    explicit Lbfgs(LbfgsOptions options = {});  // throws std::invalid_argument on bad options

    void start(const Objective& objective, Vector x0);  // evaluates f and g at x0
    bool iterate(const Objective& objective);           // false once stopped (see stop())

    bool started() const { return m_started; }
    bool stopped() const { return m_stop != LbfgsStop::none; }
    LbfgsStop stop() const { return m_stop; }
    const std::string& stop_reason() const { return m_stop_reason; }
    const Vector& x() const { return m_x; }
    const Vector& g() const { return m_g; }
    double f() const { return m_f; }
    std::size_t iterations() const { return m_iteration; }
    std::size_t evaluations() const { return m_evaluations; }
    LbfgsResult result() const;

    // Arrays "x", "g" (n x 1), "s", "y" (pairs x n, oldest first; absent while pairs = 0);
    // scalars "f", "hdiag", "pairs", "iteration", "evaluations". Before start() the state is
    // empty, and setting an empty state un-starts. set_state then iterate() continues exactly
    // as the saved run would have (given the same options and objective).
    OptimizerState state() const;
    void set_state(const OptimizerState& state);

private:
    void direction();  // m_d = −H g by the two-loop recursion
    void remember(double ys);
    void finish(LbfgsStop why, const std::string& message);
    bool report(double step, bool wolfe);
    std::size_t pairs() const { return m_s_order.size(); }

    LbfgsOptions m_options;
    WolfeLineSearch m_search;
    Vector m_x, m_g, m_d, m_x_new, m_g_new, m_s, m_y;
    double m_f = 0, m_hdiag = 1;
    std::vector<Vector> m_S, m_Y;        // correction pairs, reused in a ring once full
    std::vector<double> m_rho, m_alpha;  // 1 / yᵀs per pair; two-loop scratch
    std::vector<std::size_t> m_s_order;  // ring slots, oldest pair first
    std::size_t m_iteration = 0, m_evaluations = 0;
    bool m_started = false;
    LbfgsStop m_stop = LbfgsStop::none;
    std::string m_stop_reason;
};

}  // namespace ae
