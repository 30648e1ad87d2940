// optim/lbfgs_optimizer.cpp: L-BFGS as an Optimizer.
#include "optim/lbfgs_optimizer.hpp"

#include <algorithm>
#include <stdexcept>

namespace ae {

template <class T>
IterationInfo LbfgsOptimizer<T>::iterate(const ParamList<T>& params,
                                         const typename Optimizer<T>::Evaluate& evaluate) {
    m_grads.resize(params.size());  // allocated by the first call, then reused
    for (std::size_t i = 0; i < params.size(); ++i)
        if (m_grads[i].shape() != params[i].array->shape()) m_grads[i].resize(params[i].array->shape());
    const Objective objective = [&](const Vector& x, Vector& g) {
        unflatten(x, params);
        const double f = evaluate(m_grads);
        flatten(m_grads, g);
        return f;
    };
    const std::size_t before = m_lbfgs.started() ? m_lbfgs.evaluations() : 0;
    if (!m_lbfgs.started()) {
        Vector x0;
        flatten(params, x0);
        m_lbfgs.start(objective, std::move(x0));
    } else if (m_lbfgs.x().size() != parameter_count(params)) {
        throw std::invalid_argument("L-BFGS: the state holds " +
                                    std::to_string(m_lbfgs.x().size()) +
                                    " values, the parameters " + std::to_string(parameter_count(params)));
    }
    m_lbfgs.iterate(objective);
    unflatten(m_lbfgs.x(), params);  // the last evaluation need not be the accepted point
    IterationInfo info;
    info.loss = m_lbfgs.f();
    info.evaluations = m_lbfgs.evaluations() - before;
    info.stop = m_lbfgs.stopped();
    info.stop_reason = m_lbfgs.stop_reason();
    return info;
}

template class LbfgsOptimizer<float>;
template class LbfgsOptimizer<double>;

}  // namespace ae
