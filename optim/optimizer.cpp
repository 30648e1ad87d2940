// optim/optimizer.cpp: range checks, list checks, state lookup and the first-order iteration.
#include "optim/optimizer.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace ae {

const Array<double>& state_array(const OptimizerState& s, const std::string& owner,
                                 const std::string& key) {
    auto it = s.arrays.find(key);
    if (it == s.arrays.end())
        throw std::invalid_argument(owner + ": state has no array named '" + key + "'");
    return it->second;
}

double state_scalar(const OptimizerState& s, const std::string& owner, const std::string& key) {
    auto it = s.scalars.find(key);
    if (it == s.scalars.end())
        throw std::invalid_argument(owner + ": state has no scalar named '" + key + "'");
    return it->second;
}

bool Range::contains(double v) const {
    const bool above = lo_closed ? v >= lo : v > lo;
    const bool below = hi_closed ? v <= hi : v < hi;
    return above && below;  // false for NaN
}

std::string Range::str() const {
    std::ostringstream s;
    s << (lo_closed ? '[' : '(') << lo << ", " << hi << (hi_closed ? ']' : ')');
    return s.str();
}

Range positive() {
    return {0.0, std::numeric_limits<double>::infinity(), false, false};
}
Range non_negative() {
    return {0.0, std::numeric_limits<double>::infinity(), true, false};
}

void check_range(const std::string& owner, const std::string& name, double value,
                 const Range& range) {
    if (range.contains(value)) return;
    std::ostringstream s;
    s << owner << ": " << name << " = " << value << " is outside the allowed range " << range.str();
    throw std::invalid_argument(s.str());
}

template <class T>
void check_lists(const std::string& owner, const ArrayPtrs<T>& params, const ConstArrayPtrs<T>& grads,
                 const std::vector<Shape>& shapes) {
    if (params.size() != grads.size())
        throw std::invalid_argument(owner + ": " + std::to_string(params.size()) +
                                    " parameters but " + std::to_string(grads.size()) +
                                    " gradients");
    if (!shapes.empty() && shapes.size() != params.size())
        throw std::invalid_argument(owner + ": the state holds " + std::to_string(shapes.size()) +
                                    " parameters, this step has " + std::to_string(params.size()));
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (!params[i] || !grads[i])
            throw std::invalid_argument(owner + ": null pointer at position " + std::to_string(i));
        const std::string what = owner + ": parameter " + std::to_string(i);
        if (params[i]->shape() != grads[i]->shape())
            throw ShapeError(what + " and its gradient", shape_of(*params[i]), shape_of(*grads[i]),
                             "differ");
        if (!shapes.empty() && shape_of(*params[i]) != shapes[i])
            throw ShapeError(what + " and its state", shape_of(*params[i]), shapes[i], "differ");
    }
}

template <class T>
IterationInfo FirstOrderOptimizer<T>::iterate(const ArrayPtrs<T>& params,
                                              const typename Optimizer<T>::Evaluate& evaluate) {
    if (m_grads.size() != params.size()) {  // first call (or a new list): allocate once
        m_grads.clear();
        m_grad_out.clear();
        m_grad_in.clear();
        for (const Array<T>* p : params) m_grads.push_back(Array<T>::from_shape(p->shape()));
        for (Array<T>& g : m_grads) {
            m_grad_out.push_back(&g);
            m_grad_in.push_back(&g);
        }
    }
    for (std::size_t i = 0; i < params.size(); ++i)
        if (m_grads[i].shape() != params[i]->shape()) m_grads[i].resize(params[i]->shape());
    IterationInfo info;
    info.loss = evaluate(m_grad_out);
    info.evaluations = 1;
    if (!std::isfinite(info.loss)) {
        info.stop = true;
        info.stop_reason = this->name() + ": the loss is not finite (" + std::to_string(info.loss) +
                           "); parameters left unchanged";
        return info;
    }
    step(params, m_grad_in);
    return info;
}

template void check_lists<float>(const std::string&, const ArrayPtrs<float>&,
                                 const ConstArrayPtrs<float>&, const std::vector<Shape>&);
template void check_lists<double>(const std::string&, const ArrayPtrs<double>&,
                                  const ConstArrayPtrs<double>&, const std::vector<Shape>&);
template class FirstOrderOptimizer<float>;
template class FirstOrderOptimizer<double>;

}  // namespace ae
