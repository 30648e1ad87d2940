// optim/line_search.cpp: strong Wolfe line search: bracketing, then zoom with cubic interpolation.
#include "optim/line_search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include <xtensor/xnoalias.hpp>

namespace ae {

double dot(const Vector& a, const Vector& b) {
    if (a.size() != b.size()) throw std::invalid_argument("dot: vectors of different sizes");
    const double* x = a.data();
    const double* y = b.data();
    const std::size_t n = a.size();
    double s[4] = {0, 0, 0, 0};  // four partial sums: vectorises, and the order is fixed
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (std::size_t k = 0; k < 4; ++k) s[k] += x[i + k] * y[i + k];
    for (; i < n; ++i) s[0] += x[i] * y[i];
    return (s[0] + s[1]) + (s[2] + s[3]);
}

double max_abs(const Vector& a) {
    double m = 0;
    for (double v : a) {
        if (std::isnan(v)) return v;
        m = std::max(m, std::abs(v));
    }
    return m;
}

bool all_finite(const Vector& a) {
    for (double v : a)
        if (!std::isfinite(v)) return false;
    return true;
}

double cubic_step(double t1, double f1, double gtd1, double t2, double f2, double gtd2, double lo,
                  double hi) {
    const double middle = 0.5 * (lo + hi);
    if (!std::isfinite(f1) || !std::isfinite(f2) || !std::isfinite(gtd1) || !std::isfinite(gtd2) ||
        t1 == t2)
        return middle;
    // Nocedal & Wright (3.59): the cubic matching f and f' at both points.
    const double d1 = gtd1 + gtd2 - 3.0 * (f1 - f2) / (t1 - t2);
    const double disc = d1 * d1 - gtd1 * gtd2;
    if (!(disc >= 0.0)) return middle;
    const double d2 = std::copysign(std::sqrt(disc), t2 - t1);
    const double t = t2 - (t2 - t1) * (gtd2 + d2 - d1) / (gtd2 - gtd1 + 2.0 * d2);
    if (!std::isfinite(t)) return middle;
    return std::min(std::max(t, lo), hi);
}

WolfeLineSearch::Point WolfeLineSearch::evaluate(const Objective& objective, const Vector& x,
                                                 const Vector& d, double t, LineSearchResult& r) {
    if (m_x.shape() != x.shape()) m_x.resize(x.shape());
    if (m_g_trial.shape() != x.shape()) m_g_trial.resize(x.shape());
    xt::noalias(m_x) = x + t * d;
    const double f = objective(m_x, m_g_trial);
    ++r.evaluations;
    const double gtd = dot(m_g_trial, d);
    if (std::isfinite(f) && std::isfinite(gtd) && all_finite(m_g_trial)) return {t, f, gtd};
    ++r.non_finite;
    return {t, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()};
}

LineSearchResult WolfeLineSearch::search(const Objective& objective, const Vector& x,
                                         const Vector& d, double f, const Vector& g, double gtd,
                                         double t0, const WolfeOptions& o, Vector& g_out) {
    LineSearchResult r;
    auto armijo = [&](const Point& p) { return p.f <= f + o.c1 * p.t * gtd; };  // false for NaN
    auto curvature = [&](const Point& p) { return std::abs(p.gtd) <= -o.c2 * gtd; };
    // Hands over the gradient held in `buffer` (swapping storage: no copy, no allocation).
    auto accept = [&](const Point& p, Vector& buffer) {
        r.t = p.t;
        r.f = p.f;
        r.wolfe = p.t > 0 && armijo(p) && curvature(p);
        std::swap(g_out, buffer);
        return r;
    };

    // Bracketing (N&W Alg. 3.5): grow t until [low, high] must contain a Wolfe point.
    m_g_low = g;
    Point prev{0.0, f, gtd};  // gradient in m_g_low
    Point low{}, high{};
    bool bracketed = false;
    double t = t0;
    while (!bracketed && r.evaluations < o.max_evaluations) {
        const Point cur = evaluate(objective, x, d, t, r);
        if (!armijo(cur) || (r.evaluations > 1 && cur.f >= prev.f)) {
            low = prev, high = cur, bracketed = true;  // too far (or not finite): zoom back
        } else if (curvature(cur)) {
            return accept(cur, m_g_trial);
        } else if (cur.gtd >= 0) {
            std::swap(m_g_low, m_g_trial);  // overshot a minimum: cur is the new low end
            low = cur, high = prev, bracketed = true;
        } else {  // still going down steeply: extrapolate, at most 10 times further
            const double next = cubic_step(prev.t, prev.f, prev.gtd, cur.t, cur.f, cur.gtd,
                                           t + 0.01 * (t - prev.t), 10.0 * t);
            std::swap(m_g_low, m_g_trial);
            prev = cur;
            t = next;
        }
    }
    if (!bracketed) return accept(prev, m_g_low);  // out of evaluations while extrapolating

    // Zoom (N&W Alg. 3.6): low has the lowest f among points satisfying Armijo; high is the
    // other end. minFunc's safeguard keeps each trial at least 10% of the bracket from its ends.
    const double d_norm = max_abs(d);
    bool insufficient = false;
    while (r.evaluations < o.max_evaluations) {
        const double a = std::min(low.t, high.t), b = std::max(low.t, high.t);
        if ((b - a) * d_norm < o.progress_tolerance || !(b > a)) break;
        t = cubic_step(low.t, low.f, low.gtd, high.t, high.f, high.gtd, a, b);
        if (std::min(b - t, t - a) / (b - a) < 0.1) {
            if (insufficient || t >= b || t <= a) {
                t = std::abs(t - b) < std::abs(t - a) ? b - 0.1 * (b - a) : a + 0.1 * (b - a);
                insufficient = false;
            } else {
                insufficient = true;
            }
        } else {
            insufficient = false;
        }
        const Point cur = evaluate(objective, x, d, t, r);
        if (!armijo(cur) || cur.f >= low.f) {
            high = cur;
        } else {
            if (curvature(cur)) return accept(cur, m_g_trial);
            if (cur.gtd * (high.t - low.t) >= 0) high = low;
            std::swap(m_g_low, m_g_trial);
            low = cur;
        }
    }
    return accept(low, m_g_low);  // the best point found, Wolfe or not
}

}  // namespace ae
