// autodiff/functions.hpp: composites written with primitives; they need no VJP of their own.
#pragma once
#include <string>

#include "autodiff/operators.hpp"

namespace ae {

template <class T> std::size_t rows(const Var<T>& x) { return x.shape()[0]; }
template <class T> std::size_t cols(const Var<T>& x) { return x.shape()[1]; }

// The value of a 1x1 Var.
template <class T>
T item(const Var<T>& x) {
    if (x.shape() != Shape{1, 1}) throw std::invalid_argument("item: expected a 1x1 Var, got " + str(x.shape()));
    return x.value()(0, 0);
}

template <class T> Var<T> sum(const Var<T>& x) { return sum_to(x, {1, 1}); }

// axis 0: down each column, giving 1 x m; axis 1: along each row, giving n x 1.
template <class T>
Var<T> sum(const Var<T>& x, int axis) {
    if (axis != 0 && axis != 1) throw std::invalid_argument("sum: axis must be 0 or 1, got " + std::to_string(axis));
    return sum_to(x, axis == 0 ? Shape{1, cols(x)} : Shape{rows(x), 1});
}

template <class T> Var<T> mean(const Var<T>& x) { return sum(x) / double(rows(x) * cols(x)); }
template <class T> Var<T> mean(const Var<T>& x, int axis) {
    return sum(x, axis) / double(axis == 0 ? rows(x) : cols(x));
}

// The mean of each row over the batch (n x 1): over every process's columns when the tape evaluates
// a shard of the batch (Tape::shard), so that a batch statistic (the KL term's rho_hat) is the
// whole batch's.
template <class T> Var<T> batch_mean(const Var<T>& x) {
    const Shard& s = x.tape->shard();
    return s.comm ? all_sum(sum(x, 1)) / double(s.total) : mean(x, 1);
}

template <class T> Var<T> log_sigmoid(const Var<T>& x) { return -softplus(-x); }
template <class T> Var<T> log_softmax(const Var<T>& x, int axis) { return x - logsumexp(x, axis); }
template <class T> Var<T> softmax(const Var<T>& x, int axis) { return exp(log_softmax(x, axis)); }

// Σ x ⊙ y (a 1x1 Var): the inner product of two arrays of one shape.
template <class T> Var<T> dot(const Var<T>& x, const Var<T>& y) { return sum(x * y); }

}  // namespace ae
