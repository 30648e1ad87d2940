// autodiff/grad.cpp: the reverse sweep. Nodes were appended in evaluation order, so walking the
// ids downward is a topological order: a plain loop, no recursion, no sort.
#include "autodiff/grad.hpp"

#include "autodiff/ops.hpp"

namespace ae {
namespace {

// How many adjoint slots hold each node made during the sweep (from id `first` on).
class Holders {
public:
    explicit Holders(std::uint32_t first) : m_first(first) {}
    void hold(std::uint32_t id) {
        if (id < m_first) return;
        if (id - m_first >= m_count.size()) m_count.resize(id - m_first + 1, 0);
        ++m_count[id - m_first];
    }
    void release(std::uint32_t id) {
        if (id >= m_first && id - m_first < m_count.size() && m_count[id - m_first] > 0) --m_count[id - m_first];
    }
    // Made by this sweep and held by no slot: its buffer may be overwritten.
    bool free(std::uint32_t id) const {
        return id >= m_first && (id - m_first >= m_count.size() || m_count[id - m_first] == 0);
    }

private:
    std::uint32_t m_first;
    std::vector<std::uint32_t> m_count;
};

}  // namespace

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
    // A first-order sweep lets an element-wise op overwrite a cotangent read for the last time:
    // one that this sweep made (never the caller's seed) and that no other slot holds.
    Holders holders(create_graph ? UINT32_MAX : std::uint32_t(tape.size()));
    std::vector<char> is_wrt(n, 0);
    for (const Var<T>& x : wrt)
        if (x.id < n) is_wrt[x.id] = 1;

    for (std::size_t i = n; i-- > 0;) {
        if (!adjoint[i] || !needed[i]) continue;
        const Node<T>& node = tape.node(std::uint32_t(i));
        if (!node.vjp) continue;
        VjpInput<T> in{adjoint[i], Var<T>{&tape, std::uint32_t(i), y.generation}, {}, {}, {}, node.attr};
        Var<T>* parents[3] = {&in.a, &in.b, &in.c};
        int last = -1;
        for (int k = 0; k < node.arity; ++k) {
            *parents[k] = {&tape, node.parents[k], y.generation};
            if (needed[node.parents[k]]) last = k;
        }
        if (!is_wrt[i]) holders.release(adjoint[i].id);
        for (int k = 0; k <= last; ++k) {
            const std::uint32_t p = node.parents[k];
            if (!needed[p]) continue;
            if (k == last && (node.flags & op_consumes_g) && holders.free(adjoint[i].id)) tape.donate(adjoint[i].id);
            Var<T> gk = node.vjp(in, k);
            tape.cancel_donation();
            if (gk.shape() != parents[k]->shape())  // a wrong VJP, never the user's input
                throw ShapeError(std::string("vjp of ") + node.op + " (internal)", gk.shape(),
                                 parents[k]->shape(), "differ");
            if (adjoint[p]) {
                holders.release(adjoint[p].id);
                if (holders.free(adjoint[p].id)) tape.donate(adjoint[p].id);
                gk = add(adjoint[p], gk);
                tape.cancel_donation();
            }
            adjoint[p] = gk;
            holders.hold(gk.id);
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
