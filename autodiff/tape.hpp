// autodiff/tape.hpp: a Wengert list of array-valued nodes, and Var, a cheap handle into it.
#pragma once
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <utility>
#include <vector>

#include "autodiff/array.hpp"
#include "autodiff/window.hpp"

namespace ae {

class Communicator;  // parallel/communicator.hpp

template <class T>
class Tape;

// Which part of a batch a tape evaluates: its columns are the batch's from column `first`, of
// `total` in all, the others on the other processes of `comm`. Batch statistics (batch_mean) and
// per-example noise read it, so a loss written for a whole batch gives the same on a shard. The
// default: the whole batch, in this process.
struct Shard {
    Communicator* comm = nullptr;      // null: this process alone
    std::size_t first = 0, total = 0;  // total 0: the batch is the tape's own columns
};

// A handle to one node of one tape (16 bytes). The tape owns the value. A Var becomes stale when
// its tape is cleared; using a stale Var throws instead of reading another step's value.
template <class T>
struct Var {
    Tape<T>* tape = nullptr;
    std::uint32_t id = 0;
    std::uint32_t generation = 0;  // 0: a default-constructed, empty handle

    const Array<T>& value() const;
    Shape shape() const { return shape_of(value()); }
    explicit operator bool() const { return tape != nullptr; }
};

// What a vector-Jacobian product sees: the cotangent g of the output y, the output itself, the
// parents a, b, c (unused ones empty), the op's attribute (a scale, an exponent, flags) and, for
// ops on images, its window (null for the others). For an op flagged op_vjp_adds, `sum` is the
// cotangent parent k has gathered so far (empty if none).
template <class T>
struct VjpInput {
    Var<T> g, y, a, b, c;
    double attr;
    const Window* window;
    Var<T> sum;
};

// The cotangent for parent k (0, 1 or 2), written with differentiable primitives so that a
// backward pass can itself be recorded. Called only for parents that need a gradient. An empty
// Var is a zero cotangent: the parent only selects (relu_grad's y), and nothing is added. An op
// flagged op_vjp_adds returns in.sum plus its cotangent instead (a GEMM adds it for free).
template <class T>
using Vjp = Var<T> (*)(const VjpInput<T>& in, int k);

// What an op tells the tape about itself, for buffer reuse in first-order sweeps.
enum OpFlags : unsigned {
    op_elementwise = 1,     // out(i) depends on each input at i alone: out may overwrite a full-size input
    op_consumes_g = 2,      // the VJP reads g once, in its last primitive: that one may overwrite g
    op_accumulates = 4,     // out = first parent + f(the others): out may overwrite the first parent
    op_vjp_adds = 8,        // the VJP adds the parent's cotangent so far (VjpInput::sum) itself
};

template <class T>
struct Node {
    Array<T> own;                         // kept across clear(): the next step reuses the buffer
    const Array<T>* borrowed = nullptr;   // a caller's array, read in place (see Tape::borrow)
    Array<T>* reused = nullptr;           // an earlier node's buffer, donated to this one (Tape::donate)
    std::array<std::uint32_t, 3> parents{};
    std::uint8_t arity = 0;
    Vjp<T> vjp = nullptr;                 // null for leaves and for nodes recorded while off
    double attr = 0;
    unsigned flags = 0;
    std::uint32_t window = 0;             // 1 + its index in the tape's windows; 0: none
    const char* op = "leaf";
    const char* overwritten_by = nullptr; // the op that took this node's buffer (Tape::donate)

    const Array<T>& value() const { return borrowed ? *borrowed : reused ? *reused : own; }
};

template <class T>
class Tape {
public:
    Tape() = default;
    Tape(const Tape&) = delete;             // Vars point at their tape
    Tape& operator=(const Tape&) = delete;

    Var<T> leaf(const Array<T>& value);     // a copy of value; a constant or a variable alike
    Var<T> leaf(Array<T>&& value);
    Var<T> scalar(double value);
    // Refers to the caller's array without copying (data, parameters). It must stay alive and
    // unchanged until the tape is cleared.
    Var<T> borrow(const Array<T>& value);

    // Appends a node of the given shape and returns it with its buffer for the op to fill.
    // While recording is off (a first-order backward pass) the node is kept as a plain value.
    // An op on images passes its window; the tape keeps a copy for the VJP.
    std::pair<Var<T>, Array<T>&> record(const char* op, const Shape& shape,
                                        std::initializer_list<Var<T>> parents, Vjp<T> vjp,
                                        double attr = 0, unsigned flags = 0,
                                        const Window* window = nullptr);
    const Window* window(const Node<T>& n) const { return n.window ? &m_windows[n.window - 1] : nullptr; }

    // Scratch memory for one op at a time (a convolution's gathered patches), at least n entries,
    // kept across clear() like the node buffers.
    T* workspace(std::size_t n);

    // The value `id` is read for the last time, so the next element-wise op that reads it writes
    // its output into its buffer (used once): a first-order sweep's cotangents, and a layer's
    // pre-activation that only its activation reads (layers/sequence.hpp). A node so overwritten
    // cannot be read again: check() throws, naming the op that took its buffer.
    void donate(std::uint32_t id) { m_donor = id; }
    void cancel_donation() { m_donor = no_donor; }

    // Moves v's value into `out` (of v's shape) and keeps out's old buffer for the next step, so a
    // gradient leaves the tape without a copy; copies a caller's array. v cannot be read again.
    void take(const Var<T>& v, Array<T>& out);

    // What the tape evaluates (kept by clear(): a trainer sets it once per batch).
    const Shard& shard() const { return m_shard; }
    void set_shard(const Shard& shard) { m_shard = shard; }

    // Forgets every node but keeps their buffers, so a training step allocates nothing after
    // the first one. Vars of earlier steps become stale.
    void clear();
    // Frees the buffers too.
    void release();

    std::size_t size() const { return m_size; }
    std::size_t bytes() const;  // memory held by node buffers
    bool recording() const { return m_recording; }
    void set_recording(bool on) { m_recording = on; }

    const Node<T>& node(std::uint32_t id) const { return m_nodes[id]; }
    // Throws unless v is a live handle into this tape; op names the caller in the message.
    void check(const Var<T>& v, const char* op) const;

private:
    Node<T>& push();

    std::deque<Node<T>> m_nodes;  // a deque: references stay valid while a backward pass appends
    std::size_t m_size = 0;
    std::deque<Window> m_windows;  // the image ops' windows, m_window_count of them in use
    std::size_t m_window_count = 0;
    std::vector<T> m_workspace;
    std::uint32_t m_generation = 1;
    bool m_recording = true;
    static constexpr std::uint32_t no_donor = UINT32_MAX;
    std::uint32_t m_donor = no_donor;
    Shard m_shard;
};

// Switches recording on or off for a scope (first-order sweeps record nothing).
template <class T>
class RecordingGuard {
public:
    RecordingGuard(Tape<T>& tape, bool on) : m_tape(tape), m_was(tape.recording()) {
        tape.set_recording(on);
    }
    ~RecordingGuard() { m_tape.set_recording(m_was); }
    RecordingGuard(const RecordingGuard&) = delete;
    RecordingGuard& operator=(const RecordingGuard&) = delete;

private:
    Tape<T>& m_tape;
    bool m_was;
};

[[noreturn]] void throw_empty_var(const char* op);

template <class T>
const Array<T>& Var<T>::value() const {
    if (!tape) throw_empty_var("value");
    tape->check(*this, "value");
    return tape->node(id).value();
}

// The checks every op makes: all Vars live, all on one tape. Returns that tape.
template <class T>
Tape<T>& tape_of(const char* op, std::initializer_list<Var<T>> vars);

extern template class Tape<float>;
extern template class Tape<double>;

}  // namespace ae
