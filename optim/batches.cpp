// optim/batches.cpp: shuffled minibatches, gathered without allocating once each shape is seen.
#include "optim/batches.hpp"

#include <algorithm>
#include <numeric>
#include <random>

#include "optim/train_options.hpp"

namespace ae {

namespace {

const std::uint64_t kShuffle = 2;  // derive_seed stream of the epochs' orders

}  // namespace

template <class T>
Batches<T>::Batches(const Array<T>& x, const Array<T>& y, std::size_t batch_size, std::uint64_t seed)
    : m_x(x), m_y(y), m_batch(batch_size), m_seed(seed), m_full(batch_size == 0 || batch_size >= x.shape(1)) {
    m_per_epoch = m_full ? 1 : (x.shape(1) + m_batch - 1) / m_batch;
}

template <class T>
std::size_t Batches<T>::epoch(std::size_t step) const {
    return (step - 1) / m_per_epoch + 1;
}

template <class T>
typename Batches<T>::View Batches<T>::at(std::size_t step) {
    if (m_full) return {&m_x, &m_y, &m_all, false};
    const std::size_t m = m_x.shape(1), e = epoch(step), first = (step - 1) % m_per_epoch * m_batch;
    if (m_perm_epoch != e) {
        m_perm.resize(m);
        std::iota(m_perm.begin(), m_perm.end(), std::size_t(0));
        std::mt19937_64 rng(derive_seed(m_seed, kShuffle, e));
        std::shuffle(m_perm.begin(), m_perm.end(), rng);
        m_perm_epoch = e;
    }
    const std::size_t n = std::min(m_batch, m - first);
    const bool remainder = n < m_batch;
    Array<T>& xb = remainder ? m_xr : m_xb;
    Array<T>& yb = remainder ? m_yr : m_yb;
    m_columns.assign(m_perm.begin() + std::ptrdiff_t(first), m_perm.begin() + std::ptrdiff_t(first + n));
    gather_columns(m_x, m_columns.data(), n, xb);
    if (m_y.size() == 0) return {&xb, &m_y, &m_columns, remainder};
    gather_columns(m_y, m_columns.data(), n, yb);
    return {&xb, &yb, &m_columns, remainder};
}

template class Batches<float>;
template class Batches<double>;

}  // namespace ae
