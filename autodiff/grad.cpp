// autodiff/grad.cpp: the reverse sweep. Nodes were appended in evaluation order, so walking the
// ids downward is a topological order: a plain loop, no recursion, no sort.
#include "autodiff/grad.hpp"

#include "autodiff/ops.hpp"

namespace ae {

template <class T>
Vars<T> vjp(const Var<T>& y, const Vars<T>& wrt, const Var<T>& seed, bool create_graph) {
    Tape<T>& tape = tape_of("vjp", {y, seed});
    for (const Var<T>& x : wrt) tape.check(x, "vjp (wrt)");
    if (seed.shape() != y.shape()) throw ShapeError("vjp: seed and output", seed.shape(), y.shape(), "differ");

    // Which nodes lie on a path from an input in wrt: only their cotangents are computed.
    const std::size_t n = std::size_t(y.id) + 1;
    std::vector<char> needed(n, 0);
    for (const Var<T>& x : wrt)
        if (x.id < n) needed[x.id] = 1;
    for (std::size_t i = 0; i < n; ++i) {
        const Node<T>& node = tape.node(std::uint32_t(i));
        for (int k = 0; k < node.arity && !needed[i]; ++k) needed[i] = needed[node.parents[k]];
    }

    RecordingGuard<T> guard(tape, create_graph);
    std::vector<Var<T>> adjoint(n);
    adjoint[y.id] = seed;
    for (std::size_t i = n; i-- > 0;) {
        if (!adjoint[i] || !needed[i]) continue;
        const Node<T>& node = tape.node(std::uint32_t(i));
        if (!node.vjp) continue;
        VjpInput<T> in{adjoint[i], Var<T>{&tape, std::uint32_t(i), y.generation}, {}, {}, {}, node.attr};
        Var<T>* parents[3] = {&in.a, &in.b, &in.c};
        for (int k = 0; k < node.arity; ++k) *parents[k] = {&tape, node.parents[k], y.generation};
        for (int k = 0; k < node.arity; ++k) {
            const std::uint32_t p = node.parents[k];
            if (!needed[p]) continue;
            Var<T> gk = node.vjp(in, k);
            if (gk.shape() != parents[k]->shape())  // a wrong VJP, never the user's input
                throw ShapeError(std::string("vjp of ") + node.op + " (internal)", gk.shape(),
                                 parents[k]->shape(), "differ");
            adjoint[p] = adjoint[p] ? add(adjoint[p], gk) : gk;
        }
    }

    Vars<T> out;
    out.reserve(wrt.size());
    for (const Var<T>& x : wrt) {
        if (x.id < n && adjoint[x.id]) out.push_back(adjoint[x.id]);
        else out.push_back(tape.leaf(Array<T>(xt::zeros<T>(x.shape()))));
    }
    return out;
}

template <class T>
Vars<T> grad(const Var<T>& y, const Vars<T>& wrt, bool create_graph) {
    tape_of("grad", {y});
    if (y.shape() != Shape{1, 1})
        throw std::invalid_argument("grad: the output must be a scalar (1x1), got shape " +
                                    str(y.shape()) + "; use vjp with a seed for array outputs");
    return vjp(y, wrt, y.tape->scalar(1.0), create_graph);
}

template Vars<float> vjp(const Var<float>&, const Vars<float>&, const Var<float>&, bool);
template Vars<double> vjp(const Var<double>&, const Vars<double>&, const Var<double>&, bool);
template Vars<float> grad(const Var<float>&, const Vars<float>&, bool);
template Vars<double> grad(const Var<double>&, const Vars<double>&, bool);

}  // namespace ae
