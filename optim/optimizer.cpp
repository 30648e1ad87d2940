// optim/optimizer.cpp: list checks, state lookup and the first-order iteration.
#include "optim/optimizer.hpp"

#include <cmath>
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

template <class T>
void check_lists(const std::string& owner, const ParamList<T>& params, const Gradients<T>& grads,
                 const std::vector<Shape>& shapes) {
    if (params.size() != grads.size())
        throw std::invalid_argument(owner + ": " + std::to_string(params.size()) +
                                    " parameters but " + std::to_string(grads.size()) +
                                    " gradients");
    if (!shapes.empty() && shapes.size() != params.size())
        throw std::invalid_argument(owner + ": the state holds " + std::to_string(shapes.size()) +
                                    " parameters, this step has " + std::to_string(params.size()));
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (!params[i].array) throw std::invalid_argument(owner + ": parameter " + params[i].name + " has no array");
        const std::string what = owner + ": parameter " + params[i].name;
        if (params[i].array->shape() != grads[i].shape())
            throw ShapeError(what + " and its gradient", shape_of(*params[i].array), shape_of(grads[i]), "differ");
        if (!shapes.empty() && shape_of(*params[i].array) != shapes[i])
            throw ShapeError(what + " and its state", shape_of(*params[i].array), shapes[i], "differ");
    }
}

template <class T>
IterationInfo FirstOrderOptimizer<T>::iterate(const ParamList<T>& params,
                                              const typename Optimizer<T>::Evaluate& evaluate) {
    m_grads.resize(params.size());  // allocated by the first call, then reused
    for (std::size_t i = 0; i < params.size(); ++i)
        if (m_grads[i].shape() != params[i].array->shape()) m_grads[i].resize(params[i].array->shape());
    IterationInfo info;
    info.loss = evaluate(m_grads);
    info.evaluations = 1;
    if (!std::isfinite(info.loss)) {
        info.stop = true;
        info.stop_reason = this->name() + ": the loss is not finite (" + std::to_string(info.loss) +
                           "); parameters left unchanged";
        return info;
    }
    step(params, m_grads);
    return info;
}

template void check_lists<float>(const std::string&, const ParamList<float>&, const Gradients<float>&,
                                 const std::vector<Shape>&);
template void check_lists<double>(const std::string&, const ParamList<double>&, const Gradients<double>&,
                                  const std::vector<Shape>&);
template class FirstOrderOptimizer<float>;
template class FirstOrderOptimizer<double>;

}  // namespace ae
