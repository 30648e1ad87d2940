// optim/adam.hpp: Adam (Kingma & Ba 2015, Algorithm 1, with bias correction).
#pragma once
#include "optim/optimizer.hpp"

namespace ae {

struct AdamOptions {
    double learning_rate = 1e-3;  // α, in (0, inf)
    double beta1 = 0.9;           // in [0, 1)
    double beta2 = 0.999;         // in [0, 1)
    double epsilon = 1e-8;        // in (0, inf)
};

// At step t (from 1), for each parameter W with gradient g:
//   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²,
//   W ← W − α m̂ / (√v̂ + ε)   with m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).
// Like the paper, ε is added to √v̂ (not to √v), so the defaults mean what the paper says.
template <class T>
class Adam : public FirstOrderOptimizer<T> {
public:
    explicit Adam(const AdamOptions& options = {});
    std::string name() const override { return "Adam"; }
    void step(const ParamList<T>& params, const Gradients<T>& grads) override;
    // Arrays "m.<i>" and "v.<i>" (once a step has run); scalar "step" (t).
    OptimizerState state() const override;
    void set_state(const OptimizerState& state) override;

    const AdamOptions& options() const { return m_options; }
    void set_learning_rate(double learning_rate);  // for schedules; checked like the options
    std::size_t steps() const { return m_steps; }

private:
    AdamOptions m_options;
    std::vector<Array<T>> m_m, m_v;  // first and second moment estimates
    std::vector<Shape> m_shapes;
    std::size_t m_steps = 0;
};

extern template class Adam<float>;
extern template class Adam<double>;

}  // namespace ae
