// optim/lbfgs_optimizer.hpp: L-BFGS behind the Optimizer interface, over a model's parameters
// (flattened into one double vector), so a training loop drives it like Adam.
#pragma once
#include "optim/lbfgs.hpp"
#include "optim/optimizer.hpp"

namespace ae {

// Full-batch L-BFGS: `evaluate` should compute the loss over the whole training set, since
// the line search compares f at several points. L-BFGS always works in double: with float
// parameters the iterate x is kept in double and the objective sees float(x).
template <class T>
class LbfgsOptimizer : public Optimizer<T> {
public:
    explicit LbfgsOptimizer(LbfgsOptions options = {}) : m_lbfgs(std::move(options)) {}
    std::string name() const override { return "L-BFGS"; }
    // The first call starts from the parameters' values (one extra evaluation). Each call does
    // one L-BFGS iteration and leaves the parameters at the accepted point; loss is f there.
    IterationInfo iterate(const ParamList<T>& params, const typename Optimizer<T>::Evaluate& evaluate) override;
    // Lbfgs's named arrays and scalars (see Lbfgs::state).
    OptimizerState state() const override { return m_lbfgs.state(); }
    void set_state(const OptimizerState& state) override { m_lbfgs.set_state(state); }
    const Lbfgs& solver() const { return m_lbfgs; }

private:
    Lbfgs m_lbfgs;
    Gradients<T> m_grads;
};

extern template class LbfgsOptimizer<float>;
extern template class LbfgsOptimizer<double>;

}  // namespace ae
