// optim/gradient_descent.hpp: the documents' batch gradient descent, with classical or Nesterov
// momentum (Sutskever, Martens, Dahl & Hinton 2013).
#pragma once
#include "optim/optimizer.hpp"

namespace ae {

struct GradientDescentOptions {
    double learning_rate = 0.1;  // α, in (0, inf)
    double momentum = 0.0;       // μ, in [0, 1); 0 is plain gradient descent
    bool nesterov = false;       // look-ahead form; needs momentum > 0 to differ
};

// The documents' step 5 is W ← W − α[(1/m)ΔW + λW]. Here the loss already holds the 1/m and
// the weight decay (its gradient is (1/m)ΔW + λW), so the update is W ← W − α ∇W, for every
// parameter alike (biases get no decay because the loss gives them none). With momentum μ:
//   v ← μ v − α ∇W,   W ← W + v                 (classical)
//   v ← μ v − α ∇W,   W ← W + μ v − α ∇W        (Nesterov, in the form that needs no look-ahead
//                                                evaluation)
// With μ = 0 both reduce to W ← W − α ∇W exactly (W + (−α∇W) rounds as W − α∇W).
template <class T>
class GradientDescent : public FirstOrderOptimizer<T> {
public:
    explicit GradientDescent(const GradientDescentOptions& options = {});
    std::string name() const override { return "GradientDescent"; }
    void step(const ParamList<T>& params, const Gradients<T>& grads) override;
    // Arrays "velocity.<i>" (once a step has run or a state was set); scalar "step".
    OptimizerState state() const override;
    void set_state(const OptimizerState& state) override;

    const GradientDescentOptions& options() const { return m_options; }
    void set_learning_rate(double learning_rate);  // for schedules; checked like the options
    std::size_t steps() const { return m_steps; }

private:
    GradientDescentOptions m_options;
    std::vector<Array<T>> m_velocity;  // empty without momentum
    std::vector<Shape> m_shapes;       // the parameters' shapes, fixed at the first step
    std::size_t m_steps = 0;
};

extern template class GradientDescent<float>;
extern template class GradientDescent<double>;

}  // namespace ae
