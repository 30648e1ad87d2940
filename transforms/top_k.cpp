// transforms/top_k.cpp: per-column selection of the k largest pre-activations.
#include "transforms/top_k.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace ae {
namespace {

// Row indices of column j ordered by decreasing value (ties: lower row first), first n of them.
template <class T>
std::vector<std::size_t> largest(const Array<T>& z, std::size_t j, std::size_t n) {
    std::vector<std::size_t> idx(z.shape(0));
    std::iota(idx.begin(), idx.end(), std::size_t(0));
    std::partial_sort(idx.begin(), idx.begin() + std::ptrdiff_t(n), idx.end(), [&](std::size_t a, std::size_t b) {
        return z(a, j) > z(b, j) || (z(a, j) == z(b, j) && a < b);
    });
    idx.resize(n);
    return idx;
}

}  // namespace

template <class T>
Array<T> top_k_mask(const Array<T>& z, std::size_t k) {
    if (k > z.shape(0))
        throw std::invalid_argument("top_k_mask: k = " + std::to_string(k) + " is more than the " +
                                    std::to_string(z.shape(0)) + " hidden units");
    Array<T> mask = xt::zeros<T>(z.shape());
    for (std::size_t j = 0; j < z.shape(1); ++j)
        for (std::size_t i : largest(z, j, k)) mask(i, j) = T(1);
    return mask;
}

template <class T>
double top_k_gap(const Array<T>& z, std::size_t k) {
    double gap = std::numeric_limits<double>::infinity();
    if (k == 0 || k >= z.shape(0)) return gap;
    for (std::size_t j = 0; j < z.shape(1); ++j) {
        const std::vector<std::size_t> top = largest(z, j, k + 1);
        gap = std::min(gap, double(z(top[k - 1], j)) - double(z(top[k], j)));
    }
    return gap;
}

std::size_t k_schedule(std::size_t step, std::size_t steps, std::size_t k_start, std::size_t k_target) {
    const std::size_t half = steps / 2;
    if (k_start <= k_target || step >= half) return k_target;
    const double t = double(step) / double(half);
    return std::size_t(std::lround(double(k_start) + t * (double(k_target) - double(k_start))));
}

template Array<float> top_k_mask(const Array<float>&, std::size_t);
template Array<double> top_k_mask(const Array<double>&, std::size_t);
template double top_k_gap(const Array<float>&, std::size_t);
template double top_k_gap(const Array<double>&, std::size_t);

}  // namespace ae
