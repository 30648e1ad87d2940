// models/loss.cpp: evaluating a loss of named parameters; flat views of it.
#include "models/loss.hpp"

#include <memory>
#include <stdexcept>

#include "autodiff/functions.hpp"

namespace ae {

template <class T>
void Loss<T>::add(const std::string& name, const Var<T>& term) {
    if (term.shape() != Shape{1, 1})
        throw std::invalid_argument("loss term " + name + " is not a scalar: shape " + str(term.shape()));
    terms.emplace_back(name, term);
    total = total ? total + term : term;
}

template <class T>
const Var<T>& Loss<T>::term(const std::string& name) const {
    for (const auto& [n, v] : terms)
        if (n == name) return v;
    throw std::out_of_range("the loss has no term called " + name);
}

template <class T>
Evaluation<T> evaluate(Tape<T>& tape, const ParamList<T>& params, const LossFn<T>& loss, bool gradient) {
    tape.clear();
    const Vars<T> p = enter(tape, params);
    const Loss<T> l = loss(p);
    Evaluation<T> e;
    e.total = double(item(l.total));
    for (const auto& [name, v] : l.terms) e.terms.emplace_back(name, double(item(v)));
    if (gradient)
        for (const Var<T>& g : grad(l.total, p)) e.gradient.push_back(g.value());
    return e;
}

template <class T>
Evaluation<T> evaluate(const ParamList<T>& params, const LossFn<T>& loss, bool gradient) {
    Tape<T> tape;
    return evaluate(tape, params, loss, gradient);
}

template <class T>
Objective flat_objective(const ParamList<T>& params, LossFn<T> loss) {
    auto tape = std::make_shared<Tape<T>>();  // kept across calls: buffers are reused
    return [params, loss = std::move(loss), tape](const Vector& theta, Vector& g) {
        unflatten(theta, params);
        Evaluation<T> e = evaluate(*tape, params, loss, true);
        flatten(e.gradient, g);
        return e.total;
    };
}

Function as_function(const LossFn<double>& loss) {
    return [loss](const Vars<double>& p) { return loss(p).total; };
}

template struct Loss<float>;
template struct Loss<double>;
#define AEZOO_INSTANTIATE(T)                                                                   \
    template Evaluation<T> evaluate(Tape<T>&, const ParamList<T>&, const LossFn<T>&, bool);    \
    template Evaluation<T> evaluate(const ParamList<T>&, const LossFn<T>&, bool);              \
    template Objective flat_objective(const ParamList<T>&, LossFn<T>);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
