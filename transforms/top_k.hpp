// transforms/top_k.hpp: the k-sparse selection (Makhzani & Frey 2013). The mask is a constant: the
// gradient flows only through the kept units, which is the paper's rule.
#pragma once
#include <cstddef>

#include "autodiff/array.hpp"

namespace ae {

// 1 at the k largest entries of each column of z (equal values: the lower row wins), 0 elsewhere.
template <class T> Array<T> top_k_mask(const Array<T>& z, std::size_t k);

// The smallest gap, over the columns, between the k-th and (k+1)-th largest entries: how far z may
// move before the selection changes (infinity when k = 0 or k = rows).
template <class T> double top_k_gap(const Array<T>& z, std::size_t k);

// Makhzani & Frey's schedule: k falls linearly from k_start at step 0 to k_target at step steps/2,
// then stays at k_target.
std::size_t k_schedule(std::size_t step, std::size_t steps, std::size_t k_start, std::size_t k_target);

}  // namespace ae
