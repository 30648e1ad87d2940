// autodiff/array.hpp: the one array type (a matrix; a scalar is 1x1) and shape errors.
#pragma once
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>

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

// A shape mismatch: the message names the operation and both shapes.
struct ShapeError : std::invalid_argument {
    ShapeError(const std::string& op, const Shape& a, const Shape& b, const std::string& what);
};

}  // namespace ae
