// optim/batches.cpp: shuffled minibatches, gathered without allocating once each shape is seen.
#include "optim/batches.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>

#include "optim/train_options.hpp"

namespace ae {

namespace {

const std::uint64_t kShuffle = 2;  // derive_seed stream of the epochs' orders

// Process `rank` of `processes`'s part of a batch of n: its first column and its count.
std::pair<std::size_t, std::size_t> shard(std::size_t n, std::size_t rank, std::size_t processes) {
    const std::size_t first = n * rank / processes;
    return {first, n * (rank + 1) / processes - first};
}

}  // namespace

template <class T>
Batches<T>::Batches(const Array<T>& x, const Array<T>& y, std::size_t batch_size, std::uint64_t seed,
                    std::size_t rank, std::size_t processes)
    : m_x(x), m_y(y), m_batch(batch_size), m_seed(seed), m_rank(rank), m_processes(processes),
      m_full(batch_size == 0 || batch_size >= x.shape(1)) {
    const std::size_t m = x.shape(1);
    m_per_epoch = m_full ? 1 : (m + m_batch - 1) / m_batch;
    const std::size_t smallest = m_full ? m : m % m_batch ? m % m_batch : m_batch;
    if (smallest < processes)
        throw std::invalid_argument(
            "train: " + std::to_string(processes) + " processes share batches of as few as " +
            std::to_string(smallest) + " examples" + (m_full || smallest == m_batch ? "" : " (the last of each epoch)") +
            ": each process needs at least one example of every batch; use fewer processes or larger batches");
    if (m_full && processes > 1) {  // the shard of the one batch, gathered once
        const auto [first, n] = shard(m, rank, processes);
        m_all.resize(n);
        std::iota(m_all.begin(), m_all.end(), first);
        gather_columns(m_x, m_all.data(), n, m_xs);
        if (m_y.size() != 0) gather_columns(m_y, m_all.data(), n, m_ys);
    }
}

template <class T>
std::size_t Batches<T>::epoch(std::size_t step) const {
    return (step - 1) / m_per_epoch + 1;
}

template <class T>
typename Batches<T>::View Batches<T>::at(std::size_t step) {
    const std::size_t m = m_x.shape(1);
    if (m_full) {
        if (m_processes == 1) return {&m_x, &m_y, &m_all, false, 0, m};
        return {&m_xs, m_y.size() ? &m_ys : &m_y, &m_all, false, m_all.front(), m};
    }
    const std::size_t e = epoch(step), first = (step - 1) % m_per_epoch * m_batch;
    if (m_perm_epoch != e) {
        m_perm.resize(m);
        std::iota(m_perm.begin(), m_perm.end(), std::size_t(0));
        std::mt19937_64 rng(derive_seed(m_seed, kShuffle, e));
        std::shuffle(m_perm.begin(), m_perm.end(), rng);
        m_perm_epoch = e;
    }
    const std::size_t total = std::min(m_batch, m - first);
    const bool remainder = total < m_batch;
    const auto [from, n] = shard(total, m_rank, m_processes);
    Array<T>& xb = remainder ? m_xr : m_xb;
    Array<T>& yb = remainder ? m_yr : m_yb;
    const auto begin = m_perm.begin() + std::ptrdiff_t(first + from);
    m_columns.assign(begin, begin + std::ptrdiff_t(n));
    gather_columns(m_x, m_columns.data(), n, xb);
    if (m_y.size() == 0) return {&xb, &m_y, &m_columns, remainder, from, total};
    gather_columns(m_y, m_columns.data(), n, yb);
    return {&xb, &yb, &m_columns, remainder, from, total};
}

template class Batches<float>;
template class Batches<double>;

}  // namespace ae
