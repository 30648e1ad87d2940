// autodiff/tape.cpp: node storage that is reused across steps, and the handle checks.
#include "autodiff/tape.hpp"

#include <sstream>

namespace ae {

std::string str(const Shape& s) {
    return "(" + std::to_string(s[0]) + ", " + std::to_string(s[1]) + ")";
}

ShapeError::ShapeError(const std::string& op, const Shape& a, const Shape& b,
                       const std::string& what)
    : std::invalid_argument(op + ": shapes " + str(a) + " and " + str(b) + " " + what) {}

void throw_empty_var(const char* op) {
    throw std::invalid_argument(std::string(op) + ": empty Var (default-constructed, not from a tape)");
}

template <class T>
Node<T>& Tape<T>::push() {
    if (m_size >= UINT32_MAX) throw std::length_error("tape: more than 2^32 - 1 nodes");
    if (m_size == m_nodes.size()) m_nodes.emplace_back();
    Node<T>& n = m_nodes[m_size++];
    n.borrowed = nullptr;
    n.reused = nullptr;
    n.arity = 0;
    n.vjp = nullptr;
    n.attr = 0;
    n.flags = 0;
    n.window = 0;
    n.op = "leaf";
    n.overwritten_by = nullptr;
    return n;
}

template <class T>
Var<T> Tape<T>::leaf(const Array<T>& value) {
    Node<T>& n = push();
    n.own.resize(value.shape());
    xt::noalias(n.own) = value;
    return {this, std::uint32_t(m_size - 1), m_generation};
}

template <class T>
Var<T> Tape<T>::leaf(Array<T>&& value) {
    push().own = std::move(value);
    return {this, std::uint32_t(m_size - 1), m_generation};
}

template <class T>
Var<T> Tape<T>::scalar(double value) {
    Node<T>& n = push();
    n.own.resize({1, 1});
    n.own(0, 0) = T(value);
    return {this, std::uint32_t(m_size - 1), m_generation};
}

template <class T>
Var<T> Tape<T>::borrow(const Array<T>& value) {
    push().borrowed = &value;
    return {this, std::uint32_t(m_size - 1), m_generation};
}

template <class T>
std::pair<Var<T>, Array<T>&> Tape<T>::record(const char* op, const Shape& shape,
                                             std::initializer_list<Var<T>> parents, Vjp<T> vjp,
                                             double attr, unsigned flags, const Window* window) {
    Array<T>* donated = nullptr;
    if (m_donor != no_donor && (flags & (op_elementwise | op_accumulates))) {
        Node<T>& d = m_nodes[m_donor];
        bool reads_donor = false, reads_donor_whole = false;  // element-wise / otherwise
        for (const Var<T>& p : parents) {
            const bool whole = (flags & op_accumulates) && &p != parents.begin();
            (whole ? reads_donor_whole : reads_donor) |= p.id == m_donor;
        }
        if (reads_donor && !reads_donor_whole && !d.borrowed && size_of(shape) == d.value().size()) {
            donated = d.reused ? d.reused : &d.own;
            d.overwritten_by = op;
            m_donor = no_donor;
        }
    }
    Node<T>& n = push();
    n.op = op;
    n.attr = attr;
    n.flags = flags;
    if (window) {
        if (m_window_count == m_windows.size()) m_windows.emplace_back();
        m_windows[m_window_count++] = *window;
        n.window = std::uint32_t(m_window_count);
    }
    if (m_recording) {
        n.vjp = vjp;
        for (const Var<T>& p : parents) n.parents[n.arity++] = p.id;
    }
    Array<T>& out = donated ? *donated : n.own;
    n.reused = donated;
    if (donated && n.own.size() > 0) n.own = Array<T>();  // a buffer left by another op at this place
    out.resize(shape);  // no allocation when the buffer held the same size last step
    return {Var<T>{this, std::uint32_t(m_size - 1), m_generation}, out};
}

template <class T>
void Tape<T>::take(const Var<T>& v, Array<T>& out) {
    check(v, "take");
    Node<T>& n = m_nodes[v.id];
    if (n.borrowed || out.shape() != n.value().shape()) {
        out = n.value();
        return;
    }
    std::swap(n.reused ? *n.reused : n.own, out);
    n.overwritten_by = "take";
}

template <class T>
void Tape<T>::clear() {
    m_size = 0;
    m_window_count = 0;
    m_donor = no_donor;
    ++m_generation;
    if (m_generation == 0) m_generation = 1;  // 0 marks empty handles
}

template <class T>
void Tape<T>::release() {
    clear();
    m_nodes.clear();
    m_nodes.shrink_to_fit();
    m_windows.clear();
    m_workspace = std::vector<T>();
}

template <class T>
std::size_t Tape<T>::bytes() const {
    std::size_t total = 0;
    for (const Node<T>& n : m_nodes) total += n.own.size() * sizeof(T);
    return total + m_workspace.capacity() * sizeof(T);
}

template <class T>
T* Tape<T>::workspace(std::size_t n) {
    if (m_workspace.size() < n) m_workspace.resize(n);
    return m_workspace.data();
}

template <class T>
void Tape<T>::check(const Var<T>& v, const char* op) const {
    if (v.tape != this) {
        if (!v.tape) throw_empty_var(op);
        throw std::invalid_argument(std::string(op) + ": Var belongs to another tape");
    }
    if (v.generation != m_generation || v.id >= m_size) {
        throw std::invalid_argument(std::string(op) +
                                    ": stale Var (its tape was cleared after it was made)");
    }
    if (const char* by = m_nodes[v.id].overwritten_by)
        throw std::invalid_argument(std::string(op) + ": this Var's value (made by " + m_nodes[v.id].op +
                                    ") was overwritten in place by " + by + ", which read it last");
}

template <class T>
Tape<T>& tape_of(const char* op, std::initializer_list<Var<T>> vars) {
    Tape<T>* tape = vars.begin()->tape;
    if (!tape) throw_empty_var(op);
    for (const Var<T>& v : vars) tape->check(v, op);
    return *tape;
}

template class Tape<float>;
template class Tape<double>;
template Tape<float>& tape_of(const char*, std::initializer_list<Var<float>>);
template Tape<double>& tape_of(const char*, std::initializer_list<Var<double>>);

}  // namespace ae
