// util/threads.hpp: the threads that share a large element-wise pass or reduction. There are as
// many as OpenBLAS uses (OPENBLAS_NUM_THREADS, openblas_set_num_threads), so one setting governs
// the GEMMs and the passes between them. The helpers sleep between passes: nothing spins beside
// OpenBLAS's own threads.
//
// Results never depend on the thread count: callers split their work into pieces fixed by the
// data alone (rows, or blocks of `align` entries), and threads only decide who computes a piece.
#pragma once
#include <cstddef>

namespace ae {

// OpenBLAS's thread count (1 when the BLAS is not OpenBLAS).
std::size_t thread_count();

// Calls part(context, i) for i in [0, parts), part 0 on the calling thread, the others on helper
// threads, and returns when all are done. Runs them one after another when called from a part,
// or while another thread is using the helpers.
void run_parts(std::size_t parts, void (*part)(void* context, std::size_t i), void* context);

// Work under this many entries stays on the calling thread: waking a helper costs about as much.
inline constexpr std::size_t entries_per_thread = 32768;

// f(first, last) over [0, n), in one contiguous range per thread whose bounds are multiples of
// `align` (the end excepted); `entries` is the work per index, for the threshold above.
template <class F>
void parallel_for(std::size_t n, std::size_t align, std::size_t entries, F&& f) {
    std::size_t parts = thread_count();
    const std::size_t work = n * entries;
    if (work / entries_per_thread < parts) parts = work / entries_per_thread;
    const std::size_t blocks = (n + align - 1) / align;
    if (blocks < parts) parts = blocks;
    if (parts <= 1) {
        if (n > 0) f(std::size_t(0), n);
        return;
    }
    struct Context {
        F& f;
        std::size_t n, align, blocks, parts;
    } context{f, n, align, blocks, parts};
    run_parts(parts, [](void* p, std::size_t i) {
        Context& c = *static_cast<Context*>(p);
        const std::size_t first = c.blocks * i / c.parts * c.align;
        const std::size_t last = i + 1 == c.parts ? c.n : c.blocks * (i + 1) / c.parts * c.align;
        if (first < last) c.f(first, last);
    }, &context);
}

}  // namespace ae
