// models/loss.hpp: a model's loss as named terms on a tape, and what a trainer does with it:
// evaluate (values and gradients of named parameters) or a flat objective for L-BFGS.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "autodiff/gradcheck.hpp"
#include "layers/params.hpp"

namespace ae {

// The total and each named term (1x1 Vars on one tape), so a trainer can log every term.
template <class T>
struct Loss {
    Var<T> total;
    std::vector<std::pair<std::string, Var<T>>> terms;

    void add(const std::string& name, const Var<T>& term);  // appends, and adds into total
    const Var<T>& term(const std::string& name) const;      // throws std::out_of_range
};

// A loss of the parameters (entered on a tape, in the order of the model's ParamList); the data,
// the labels and the noise seed are captured by the function.
template <class T>
using LossFn = std::function<Loss<T>(const Vars<T>& params)>;

template <class T>
struct Evaluation {
    double total = 0;
    std::vector<std::pair<std::string, double>> terms;
    std::vector<Array<T>> gradient;  // one array per parameter, list order; empty if not asked for
};

// Enters the parameters on `tape` (cleared first, its buffers reused), evaluates and differentiates.
template <class T>
Evaluation<T> evaluate(Tape<T>& tape, const ParamList<T>& params, const LossFn<T>& loss, bool gradient = true);
template <class T>
Evaluation<T> evaluate(const ParamList<T>& params, const LossFn<T>& loss, bool gradient = true);

// The flat view an optimiser such as L-BFGS wants: f(theta, g) writes theta into the parameter
// arrays (so the model follows the optimiser), returns the loss and writes its gradient into g.
template <class T>
Objective flat_objective(const ParamList<T>& params, LossFn<T> loss);

// The total loss as a function of the parameters, for check_gradient & co. (double precision).
Function as_function(const LossFn<double>& loss);

}  // namespace ae
