// optim/adam.cpp: Adam, updated in place (no allocation after the first step).
// GCC 12 flags its own AVX-512 sqrt intrinsic (`__m512 __Y = __Y;`) as maybe-uninitialised;
// the pragma must come before the intrinsics header is first included.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "optim/adam.hpp"
#include "util/check.hpp"

#include <cmath>

#include <xtensor/xmath.hpp>

namespace ae {

namespace {

void check_options(const AdamOptions& o) {
    check_range("Adam", "learning_rate", o.learning_rate, '(', 0, inf, ')');
    check_range("Adam", "beta1", o.beta1, '[', 0.0, 1.0, ')');
    check_range("Adam", "beta2", o.beta2, '[', 0.0, 1.0, ')');
    check_range("Adam", "epsilon", o.epsilon, '(', 0, inf, ')');
}

}  // namespace

template <class T>
Adam<T>::Adam(const AdamOptions& options) : m_options(options) {
    check_options(m_options);
}

template <class T>
void Adam<T>::set_learning_rate(double learning_rate) {
    AdamOptions o = m_options;
    o.learning_rate = learning_rate;
    check_options(o);
    m_options = o;
}

template <class T>
void Adam<T>::step(const ParamList<T>& params, const Gradients<T>& grads) {
    check_lists(name(), params, grads, m_shapes);
    if (m_shapes.empty()) {  // first step: fix the shapes and allocate the moments once
        for (const Named<T>& p : params) {
            m_shapes.push_back(shape_of(*p.array));
            m_m.push_back(xt::zeros<T>(p.array->shape()));
            m_v.push_back(xt::zeros<T>(p.array->shape()));
        }
    }
    ++m_steps;
    const double t = double(m_steps);
    // Bias corrections in double: β^t for large t must not round to 1 in float.
    const T step_size = T(m_options.learning_rate / (1.0 - std::pow(m_options.beta1, t)));
    const T sqrt_correction2 = T(std::sqrt(1.0 - std::pow(m_options.beta2, t)));
    const T b1 = T(m_options.beta1), b2 = T(m_options.beta2), eps = T(m_options.epsilon);
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Array<T>& g = grads[i];
        Array<T>& w = *params[i].array;
        Array<T>& m = m_m[i];
        Array<T>& v = m_v[i];
        xt::noalias(m) = b1 * m + (T(1) - b1) * g;
        xt::noalias(v) = b2 * v + (T(1) - b2) * (g * g);
        // α m̂ / (√v̂ + ε) = (α / (1 − β1^t)) m / (√v / √(1 − β2^t) + ε)
        xt::noalias(w) = w - step_size * m / (xt::sqrt(v) / sqrt_correction2 + eps);
    }
}

template <class T>
OptimizerState Adam<T>::state() const {
    OptimizerState s;
    s.scalars["step"] = double(m_steps);
    for (std::size_t i = 0; i < m_m.size(); ++i) {
        s.arrays["m." + std::to_string(i)] = xt::cast<double>(m_m[i]);
        s.arrays["v." + std::to_string(i)] = xt::cast<double>(m_v[i]);
    }
    return s;
}

template <class T>
void Adam<T>::set_state(const OptimizerState& s) {
    const double steps = state_scalar(s, name(), "step");
    check_range(name(), "state scalar step", steps, '[', 0, inf, ')');
    std::vector<Array<T>> m, v;
    std::vector<Shape> shapes;
    for (std::size_t i = 0; s.arrays.count("m." + std::to_string(i)); ++i) {
        const std::string k = std::to_string(i);
        m.push_back(xt::cast<T>(state_array(s, name(), "m." + k)));
        v.push_back(xt::cast<T>(state_array(s, name(), "v." + k)));
        if (m.back().shape() != v.back().shape())
            throw ShapeError(name() + ": state m." + k + " and v." + k, shape_of(m.back()),
                             shape_of(v.back()), "differ");
        shapes.push_back(shape_of(m.back()));
    }
    if (steps > 0 && m.empty())
        throw std::invalid_argument(name() + ": state has steps but no m.0 and v.0");
    m_m = std::move(m);
    m_v = std::move(v);
    m_shapes = std::move(shapes);
    m_steps = std::size_t(steps);
}

template class Adam<float>;
template class Adam<double>;

}  // namespace ae
