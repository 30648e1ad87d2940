// layers/params.cpp: flattening and lookup of named parameter arrays.
#include "layers/params.hpp"

#include <algorithm>
#include <stdexcept>

namespace ae {

template <class T>
std::size_t parameter_count(const ParamList<T>& params) {
    std::size_t n = 0;
    for (const Named<T>& p : params) n += p.array->size();
    return n;
}

namespace {

// Copies the arrays at(0), ..., at(count - 1) one after the other into out.
template <class At>
void flatten_each(std::size_t count, At at, Vector& out) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < count; ++i) n += at(i).size();
    if (out.size() != n) out.resize({n});
    double* p = out.data();
    for (std::size_t i = 0; i < count; ++i) p = std::copy(at(i).begin(), at(i).end(), p);
}

}  // namespace

template <class T>
void flatten(const ParamList<T>& params, Vector& out) {
    flatten_each(params.size(), [&](std::size_t i) -> const Array<T>& { return *params[i].array; }, out);
}

template <class T>
void flatten(const std::vector<Array<T>>& arrays, Vector& out) {
    flatten_each(arrays.size(), [&](std::size_t i) -> const Array<T>& { return arrays[i]; }, out);
}

template <class T>
void unflatten(const Vector& v, const ParamList<T>& params) {
    const std::size_t n = parameter_count(params);
    if (v.size() != n)
        throw std::invalid_argument("unflatten: a vector of " + std::to_string(v.size()) +
                                    " values for " + std::to_string(n) + " parameters");
    const double* p = v.data();
    for (const Named<T>& a : params) {
        std::transform(p, p + a.array->size(), a.array->begin(), [](double x) { return T(x); });
        p += a.array->size();
    }
}

template <class T>
Vars<T> enter(Tape<T>& tape, const ParamList<T>& params) {
    Vars<T> vars;
    vars.reserve(params.size());
    for (const Named<T>& p : params) vars.push_back(tape.borrow(*p.array));
    return vars;
}

template <class T>
Array<T>& find(const ParamList<T>& params, const std::string& name) {
    std::string names;
    for (const Named<T>& p : params) {
        if (p.name == name) return *p.array;
        names += (names.empty() ? "" : ", ") + p.name;
    }
    throw std::out_of_range("no parameter called " + name + " (there are: " + names + ")");
}

template <class T>
Bound<T>::Bound(const std::vector<std::string>& names, const Vars<T>& vars, std::string scope)
    : m_names(&names), m_vars(&vars), m_scope(std::move(scope)) {
    if (names.size() != vars.size())
        throw std::invalid_argument(std::to_string(vars.size()) + " parameters given, the model has " +
                                    std::to_string(names.size()));
}

template <class T>
const Var<T>& Bound<T>::at(const std::string& name) const {
    for (std::size_t i = 0; i < m_names->size(); ++i)
        if ((*m_names)[i] == name) return (*m_vars)[i];
    std::string list;
    for (const std::string& n : *m_names) list += (list.empty() ? "" : ", ") + n;
    throw std::out_of_range("no parameter called " + name + " (there are: " + list + ")");
}

template <class T>
Bound<T> Bound<T>::with_values(const std::vector<std::string>& names, const Vars<T>& values) const {
    if (names.size() != values.size())
        throw std::invalid_argument(std::to_string(values.size()) + " values of the pass for " + std::to_string(names.size()) + " names");
    Bound b = *this;
    b.m_value_names = &names;
    b.m_values = &values;
    return b;
}

template <class T>
const Var<T>* Bound<T>::value(const std::string& name) const {
    if (m_value_names)
        for (std::size_t i = 0; i < m_value_names->size(); ++i)
            if ((*m_value_names)[i] == name) return &(*m_values)[i];
    return nullptr;
}

#define AEZOO_INSTANTIATE(T)                                              \
    template std::size_t parameter_count(const ParamList<T>&);            \
    template void flatten(const ParamList<T>&, Vector&);                  \
    template void flatten(const std::vector<Array<T>>&, Vector&);         \
    template void unflatten(const Vector&, const ParamList<T>&);          \
    template Vars<T> enter(Tape<T>&, const ParamList<T>&);                \
    template Array<T>& find(const ParamList<T>&, const std::string&);
template class Bound<float>;
template class Bound<double>;
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
