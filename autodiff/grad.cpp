// autodiff/grad.cpp: the reverse sweep. Nodes were appended in evaluation order, so walking the
// ids downward is a topological order: a plain loop, no recursion, no sort.
#include "autodiff/grad.hpp"

#include <stdexcept>

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

// The cotangents of one sweep, and its buffer policy: a first-order sweep lets an op overwrite a
// cotangent read for the last time, one that this sweep made (never the caller's seed) and that no
// other slot holds. A recorded sweep (create_graph) overwrites nothing.
template <class T>
class Adjoints {
public:
    Adjoints(Tape<T>& tape, std::size_t n, const Var<T>& seed, const Vars<T>& wrt, bool create_graph)
        : m_tape(tape), m_slot(n), m_kept(n, 0), m_holders(create_graph ? UINT32_MAX : std::uint32_t(tape.size())) {
        m_slot[n - 1] = seed;  // the output's; n = its id + 1
        for (const Var<T>& x : wrt)
            if (x.id < n) m_kept[x.id] = 1;
    }
    const Var<T>& operator[](std::size_t i) const { return m_slot[i]; }

    // Node i's VJPs run next: its cotangent stays in its slot only if it is an answer (in wrt).
    void read_last(std::size_t i) {
        if (!m_kept[i]) m_holders.release(m_slot[i].id);
    }

    // Adds node i's VJP for parent k to the parent's cotangent. `last`: the final VJP to read node
    // i's cotangent, which an op_consumes_g VJP may then overwrite. An op_vjp_adds VJP adds the
    // parent's sum itself and may overwrite it; for the others the sweep adds, overwriting the old sum.
    void add_vjp(const Node<T>& node, std::size_t i, VjpInput<T>& in, int k, bool last) {
        Var<T>& sum = m_slot[node.parents[k]];
        const bool adds = (node.flags & op_vjp_adds) && sum;
        in.sum = adds ? sum : Var<T>{};
        if (adds) let_go(sum);
        else if (last && (node.flags & op_consumes_g)) offer(m_slot[i]);
        Var<T> g = node.vjp(in, k);
        m_tape.cancel_donation();
        if (!g) {  // zero
            if (adds) throw std::logic_error(std::string("vjp of ") + node.op + " (internal): no sum returned");
            return;
        }
        const Shape parent = shape_of(m_tape.node(node.parents[k]).value());  // read even if overwritten
        if (g.shape() != parent)  // a wrong VJP, never the user's input
            throw ShapeError(std::string("vjp of ") + node.op + " (internal)", g.shape(), parent, "differ");
        if (sum && !adds) {
            let_go(sum);
            g = add(sum, g);
            m_tape.cancel_donation();
        }
        sum = g;
        m_holders.hold(g.id);
    }

private:
    // A slot drops its cotangent: the next op that reads it may overwrite it if no other slot holds it.
    void let_go(const Var<T>& v) {
        m_holders.release(v.id);
        offer(v);
    }
    void offer(const Var<T>& v) {
        if (m_holders.free(v.id)) m_tape.donate(v.id);
    }

    Tape<T>& m_tape;
    std::vector<Var<T>> m_slot;
    std::vector<char> m_kept;
    Holders m_holders;
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
    Adjoints<T> adjoint(tape, n, seed, wrt, create_graph);
    for (std::size_t i = n; i-- > 0;) {
        const Node<T>& node = tape.node(std::uint32_t(i));
        if (!adjoint[i] || !needed[i] || !node.vjp) continue;
        VjpInput<T> in{adjoint[i], Var<T>{&tape, std::uint32_t(i), y.generation}, {}, {}, {}, node.attr,
                        tape.window(node), {}};
        Var<T>* parents[3] = {&in.a, &in.b, &in.c};
        int last = -1;
        for (int k = 0; k < node.arity; ++k) {
            *parents[k] = {&tape, node.parents[k], y.generation};
            if (needed[node.parents[k]]) last = k;
        }
        adjoint.read_last(i);
        for (int k = 0; k <= last; ++k)
            if (needed[node.parents[k]]) adjoint.add_vjp(node, i, in, k, k == last);
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
