// tests/helpers.hpp: random test arrays and error messages.
#pragma once
#include <cstdint>
#include <exception>
#include <random>
#include <string>

#include "autodiff/array.hpp"

namespace ae::test {

// Uniform entries in [lo, hi], reproducible from the seed.
template <class T = double>
Array<T> uniform(std::size_t rows, std::size_t cols, double lo, double hi, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    Array<T> a = Array<T>::from_shape({rows, cols});
    for (T& e : a) e = T(u(rng));
    return a;
}

// The message of whatever f throws, or "(no exception)".
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace ae::test
