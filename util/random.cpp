// util/random.cpp
#include "util/random.hpp"

namespace ae {

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    // SplitMix64's finaliser, applied in turn: nearby (stream, index) pairs give unrelated seeds.
    auto mix = [](std::uint64_t z) {
        z += 0x9e3779b97f4a7c15ULL;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    };
    return mix(mix(mix(seed) ^ stream) ^ index);
}

}  // namespace ae
