// autodiff/array.hpp: the one array type (a matrix; a scalar is 1x1) and shape errors.
#pragma once
#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor/xnoalias.hpp>
#include <xtensor/xtensor.hpp>

namespace ae {

// Examples are columns, as in the documents: z = W x + b with x of shape (inputs, examples).
template <class T>
using Array = xt::xtensor<T, 2>;

using Shape = std::array<std::size_t, 2>;

std::string str(const Shape& s);  // "(3, 4)"

template <class T>
Shape shape_of(const Array<T>& a) {
    return {a.shape(0), a.shape(1)};
}

inline std::size_t size_of(const Shape& s) { return s[0] * s[1]; }

// Selected examples: out = the columns cols[0..n) of x, converted to U. `out` is resized only when
// its shape differs, so a training loop's batches reuse it.
template <class T, class U>
void gather_columns(const Array<T>& x, const std::size_t* cols, std::size_t n, Array<U>& out) {
    const std::size_t rows = x.shape(0), m = x.shape(1);
    if (out.shape(0) != rows || out.shape(1) != n) out.resize({rows, n});
    for (std::size_t r = 0; r < rows; ++r) {
        const T* src = x.data() + r * m;
        U* dst = out.data() + r * n;
        for (std::size_t j = 0; j < n; ++j) dst[j] = U(src[cols[j]]);
    }
}

// The columns idx of x, or its first n columns (all of them when there are fewer), as U.
template <class U, class T>
Array<U> columns(const Array<T>& x, const std::vector<std::size_t>& idx) {
    Array<U> out;
    gather_columns(x, idx.data(), idx.size(), out);
    return out;
}
template <class U, class T>
Array<U> first_columns(const Array<T>& x, std::size_t n) {
    std::vector<std::size_t> idx(std::min(n, x.shape(1)));
    for (std::size_t j = 0; j < idx.size(); ++j) idx[j] = j;
    return columns<U>(x, idx);
}

// A shape mismatch: the message names the operation and both shapes.
struct ShapeError : std::invalid_argument {
    ShapeError(const std::string& op, const Shape& a, const Shape& b, const std::string& what);
};

}  // namespace ae
