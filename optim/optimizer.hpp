// optim/optimizer.hpp: what every optimizer shares: parameter lists, named state for checkpoints,
// the one-iteration interface a training loop drives, and hyper-parameter range checks.
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "autodiff/array.hpp"

namespace ae {

// Parameters and their gradients, in one fixed order (the same order on every call).
template <class T>
using ArrayPtrs = std::vector<Array<T>*>;
template <class T>
using ConstArrayPtrs = std::vector<const Array<T>*>;

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
    using Evaluate = std::function<double(const ArrayPtrs<T>& grads)>;

    virtual ~Optimizer() = default;
    virtual std::string name() const = 0;
    // One iteration: evaluates as often as it needs and updates `params` in place.
    virtual IterationInfo iterate(const ArrayPtrs<T>& params, const Evaluate& evaluate) = 0;
    virtual OptimizerState state() const = 0;
    virtual void set_state(const OptimizerState& state) = 0;
};

// An optimizer that needs one gradient per update, so a caller may also hand it gradients.
template <class T>
class FirstOrderOptimizer : public Optimizer<T> {
public:
    // One in-place update from gradients of the loss (which already includes 1/m and weight decay).
    virtual void step(const ArrayPtrs<T>& params, const ConstArrayPtrs<T>& grads) = 0;
    // Evaluates once into owned buffers, then steps; a non-finite loss stops without updating.
    IterationInfo iterate(const ArrayPtrs<T>& params,
                          const typename Optimizer<T>::Evaluate& evaluate) override;

private:
    std::vector<Array<T>> m_grads;
    ArrayPtrs<T> m_grad_out;
    ConstArrayPtrs<T> m_grad_in;
};

extern template class FirstOrderOptimizer<float>;
extern template class FirstOrderOptimizer<double>;

// An interval for a hyper-parameter: [lo, hi], (lo, hi], ... NaN is never inside.
struct Range {
    double lo, hi;
    bool lo_closed, hi_closed;
    bool contains(double v) const;
    std::string str() const;  // "[0, 1)"
};
inline Range closed_open(double lo, double hi) {
    return {lo, hi, true, false};
}
inline Range open_open(double lo, double hi) {
    return {lo, hi, false, false};
}
Range positive();      // (0, inf)
Range non_negative();  // [0, inf)

// Throws std::invalid_argument "Adam: beta1 = 1.5 is outside the allowed range [0, 1)".
void check_range(const std::string& owner, const std::string& name, double value,
                 const Range& range);

// Throws unless params and grads have the same count and each gradient has its parameter's
// shape; with `shapes` non-empty, the parameters must also have those shapes (the state's).
template <class T>
void check_lists(const std::string& owner, const ArrayPtrs<T>& params, const ConstArrayPtrs<T>& grads,
                 const std::vector<Shape>& shapes);

}  // namespace ae
