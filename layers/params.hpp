// layers/params.hpp: a model's parameters as named arrays (the names are the .npz keys; optimizers
// and the trainer take the same list), and the flat-vector view of them that L-BFGS and gradient
// checks want.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "autodiff/grad.hpp"

namespace ae {

// One parameter: its name and the model's own array (the model must outlive the list). weight:
// a weight matrix, which weight decay applies to (a bias is not).
template <class T>
struct Named {
    std::string name;
    Array<T>* array = nullptr;
    bool weight = false;
};

template <class T>
using ParamList = std::vector<Named<T>>;

// Total number of scalars.
template <class T> std::size_t parameter_count(const ParamList<T>& params);

// The flat view that L-BFGS and gradient checks want: every array in list order, each row-major,
// in one vector of doubles; and a function of such a vector, which returns f(x) and writes ∇f(x)
// into g.
using Vector = xt::xtensor<double, 1>;
using Objective = std::function<double(const Vector& x, Vector& g)>;

// `out` is resized only when its size differs, so a loop reuses it.
template <class T> void flatten(const ParamList<T>& params, Vector& out);
template <class T> void flatten(const std::vector<Array<T>>& arrays, Vector& out);  // e.g. gradients
template <class T> Vector flatten(const ParamList<T>& params) {
    Vector v;
    flatten(params, v);
    return v;
}
// Writes v back into the arrays (converted to T); throws when the sizes differ.
template <class T> void unflatten(const Vector& v, const ParamList<T>& params);

// The parameters entered on a tape without copying (Tape::borrow), in list order.
template <class T> Vars<T> enter(Tape<T>& tape, const ParamList<T>& params);

// The parameter called name; throws std::out_of_range naming the ones there are.
template <class T> Array<T>& find(const ParamList<T>& params, const std::string& name);

// The parameters on a tape, looked up by name: how a layer finds its own ("W" inside the scope
// "encoder.0") and a tied layer another's ("encoder.0.W"). Holds references: the names and the
// Vars must outlive it.
template <class T>
class Bound {
public:
    Bound(const std::vector<std::string>& names, const Vars<T>& vars, std::string scope = "");
    const Var<T>& operator[](const std::string& local) const { return at(m_scope + local); }
    const Var<T>& at(const std::string& name) const;  // throws naming the parameters there are
    Bound in(const std::string& scope) const {
        Bound b = *this;
        b.m_scope += scope + ".";
        return b;
    }
    // Values of the pass besides the parameters, by name, that a layer may read: an unpooling
    // reads the input of the encoder's pooling ("encoder.2.input"). null when not in this pass.
    Bound with_values(const std::vector<std::string>& names, const Vars<T>& values) const;
    const Var<T>* value(const std::string& name) const;

private:
    const std::vector<std::string>* m_names;
    const Vars<T>* m_vars;
    std::string m_scope;
    const std::vector<std::string>* m_value_names = nullptr;
    const Vars<T>* m_values = nullptr;
};

}  // namespace ae
