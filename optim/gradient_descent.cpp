// optim/gradient_descent.cpp: gradient descent with momentum, updated in place.
#include "optim/gradient_descent.hpp"
#include "util/check.hpp"

#include <xtensor/xmath.hpp>

namespace ae {

namespace {

void check_options(const GradientDescentOptions& o) {
    check_range("GradientDescent", "learning_rate", o.learning_rate, '(', 0, inf, ')');
    check_range("GradientDescent", "momentum", o.momentum, '[', 0.0, 1.0, ')');
}

}  // namespace

template <class T>
GradientDescent<T>::GradientDescent(const GradientDescentOptions& options) : m_options(options) {
    check_options(m_options);
}

template <class T>
void GradientDescent<T>::set_learning_rate(double learning_rate) {
    GradientDescentOptions o = m_options;
    o.learning_rate = learning_rate;
    check_options(o);
    m_options = o;
}

template <class T>
void GradientDescent<T>::step(const ParamList<T>& params, const Gradients<T>& grads) {
    check_lists(name(), params, grads, m_shapes);
    const bool use_velocity = m_options.momentum > 0.0;
    if (m_shapes.empty()) {  // first step: fix the shapes and allocate the velocity once
        for (const Named<T>& p : params) m_shapes.push_back(shape_of(*p.array));
        if (use_velocity && m_velocity.empty())
            for (const Named<T>& p : params) m_velocity.push_back(xt::zeros<T>(p.array->shape()));
    }
    const T lr = T(m_options.learning_rate);
    const T mu = T(m_options.momentum);
    for (std::size_t i = 0; i < params.size(); ++i) {
        Array<T>& w = *params[i].array;
        const Array<T>& g = grads[i];
        if (!use_velocity) {
            xt::noalias(w) = w - lr * g;
            continue;
        }
        Array<T>& v = m_velocity[i];
        xt::noalias(v) = mu * v - lr * g;
        if (m_options.nesterov)
            xt::noalias(w) = w + (mu * v - lr * g);
        else
            xt::noalias(w) = w + v;
    }
    ++m_steps;
}

template <class T>
OptimizerState GradientDescent<T>::state() const {
    OptimizerState s;
    s.scalars["step"] = double(m_steps);
    for (std::size_t i = 0; i < m_velocity.size(); ++i)
        s.arrays["velocity." + std::to_string(i)] = xt::cast<double>(m_velocity[i]);
    return s;
}

template <class T>
void GradientDescent<T>::set_state(const OptimizerState& s) {
    const double steps = state_scalar(s, name(), "step");
    check_range(name(), "state scalar step", steps, '[', 0, inf, ')');
    std::vector<Array<T>> velocity;
    std::vector<Shape> shapes;
    for (std::size_t i = 0; s.arrays.count("velocity." + std::to_string(i)); ++i) {
        velocity.push_back(xt::cast<T>(s.arrays.at("velocity." + std::to_string(i))));
        shapes.push_back(shape_of(velocity.back()));
    }
    if (m_options.momentum > 0.0 && velocity.empty() && steps > 0)
        throw std::invalid_argument(name() +
                                    ": state has steps but no velocity.0, while this "
                                    "optimizer uses momentum");
    m_velocity = std::move(velocity);
    m_shapes = std::move(shapes);
    m_steps = std::size_t(steps);
}

template class GradientDescent<float>;
template class GradientDescent<double>;

}  // namespace ae
