// autodiff/operators.hpp: arithmetic on Vars, one line each over the primitives.
#pragma once
#include "autodiff/ops.hpp"

namespace ae {

template <class T> Var<T> operator+(const Var<T>& a, const Var<T>& b) { return add(a, b); }
template <class T> Var<T> operator-(const Var<T>& a, const Var<T>& b) { return sub(a, b); }
template <class T> Var<T> operator*(const Var<T>& a, const Var<T>& b) { return mul(a, b); }
template <class T> Var<T> operator/(const Var<T>& a, const Var<T>& b) { return div(a, b); }
template <class T> Var<T> operator-(const Var<T>& x) { return neg(x); }

template <class T> Var<T> operator+(const Var<T>& x, double s) { return add_scalar(x, s); }
template <class T> Var<T> operator+(double s, const Var<T>& x) { return add_scalar(x, s); }
template <class T> Var<T> operator-(const Var<T>& x, double s) { return add_scalar(x, -s); }
template <class T> Var<T> operator-(double s, const Var<T>& x) { return add_scalar(neg(x), s); }
template <class T> Var<T> operator*(const Var<T>& x, double s) { return scale(x, s); }
template <class T> Var<T> operator*(double s, const Var<T>& x) { return scale(x, s); }
template <class T> Var<T> operator/(const Var<T>& x, double s) { return scale(x, 1.0 / s); }
template <class T> Var<T> operator/(double s, const Var<T>& x) { return scale(pow(x, -1.0), s); }

}  // namespace ae
