// optim/batches.hpp: the examples of each training step: all of them (full batch), or each
// epoch's order, shuffled from (seed, epoch) alone, cut into batches of a fixed size whose columns
// are gathered into buffers kept across steps. On several processes each gathers its shard of
// every batch: process r of N takes the batch's columns [b r / N, b (r + 1) / N).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "autodiff/array.hpp"

namespace ae {

template <class T>
class Batches {
public:
    // x (features, m) and y (targets, m, or empty); batch_size 0 or m: the full batch. The data
    // must outlive this object.
    // Process `rank` of `processes` (every batch, the last of an epoch included, must have at least
    // one example per process).
    Batches(const Array<T>& x, const Array<T>& y, std::size_t batch_size, std::uint64_t seed,
            std::size_t rank = 0, std::size_t processes = 1);

    bool full() const { return m_full; }
    std::size_t per_epoch() const { return m_per_epoch; }     // steps per epoch
    std::size_t epoch(std::size_t step) const;               // 1-based, of a 1-based step

    // This process's columns of the step (pointers valid until the next call). `remainder` tells
    // whether it is an epoch's last batch and smaller than the others (a different shape).
    struct View {
        const Array<T>* x;
        const Array<T>* y;
        const std::vector<std::size_t>* columns;  // of the data, in batch order; empty: all, in order
        bool remainder;
        std::size_t first, total;  // x's first column is the batch's column `first`, of `total`
    };
    View at(std::size_t step);

private:
    const Array<T>&m_x, &m_y;
    std::size_t m_batch, m_per_epoch;
    std::uint64_t m_seed;
    std::size_t m_rank, m_processes;
    bool m_full;
    std::vector<std::size_t> m_perm;  // this epoch's order of the examples
    std::vector<std::size_t> m_columns, m_all;  // the step's part of it; empty for the full batch
    std::size_t m_perm_epoch = 0;
    Array<T> m_xb, m_yb, m_xr, m_yr;  // full-size batches, and the epoch's remainder
    Array<T> m_xs, m_ys;              // the full batch's shard, on several processes
};

extern template class Batches<float>;
extern template class Batches<double>;

}  // namespace ae
