// optim/lbfgs_optimizer.cpp: flattening parameter lists, and L-BFGS as an Optimizer.
#include "optim/lbfgs_optimizer.hpp"

#include <algorithm>
#include <stdexcept>

namespace ae {

template <class T>
std::size_t flat_size(const ArrayPtrs<T>& arrays) {
    std::size_t n = 0;
    for (const Array<T>* a : arrays) n += a->size();
    return n;
}

template <class T>
void flatten(const ArrayPtrs<T>& arrays, Vector& out) {
    const std::size_t n = flat_size(arrays);
    if (out.size() != n) out.resize({n});
    double* p = out.data();
    for (const Array<T>* a : arrays) p = std::copy(a->begin(), a->end(), p);
}

template <class T>
void unflatten(const Vector& v, const ArrayPtrs<T>& arrays) {
    if (v.size() != flat_size(arrays))
        throw std::invalid_argument("unflatten: vector of " + std::to_string(v.size()) +
                                    " elements for arrays holding " +
                                    std::to_string(flat_size(arrays)));
    const double* p = v.data();
    for (Array<T>* a : arrays) {
        std::transform(p, p + a->size(), a->begin(), [](double x) { return T(x); });
        p += a->size();
    }
}

template <class T>
IterationInfo LbfgsOptimizer<T>::iterate(const ArrayPtrs<T>& params,
                                         const typename Optimizer<T>::Evaluate& evaluate) {
    if (m_grads.size() != params.size()) {
        m_grads.clear(), m_grad_ptrs.clear();
        for (const Array<T>* p : params) m_grads.push_back(Array<T>::from_shape(p->shape()));
        for (Array<T>& g : m_grads) m_grad_ptrs.push_back(&g);
    }
    const Objective objective = [&](const Vector& x, Vector& g) {
        unflatten(x, params);
        const double f = evaluate(m_grad_ptrs);
        flatten(m_grad_ptrs, g);
        return f;
    };
    const std::size_t before = m_lbfgs.started() ? m_lbfgs.evaluations() : 0;
    if (!m_lbfgs.started()) {
        Vector x0;
        flatten(params, x0);
        m_lbfgs.start(objective, std::move(x0));
    } else if (m_lbfgs.x().size() != flat_size(params)) {
        throw std::invalid_argument("L-BFGS: the state holds " +
                                    std::to_string(m_lbfgs.x().size()) +
                                    " values, the parameters " + std::to_string(flat_size(params)));
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

template std::size_t flat_size(const ArrayPtrs<float>&);
template std::size_t flat_size(const ArrayPtrs<double>&);
template void flatten(const ArrayPtrs<float>&, Vector&);
template void flatten(const ArrayPtrs<double>&, Vector&);
template void unflatten(const Vector&, const ArrayPtrs<float>&);
template void unflatten(const Vector&, const ArrayPtrs<double>&);
template class LbfgsOptimizer<float>;
template class LbfgsOptimizer<double>;

}  // namespace ae
