// optim/lbfgs_optimizer.hpp: L-BFGS behind the Optimizer interface, over a list of parameter
// arrays (flattened into one double vector), so a training loop drives it like Adam.
#pragma once
#include "optim/lbfgs.hpp"
#include "optim/optimizer.hpp"

namespace ae {

// Total number of elements, and copies between a list of arrays and one flat vector (in list
// order, each array row-major). flatten resizes `out` only if its size differs.
template <class T>
std::size_t flat_size(const ArrayPtrs<T>& arrays);
template <class T>
void flatten(const ArrayPtrs<T>& arrays, Vector& out);
template <class T>
void unflatten(const Vector& v, const ArrayPtrs<T>& arrays);  // throws if the sizes differ

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
    IterationInfo iterate(const ArrayPtrs<T>& params,
                          const typename Optimizer<T>::Evaluate& evaluate) override;
    // Lbfgs's named arrays and scalars (see Lbfgs::state).
    OptimizerState state() const override { return m_lbfgs.state(); }
    void set_state(const OptimizerState& state) override { m_lbfgs.set_state(state); }
    const Lbfgs& solver() const { return m_lbfgs; }

private:
    Lbfgs m_lbfgs;
    std::vector<Array<T>> m_grads;
    ArrayPtrs<T> m_grad_ptrs;
};

extern template class LbfgsOptimizer<float>;
extern template class LbfgsOptimizer<double>;

}  // namespace ae
