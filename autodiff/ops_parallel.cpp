// autodiff/ops_parallel.cpp: the primitive that crosses processes.
#include "autodiff/ops.hpp"
#include "parallel/communicator.hpp"

namespace ae {

template <class T>
Var<T> all_sum(const Var<T>& x) {
    Tape<T>& tape = tape_of("all_sum", {x});
    auto [y, out] = tape.record("all_sum", x.shape(), {x}, [](const VjpInput<T>& in, int) { return all_sum(in.g); });
    out = x.value();
    if (Communicator* c = tape.shard().comm) c->all_sum(out.data(), out.size());
    return y;
}

// Both precisions, compiled once, from the one list.
#define AEZOO_INSTANTIATE(name, params) template Var<T> name params;
#define T float
AEZOO_PARALLEL_PRIMITIVES(AEZOO_INSTANTIATE)
#undef T
#define T double
AEZOO_PARALLEL_PRIMITIVES(AEZOO_INSTANTIATE)
#undef T
#undef AEZOO_INSTANTIATE

}  // namespace ae
