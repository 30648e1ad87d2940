// optim/optimizer.hpp: what every optimizer shares: named state for checkpoints, the one-iteration
// interface a training loop drives, and checks of parameter and gradient lists.
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "layers/params.hpp"

namespace ae {

// Parameters are a model's ParamList, in one fixed order (the same on every call); gradients are
// arrays in the same order, each shaped like its parameter.
template <class T>
using Gradients = std::vector<Array<T>>;

// An optimizer's state as named arrays and scalars, ready for a checkpoint. Arrays are double
// whatever the parameters' precision: float -> double -> float is exact, so a resume is bit for
// bit. Counters are stored as doubles (exact up to 2^53).
struct OptimizerState {
    std::map<std::string, Array<double>> arrays;
    std::map<std::string, double> scalars;
};

// Looks up an entry, naming the optimizer and the missing key if it is absent.
const Array<double>& state_array(const OptimizerState& s, const std::string& owner,
                                 const std::string& key);
double state_scalar(const OptimizerState& s, const std::string& owner, const std::string& key);

// What one iteration did.
struct IterationInfo {
    double loss = 0;              // first-order: before the update; L-BFGS: at the accepted point
    std::size_t evaluations = 0;  // calls of the objective during this iteration
    bool stop = false;            // true: further iterations would make no progress
    std::string stop_reason;
};

// The interface a training loop drives, for every optimizer (first-order and L-BFGS).
template <class T>
class Optimizer {
public:
    // Loss and gradients at the parameters' current values. The gradients go into `grads`,
    // already shaped like the parameters. The loss includes 1/m and any weight decay.
    using Evaluate = std::function<double(Gradients<T>& grads)>;

    virtual ~Optimizer() = default;
    virtual std::string name() const = 0;
    // One iteration: evaluates as often as it needs and updates `params` in place.
    virtual IterationInfo iterate(const ParamList<T>& params, const Evaluate& evaluate) = 0;
    virtual OptimizerState state() const = 0;
    virtual void set_state(const OptimizerState& state) = 0;
};

// An optimizer that needs one gradient per update, so a caller may also hand it gradients.
template <class T>
class FirstOrderOptimizer : public Optimizer<T> {
public:
    // One in-place update from gradients of the loss (which already includes 1/m and weight decay).
    virtual void step(const ParamList<T>& params, const Gradients<T>& grads) = 0;
    // Evaluates once into owned buffers, then steps; a non-finite loss stops without updating.
    IterationInfo iterate(const ParamList<T>& params, const typename Optimizer<T>::Evaluate& evaluate) override;

private:
    Gradients<T> m_grads;
};

extern template class FirstOrderOptimizer<float>;
extern template class FirstOrderOptimizer<double>;

// Throws unless params and grads have the same count and each gradient has its parameter's
// shape; with `shapes` non-empty, the parameters must also have those shapes (the state's).
template <class T>
void check_lists(const std::string& owner, const ParamList<T>& params, const Gradients<T>& grads,
                 const std::vector<Shape>& shapes);

}  // namespace ae
