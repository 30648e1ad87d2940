// util/random.hpp: seeds derived for one purpose each, and per-example noise: column j of a batch
// drawn from a generator of its own, so that noise depends on the example, never on how the batch
// is split across processes (Tape::shard).
#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>

namespace ae {

// A seed for one purpose (stream) at one index, mixed from the run's seed with SplitMix64.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index);

// SplitMix64 as a standard random bit generator: 8 bytes of state, so one per example is cheap.
class SplitMix64 {
public:
    using result_type = std::uint64_t;
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
    result_type operator()() {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t m_state;
};

// The noise of one loss evaluation. Each draw() is a fresh set of streams; within a draw, the
// column of example j (its place in the whole batch: first + local column) has its own generator.
class ExampleNoise {
public:
    // seed: the evaluation's; first: the whole batch's column of this array's column 0.
    ExampleNoise(std::uint64_t seed, std::size_t first) : m_seed(seed), m_first(first) {}
    // Calls fill(j, generator) for each local column j in 0 .. m - 1; fill draws that column's entries.
    template <class F>
    void draw(std::size_t m, F&& fill) {
        const std::uint64_t stream = m_draws++;
        for (std::size_t j = 0; j < m; ++j) {
            SplitMix64 g(derive_seed(m_seed, stream, m_first + j));
            fill(j, g);
        }
    }

private:
    std::uint64_t m_seed;
    std::size_t m_first, m_draws = 0;
};

}  // namespace ae
