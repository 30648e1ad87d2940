// tests/helpers.hpp: random test arrays.
#pragma once
#include <cstdint>
#include <random>

#include "autodiff/array.hpp"

namespace ae::test {

// Uniform entries in [lo, hi], reproducible from the seed.
inline Array<double> uniform(std::size_t rows, std::size_t cols, double lo, double hi, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    Array<double> a = Array<double>::from_shape({rows, cols});
    for (double& e : a) e = u(rng);
    return a;
}

}  // namespace ae::test
