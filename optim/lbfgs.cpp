// optim/lbfgs.cpp: L-BFGS iterations, stopping rules and state, after minFunc's lbfgs.
#include "optim/lbfgs.hpp"
#include "util/check.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include <xtensor/xnoalias.hpp>

namespace ae {

namespace {

const char* const kOwner = "L-BFGS";

void check_options(const LbfgsOptions& o) {
    check_range(kOwner, "memory", double(o.memory), '[', 1, inf, ')');
    check_range(kOwner, "max_evaluations", double(o.max_evaluations), '[', 1, inf, ')');
    check_range(kOwner, "max_line_search_evaluations", double(o.max_line_search_evaluations),
                '[', 1, inf, ')');
    check_range(kOwner, "gradient_tolerance", o.gradient_tolerance, '[', 0, inf, ')');
    check_range(kOwner, "progress_tolerance", o.progress_tolerance, '[', 0, inf, ')');
    check_range(kOwner, "c1", o.c1, '(', 0.0, 1.0, ')');
    check_range(kOwner, "c2", o.c2, '(', o.c1, 1.0, ')');
    check_range(kOwner, "curvature_tolerance", o.curvature_tolerance, '[', 0.0, 1.0, ')');
}

double l1_norm(const Vector& v) {
    double s = 0;
    for (double e : v) s += std::abs(e);
    return s;
}

// The one way a trial point is formed, so that x + t d has the same bits everywhere.
void move_along(Vector& out, const Vector& x, const Vector& d, double t) {
    if (out.shape() != x.shape()) out.resize(x.shape());
    xt::noalias(out) = x + t * d;
}

Array<double> as_column(const Vector& v) {
    Array<double> a = Array<double>::from_shape({v.size(), 1});
    std::copy(v.begin(), v.end(), a.begin());
    return a;
}

Vector from_column(const Array<double>& a, const std::string& key, std::size_t n) {
    if (a.shape(1) != 1 || (n && a.shape(0) != n))
        throw ShapeError(std::string(kOwner) + ": state " + key, shape_of(a), Shape{n, 1},
                         "differ");
    Vector v = Vector::from_shape({a.shape(0)});
    std::copy(a.begin(), a.end(), v.begin());
    return v;
}

}  // namespace

Lbfgs::Lbfgs(LbfgsOptions options) : m_options(std::move(options)) {
    check_options(m_options);
}

void Lbfgs::start(const Objective& objective, Vector x0) {
    m_x = std::move(x0);
    m_g = Vector::from_shape(m_x.shape());
    m_S.clear(), m_Y.clear(), m_rho.clear(), m_s_order.clear();
    m_hdiag = 1;
    m_iteration = 0;
    m_stop = LbfgsStop::none;
    m_stop_reason.clear();
    m_started = true;
    m_f = objective(m_x, m_g);
    m_evaluations = 1;
    if (!std::isfinite(m_f) || !all_finite(m_g))
        return finish(LbfgsStop::not_finite,
                      "the objective is not finite at the initial point (f = " + number_text(m_f, 6) +
                          ", max |g| = " + number_text(max_abs(m_g), 6) + ")");
    if (!report(0.0, false)) return;
    if (max_abs(m_g) <= m_options.gradient_tolerance)
        finish(LbfgsStop::gradient, "max |g| = " + number_text(max_abs(m_g), 6) +
                                        " is below gradient_tolerance at the initial point");
    else if (m_options.max_iterations == 0)
        finish(LbfgsStop::max_iterations, "max_iterations = 0");
}

void Lbfgs::direction() {
    if (m_d.shape() != m_x.shape()) m_d.resize(m_x.shape());
    xt::noalias(m_d) = -m_g;
    if (pairs() == 0) return;  // steepest descent until a curvature pair is known
    m_alpha.resize(m_S.size());
    for (std::size_t k = pairs(); k-- > 0;) {  // newest to oldest
        const std::size_t i = m_s_order[k];
        m_alpha[i] = m_rho[i] * dot(m_S[i], m_d);
        xt::noalias(m_d) -= m_alpha[i] * m_Y[i];
    }
    xt::noalias(m_d) = m_hdiag * m_d;  // H0 = γ I with γ = sᵀy / yᵀy of the newest pair
    for (std::size_t k = 0; k < pairs(); ++k) {  // oldest to newest
        const std::size_t i = m_s_order[k];
        const double beta = m_rho[i] * dot(m_Y[i], m_d);
        xt::noalias(m_d) += (m_alpha[i] - beta) * m_S[i];
    }
}

void Lbfgs::remember(double ys) {
    std::size_t slot;
    if (m_S.size() < m_options.memory) {
        slot = m_S.size();
        m_S.emplace_back(), m_Y.emplace_back(), m_rho.push_back(0.0);
    } else {  // full: the oldest pair's buffers take the new one
        slot = m_s_order.front();
        m_s_order.erase(m_s_order.begin());
    }
    std::swap(m_S[slot], m_s);
    std::swap(m_Y[slot], m_y);
    m_rho[slot] = 1.0 / ys;
    m_s_order.push_back(slot);
}

bool Lbfgs::iterate(const Objective& objective) {
    if (!m_started) throw std::logic_error("L-BFGS: iterate() called before start()");
    if (stopped()) return false;
    if (m_iteration >= m_options.max_iterations || m_evaluations >= m_options.max_evaluations) {
        finish(m_iteration >= m_options.max_iterations ? LbfgsStop::max_iterations
                                                       : LbfgsStop::max_evaluations,
               "the iteration or evaluation budget is used up");
        return false;
    }
    direction();
    if (!all_finite(m_d)) {
        finish(LbfgsStop::not_finite, "the search direction is not finite");
        return false;
    }
    const double gtd = dot(m_g, m_d);
    if (!(gtd < -m_options.progress_tolerance)) {
        finish(LbfgsStop::direction, "the directional derivative g'd = " + number_text(gtd, 6) +
                                         " is not below -progress_tolerance");
        return false;
    }
    // minFunc's first step: t = min(1, 1/‖g‖₁), since d = −g is not yet scaled.
    const double t0 = m_iteration == 0 ? std::min(1.0, 1.0 / l1_norm(m_g)) : 1.0;
    const WolfeOptions wolfe{
        m_options.c1, m_options.c2,
        std::min(m_options.max_line_search_evaluations, m_options.max_evaluations - m_evaluations),
        m_options.progress_tolerance};
    const LineSearchResult ls =
        m_search.search(objective, m_x, m_d, m_f, m_g, gtd, t0, wolfe, m_g_new);
    m_evaluations += ls.evaluations;
    if (ls.t == 0.0) {
        if (ls.non_finite == ls.evaluations)
            finish(LbfgsStop::not_finite, "the objective was NaN or inf at all " +
                                              std::to_string(ls.evaluations) +
                                              " line-search points along the search direction");
        else
            finish(LbfgsStop::line_search_failed, "the line search found no lower f in " +
                                                      std::to_string(ls.evaluations) +
                                                      " evaluations");
        return false;
    }

    move_along(m_x_new, m_x, m_d, ls.t);
    if (m_s.shape() != m_x.shape()) m_s.resize(m_x.shape());
    if (m_y.shape() != m_x.shape()) m_y.resize(m_x.shape());
    xt::noalias(m_s) = m_x_new - m_x;
    xt::noalias(m_y) = m_g_new - m_g;
    const double step_size = max_abs(m_s);
    const double ys = dot(m_y, m_s), yy = dot(m_y, m_y);
    // Skip a pair without enough positive curvature: it would break H's positive definiteness.
    if (ys > m_options.curvature_tolerance * std::sqrt(yy * dot(m_s, m_s))) {
        m_hdiag = ys / yy;
        remember(ys);
    }
    const double f_old = m_f;
    m_f = ls.f;
    std::swap(m_x, m_x_new);
    std::swap(m_g, m_g_new);
    ++m_iteration;

    if (!report(ls.t, ls.wolfe)) return false;
    const double g_max = max_abs(m_g);
    if (g_max <= m_options.gradient_tolerance)
        finish(LbfgsStop::gradient, "max |g| = " + number_text(g_max, 6) + " is below gradient_tolerance");
    else if (step_size <= m_options.progress_tolerance)
        finish(LbfgsStop::step,
               "the step (max |x_new - x| = " + number_text(step_size, 6) + ") is below progress_tolerance");
    else if (std::abs(m_f - f_old) < m_options.progress_tolerance)
        finish(LbfgsStop::progress,
               "f changed by " + number_text(std::abs(m_f - f_old), 6) + ", less than progress_tolerance");
    else if (m_evaluations >= m_options.max_evaluations)
        finish(LbfgsStop::max_evaluations,
               "reached max_evaluations = " + std::to_string(m_options.max_evaluations));
    else if (m_iteration >= m_options.max_iterations)
        finish(LbfgsStop::max_iterations,
               "reached max_iterations = " + std::to_string(m_options.max_iterations));
    return !stopped();
}

bool Lbfgs::report(double step, bool wolfe) {
    if (!m_options.callback) return true;
    if (m_options.callback(LbfgsProgress{m_iteration, m_evaluations, m_f, m_x, m_g, step, wolfe}))
        return true;
    finish(LbfgsStop::callback,
           "stopped by the callback at iteration " + std::to_string(m_iteration));
    return false;
}

void Lbfgs::finish(LbfgsStop why, const std::string& message) {
    m_stop = why;
    m_stop_reason = message;
}

LbfgsResult Lbfgs::result() const {
    LbfgsResult r;
    r.x = m_x, r.g = m_g, r.f = m_f;
    r.iterations = m_iteration, r.evaluations = m_evaluations;
    r.stop = m_stop, r.stop_reason = m_stop_reason;
    return r;
}

OptimizerState Lbfgs::state() const {
    OptimizerState s;
    if (!m_started) return s;  // a checkpoint before the first iteration
    s.arrays["x"] = as_column(m_x);
    s.arrays["g"] = as_column(m_g);
    const std::size_t n = m_x.size(), k = pairs();
    if (k > 0) {
        Array<double> S = Array<double>::from_shape({k, n}), Y = Array<double>::from_shape({k, n});
        for (std::size_t r = 0; r < k; ++r) {  // oldest first
            std::copy(m_S[m_s_order[r]].begin(), m_S[m_s_order[r]].end(), S.begin() + r * n);
            std::copy(m_Y[m_s_order[r]].begin(), m_Y[m_s_order[r]].end(), Y.begin() + r * n);
        }
        s.arrays["s"] = std::move(S);
        s.arrays["y"] = std::move(Y);
    }
    s.scalars = {{"f", m_f},
                 {"hdiag", m_hdiag},
                 {"pairs", double(k)},
                 {"iteration", double(m_iteration)},
                 {"evaluations", double(m_evaluations)}};
    return s;
}

void Lbfgs::set_state(const OptimizerState& s) {
    if (s.arrays.empty() && s.scalars.empty()) {  // saved before start(): start afresh
        m_started = false;
        m_stop = LbfgsStop::none;
        return;
    }
    Vector x = from_column(state_array(s, kOwner, "x"), "x", 0);
    const std::size_t n = x.size();
    Vector g = from_column(state_array(s, kOwner, "g"), "g", n);
    const double k = state_scalar(s, kOwner, "pairs");
    check_range(kOwner, "state scalar pairs", k, '[', 0, double(m_options.memory), ']');
    std::vector<Vector> S, Y;
    std::vector<double> rho;
    if (k > 0) {
        const Array<double>& SA = state_array(s, kOwner, "s");
        const Array<double>& YA = state_array(s, kOwner, "y");
        const Shape want{std::size_t(k), n};
        if (shape_of(SA) != want) throw ShapeError("L-BFGS: state s", shape_of(SA), want, "differ");
        if (shape_of(YA) != want) throw ShapeError("L-BFGS: state y", shape_of(YA), want, "differ");
        for (std::size_t r = 0; r < std::size_t(k); ++r) {
            S.push_back(Vector::from_shape({n}));
            Y.push_back(Vector::from_shape({n}));
            std::copy(SA.begin() + r * n, SA.begin() + (r + 1) * n, S.back().begin());
            std::copy(YA.begin() + r * n, YA.begin() + (r + 1) * n, Y.back().begin());
            rho.push_back(1.0 / dot(Y.back(), S.back()));  // as computed when it was stored
        }
    }
    m_f = state_scalar(s, kOwner, "f");
    m_hdiag = state_scalar(s, kOwner, "hdiag");
    m_iteration = std::size_t(state_scalar(s, kOwner, "iteration"));
    m_evaluations = std::size_t(state_scalar(s, kOwner, "evaluations"));
    m_x = std::move(x), m_g = std::move(g);
    m_S = std::move(S), m_Y = std::move(Y), m_rho = std::move(rho);
    m_s_order.clear();
    for (std::size_t r = 0; r < m_S.size(); ++r) m_s_order.push_back(r);
    m_started = true;
    m_stop = LbfgsStop::none;
    m_stop_reason.clear();
}

LbfgsResult lbfgs(const Objective& objective, Vector x0, const LbfgsOptions& options) {
    Lbfgs solver(options);
    solver.start(objective, std::move(x0));
    while (solver.iterate(objective)) {
    }
    return solver.result();
}

}  // namespace ae
