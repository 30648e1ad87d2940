// autodiff/gradcheck.cpp: central differences against the tape, first and second order.
#include "autodiff/gradcheck.hpp"

#include <cmath>
#include <random>

#include "autodiff/functions.hpp"

namespace ae {
namespace {

using Arrays = std::vector<Array<double>>;

double evaluate(const Function& f, const Arrays& at, std::size_t& count) {
    Tape<double> tape;
    Vars<double> inputs;
    for (const Array<double>& a : at) inputs.push_back(tape.borrow(a));
    Var<double> y = f(inputs);
    if (y.shape() != Shape{1, 1})
        throw std::invalid_argument("gradient check: the function must return a 1x1 Var, got " + str(y.shape()));
    ++count;
    return y.value()(0, 0);
}

Arrays analytic_gradient(const Function& f, const Arrays& at) {
    Tape<double> tape;
    Vars<double> inputs;
    for (const Array<double>& a : at) inputs.push_back(tape.borrow(a));
    Arrays out;
    for (const Var<double>& g : grad(f(inputs), inputs)) out.push_back(g.value());
    return out;
}

// The derivative of t -> f(at + t v) at t = 0 by the chosen stencil.
double directional_difference(const Function& f, const Arrays& at, const Arrays& v,
                              const GradCheckOptions& o, std::size_t& count) {
    auto shifted = [&](double t) {
        Arrays x = at;
        for (std::size_t i = 0; i < x.size(); ++i) x[i] += t * v[i];
        return evaluate(f, x, count);
    };
    const double h = o.step;
    if (o.stencil == GradCheckOptions::two_point) return (shifted(h) - shifted(-h)) / (2 * h);
    return (shifted(-2 * h) - 8 * shifted(-h) + 8 * shifted(h) - shifted(2 * h)) / (12 * h);
}

Arrays random_like(const Arrays& at, std::mt19937_64& rng) {
    std::normal_distribution<double> normal;
    Arrays v;
    for (const Array<double>& a : at) {
        Array<double> r = Array<double>::from_shape(a.shape());
        for (double& e : r) e = normal(rng);
        v.push_back(std::move(r));
    }
    return v;
}

double inner(const Arrays& a, const Arrays& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = 0; j < a[i].size(); ++j) s += a[i].data()[j] * b[i].data()[j];
    return s;
}

GradCheck compare(const std::vector<double>& num, const std::vector<double>& ana, std::size_t count) {
    GradCheck r;
    r.metric = relative_error(num, ana);
    for (std::size_t i = 0; i < num.size(); ++i) r.max_abs_error = std::max(r.max_abs_error, std::abs(num[i] - ana[i]));
    r.evaluations = count;
    return r;
}

}  // namespace

double relative_error(const std::vector<double>& numerical, const std::vector<double>& analytic) {
    if (numerical.size() != analytic.size())
        throw std::invalid_argument("relative_error: " + std::to_string(numerical.size()) + " and " +
                                    std::to_string(analytic.size()) + " derivatives");
    double diff = 0, total = 0;
    for (std::size_t i = 0; i < numerical.size(); ++i) {
        diff += (numerical[i] - analytic[i]) * (numerical[i] - analytic[i]);
        total += (numerical[i] + analytic[i]) * (numerical[i] + analytic[i]);
    }
    if (diff == 0) return 0;
    return std::sqrt(diff) / std::sqrt(total);  // total = 0 < diff gives inf: a failure
}

GradCheck check_gradient(const Function& f, const Arrays& at, const GradCheckOptions& o) {
    const Arrays ana = analytic_gradient(f, at);
    std::vector<double> num, an;
    std::size_t count = 0;
    for (std::size_t i = 0; i < at.size(); ++i) {
        for (std::size_t j = 0; j < at[i].size(); ++j) {
            Arrays unit;  // the direction of entry j of input i
            for (const Array<double>& a : at) unit.push_back(xt::zeros<double>(a.shape()));
            unit[i].data()[j] = 1;
            num.push_back(directional_difference(f, at, unit, o, count));
            an.push_back(ana[i].data()[j]);
        }
    }
    return compare(num, an, count);
}

GradCheck check_gradient_directional(const Function& f, const Arrays& at, std::size_t directions,
                                     const GradCheckOptions& o) {
    const Arrays ana = analytic_gradient(f, at);
    std::mt19937_64 rng(o.seed);
    std::vector<double> num, an;
    std::size_t count = 0;
    for (std::size_t d = 0; d < directions; ++d) {
        Arrays v = random_like(at, rng);
        const double norm = std::sqrt(inner(v, v));
        for (Array<double>& e : v) e /= norm;
        num.push_back(directional_difference(f, at, v, o, count));
        an.push_back(inner(v, ana));
    }
    return compare(num, an, count);
}

GradCheck check_second_order(const Function& f, const Arrays& at, const GradCheckOptions& o) {
    std::mt19937_64 rng(o.seed + 1);
    const Arrays u = random_like(at, rng);
    Function s = [&f, u](const Vars<double>& x) {
        Vars<double> g = grad(f(x), x, /*create_graph=*/true);
        Var<double> total = dot(g[0], x[0].tape->borrow(u[0]));
        for (std::size_t i = 1; i < g.size(); ++i) total = total + dot(g[i], x[i].tape->borrow(u[i]));
        return total;
    };
    return check_gradient(s, at, o);
}

Function project(const Function& F, const Arrays& at, std::uint64_t seed) {
    Tape<double> tape;
    Vars<double> inputs;
    for (const Array<double>& a : at) inputs.push_back(tape.borrow(a));
    std::mt19937_64 rng(seed);
    Array<double> w = random_like(Arrays{F(inputs).value()}, rng)[0];
    return [F, w](const Vars<double>& x) {
        Var<double> y = F(x);
        return dot(y, y.tape->borrow(w));
    };
}

}  // namespace ae
