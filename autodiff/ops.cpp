// autodiff/ops.cpp: THE table. Each primitive evaluates its value once, into its node's buffer,
// and records its VJP beside it. VJPs are written with these same primitives, so a backward pass
// can itself be recorded and differentiated again. In a VJP: g is the output's cotangent, y the
// output, a, b, c the parents; the VJP returns the cotangent of parent k.
#include "autodiff/ops.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <xtensor-blas/xblas.hpp>
#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xoperation.hpp>
#include <xtensor/xbroadcast.hpp>

#include "autodiff/functions.hpp"
#include "util/threads.hpp"

namespace ae {
namespace {

template <class T>
const Array<T>& val(const Var<T>& v) {  // unchecked: every op checked its inputs with tape_of
    return v.tape->node(v.id).value();
}

Shape broadcast_shape(const char* op, const Shape& a, const Shape& b) {
    Shape out{};
    for (int d = 0; d < 2; ++d) {
        if (a[d] == b[d] || b[d] == 1) out[d] = a[d];
        else if (a[d] == 1) out[d] = b[d];
        else throw ShapeError(op, a, b, "do not broadcast");
    }
    return out;
}

// ---- passes over arrays, split across threads (util/threads.hpp) --------------------------------
// The pieces are fixed by the data, so no result depends on the thread count: flat passes split at
// multiples of 64 entries (whole SIMD blocks of an aligned array), the others at rows or columns.

// Entries [first, last) from p, as a 1-D array.
template <class P>
auto span(P* p, std::size_t first, std::size_t last) {
    return xt::adapt(p + first, last - first, xt::no_ownership(), std::array<std::size_t, 1>{last - first});
}

// out = f(the inputs), entry by entry, the inputs of out's size (one of them may be out itself).
template <class T, class F, class... In>
void map(Array<T>& out, F f, const In&... in) {
    parallel_for(out.size(), 64, 1, [&](std::size_t first, std::size_t last) {
        auto o = span(out.data(), first, last);
        xt::noalias(o) = f(span(in.data(), first, last)...);
    });
}

// f(first, last) over row ranges of an array with `cols` entries a row.
template <class F>
void for_rows(std::size_t rows, std::size_t cols, F f) {
    parallel_for(rows, 1, std::max<std::size_t>(cols, 1), f);
}

// out = f(a, b) with 2-D broadcasting: a 1x1 operand is a scalar; otherwise row by row, each
// operand's row i (or its only row) and each row's entries (or its only entry).
template <class T, class F>
void broadcast_apply(Array<T>& out, const Array<T>& a, const Array<T>& b, F f) {
    if (a.shape() == b.shape()) return map(out, f, a, b);
    if (b.size() == 1) return map(out, [&f, s = b(0, 0)](auto&& u) { return f(u, s); }, a);
    if (a.size() == 1) return map(out, [&f, s = a(0, 0)](auto&& v) { return f(s, v); }, b);
    const std::size_t n = out.shape(1);
    for_rows(out.shape(0), n, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t i = r0; i < r1; ++i) {
            const T* pa = a.data() + (a.shape(0) == 1 ? 0 : i) * a.shape(1);
            const T* pb = b.data() + (b.shape(0) == 1 ? 0 : i) * b.shape(1);
            auto o = span(out.data(), i * n, (i + 1) * n);
            if (a.shape(1) == n && b.shape(1) == n) xt::noalias(o) = f(span(pa, 0, n), span(pb, 0, n));
            else if (a.shape(1) == n) xt::noalias(o) = f(span(pa, 0, n), *pb);
            else if (b.shape(1) == n) xt::noalias(o) = f(*pa, span(pb, 0, n));
            else o(0) = f(*pa, *pb);  // both columns: n = 1
        }
    });
}

// Throws std::domain_error at the first entry that is not ok (NaN counts as ok: it passes through).
template <class T, class Ok>
void check_domain(const char* op, const Array<T>& x, Ok ok, const char* domain) {
    const T* begin = x.data();
    const T* bad = std::find_if_not(begin, begin + x.size(), ok);
    if (bad == begin + x.size()) return;
    const std::size_t i = std::size_t(bad - begin);
    throw std::domain_error(std::string(op) + ": entry (" + std::to_string(i / x.shape(1)) + ", " +
                            std::to_string(i % x.shape(1)) + ") = " + std::to_string(*bad) +
                            " is outside the domain " + domain);
}

constexpr unsigned pointwise = op_elementwise | op_consumes_g;  // every element-wise primitive here

// Sums in double with eight independent accumulators: one chain would wait ~4 cycles per addition.
template <class F>
double accumulate(std::size_t first, std::size_t last, F term) {
    double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::size_t i = first;
    for (; i + 8 <= last; i += 8)
        for (int k = 0; k < 8; ++k) lane[k] += term(i + std::size_t(k));
    for (; i < last; ++i) lane[0] += term(i);
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

// The sum over [0, n) of what block(first, last) sums, in fixed blocks whose sums are added in
// order: the same bits on any number of threads.
template <class Block>
double reduce(std::size_t n, Block block) {
    constexpr std::size_t size = 4096;
    const std::size_t blocks = (n + size - 1) / size;
    if (blocks <= 1) return block(std::size_t(0), n);
    std::vector<double> partial(blocks);
    parallel_for(blocks, 1, size, [&](std::size_t b0, std::size_t b1) {
        for (std::size_t k = b0; k < b1; ++k) partial[k] = block(k * size, std::min(n, (k + 1) * size));
    });
    double total = 0;
    for (double p : partial) total += p;
    return total;
}

// The sum of term(i) over [0, n).
template <class F>
double sum_of(std::size_t n, F term) {
    return reduce(n, [&](std::size_t first, std::size_t last) { return accumulate(first, last, term); });
}

// The sum of an element-wise expression, vectorised through a small buffer (no full-size array):
// terms(first, last, out) writes the terms first .. last - 1 into out.
template <class T, class Terms>
double blocked_sum(std::size_t n, Terms terms) {
    return reduce(n, [&](std::size_t first, std::size_t last) {
        constexpr std::size_t size = 1024;
        alignas(64) T buffer[size];
        double total = 0;
        for (std::size_t b = first; b < last; b += size) {
            const std::size_t count = std::min(size, last - b);
            auto out = span(&buffer[0], 0, count);
            terms(b, b + count, out);
            total += accumulate(0, count, [&](std::size_t i) { return double(buffer[i]); });
        }
        return total;
    });
}

template <class T>
std::pair<Var<T>, Array<T>&> unary(const char* op, const Var<T>& x, Vjp<T> vjp, double attr = 0) {
    return tape_of(op, {x}).record(op, x.shape(), {x}, vjp, attr, pointwise);
}

}  // namespace

// ---- element-wise, binary ---------------------------------------------------------------------

template <class T>
Var<T> add(const Var<T>& a, const Var<T>& b) {
    auto [y, out] = tape_of("add", {a, b}).record(
        "add", broadcast_shape("add", a.shape(), b.shape()), {a, b},
        [](const VjpInput<T>& in, int k) { return sum_to(in.g, (k == 0 ? in.a : in.b).shape()); },
        0, pointwise);
    broadcast_apply(out, val(a), val(b), [](auto&& u, auto&& v) { return u + v; });
    return y;
}

template <class T>
Var<T> sub(const Var<T>& a, const Var<T>& b) {
    auto [y, out] = tape_of("sub", {a, b}).record(
        "sub", broadcast_shape("sub", a.shape(), b.shape()), {a, b},
        [](const VjpInput<T>& in, int k) {
            return k == 0 ? sum_to(in.g, in.a.shape()) : neg(sum_to(in.g, in.b.shape()));
        }, 0, pointwise);
    broadcast_apply(out, val(a), val(b), [](auto&& u, auto&& v) { return u - v; });
    return y;
}

template <class T>
Var<T> mul(const Var<T>& a, const Var<T>& b) {
    auto [y, out] = tape_of("mul", {a, b}).record(
        "mul", broadcast_shape("mul", a.shape(), b.shape()), {a, b},
        [](const VjpInput<T>& in, int k) {
            return k == 0 ? sum_to(in.g * in.b, in.a.shape()) : sum_to(in.g * in.a, in.b.shape());
        }, 0, pointwise);
    broadcast_apply(out, val(a), val(b), [](auto&& u, auto&& v) { return u * v; });
    return y;
}

template <class T>
Var<T> div(const Var<T>& a, const Var<T>& b) {
    auto [y, out] = tape_of("div", {a, b}).record(
        "div", broadcast_shape("div", a.shape(), b.shape()), {a, b},
        [](const VjpInput<T>& in, int k) {  // d(a/b)/db = -y/b
            return k == 0 ? sum_to(in.g / in.b, in.a.shape())
                          : neg(sum_to(in.g * in.y / in.b, in.b.shape()));
        }, 0, pointwise);
    broadcast_apply(out, val(a), val(b), [](auto&& u, auto&& v) { return u / v; });
    return y;
}

// ---- element-wise, unary ----------------------------------------------------------------------

template <class T>
Var<T> neg(const Var<T>& x) {
    auto [y, out] = unary<T>("neg", x, [](const VjpInput<T>& in, int) { return neg(in.g); });
    map(out, [](auto&& u) { return -u; }, val(x));
    return y;
}

template <class T>
Var<T> scale(const Var<T>& x, double s) {
    auto [y, out] = unary<T>("scale", x, [](const VjpInput<T>& in, int) { return scale(in.g, in.attr); }, s);
    map(out, [s = T(s)](auto&& u) { return u * s; }, val(x));
    return y;
}

template <class T>
Var<T> add_scalar(const Var<T>& x, double s) {
    auto [y, out] = unary<T>("add_scalar", x, [](const VjpInput<T>& in, int) { return in.g; }, s);
    map(out, [s = T(s)](auto&& u) { return u + s; }, val(x));
    return y;
}

template <class T>
Var<T> exp(const Var<T>& x) {
    auto [y, out] = unary<T>("exp", x, [](const VjpInput<T>& in, int) { return in.g * in.y; });
    map(out, [](auto&& u) { return xt::exp(u); }, val(x));
    return y;
}

template <class T>
Var<T> log(const Var<T>& x) {
    check_domain("log", val(x), [](T v) { return !(v < 0); }, "[0, inf)");
    auto [y, out] = unary<T>("log", x, [](const VjpInput<T>& in, int) { return in.g / in.a; });
    map(out, [](auto&& u) { return xt::log(u); }, val(x));
    return y;
}

template <class T>
Var<T> sqrt(const Var<T>& x) {
    check_domain("sqrt", val(x), [](T v) { return !(v < 0); }, "[0, inf)");
    auto [y, out] = unary<T>("sqrt", x, [](const VjpInput<T>& in, int) { return scale(in.g / in.y, 0.5); });
    map(out, [](auto&& u) { return xt::sqrt(u); }, val(x));
    return y;
}

template <class T>
Var<T> square(const Var<T>& x) {
    auto [y, out] = unary<T>("square", x, [](const VjpInput<T>& in, int) { return scale(in.g * in.a, 2.0); });
    map(out, [](auto&& u) { return u * u; }, val(x));
    return y;
}

template <class T>
Var<T> abs(const Var<T>& x) {
    auto [y, out] = unary<T>("abs", x, [](const VjpInput<T>& in, int) { return in.g * sign(in.a); });
    map(out, [](auto&& u) { return xt::abs(u); }, val(x));
    return y;
}

template <class T>
Var<T> pow(const Var<T>& x, double p) {
    if (p != std::floor(p))
        check_domain("pow (non-integer exponent)", val(x), [](T v) { return !(v < 0); }, "[0, inf)");
    auto [y, out] = unary<T>("pow", x, [](const VjpInput<T>& in, int) {
        return scale(in.g * pow(in.a, in.attr - 1.0), in.attr);
    }, p);
    map(out, [p = T(p)](auto&& u) { return xt::pow(u, p); }, val(x));
    return y;
}

template <class T>
Var<T> sigmoid(const Var<T>& x) {  // 1/(1 + e^-x): e^1000 = inf gives exactly 0, never NaN
    auto [y, out] = unary<T>("sigmoid", x, [](const VjpInput<T>& in, int) { return sigmoid_grad(in.g, in.y); });
    map(out, [](auto&& u) { return T(1) / (T(1) + xt::exp(-u)); }, val(x));
    return y;
}

template <class T>
Var<T> sigmoid_grad(const Var<T>& g, const Var<T>& y) {
    if (g.shape() != y.shape()) throw ShapeError("sigmoid_grad", g.shape(), y.shape(), "differ");
    auto [r, out] = tape_of("sigmoid_grad", {g, y}).record(
        "sigmoid_grad", y.shape(), {g, y}, [](const VjpInput<T>& in, int k) {
            // d/dg: y(1 - y); d/dy: g(1 - 2y)
            return k == 0 ? sigmoid_grad(in.g, in.b) : in.g * in.a * (1.0 - scale(in.b, 2.0));
        }, 0, pointwise);
    map(out, [](auto&& u, auto&& v) { return u * v * (T(1) - v); }, val(g), val(y));
    return r;
}

template <class T>
Var<T> tanh(const Var<T>& x) {
    auto [y, out] = unary<T>("tanh", x, [](const VjpInput<T>& in, int) { return tanh_grad(in.g, in.y); });
    map(out, [](auto&& u) { return xt::tanh(u); }, val(x));
    return y;
}

template <class T>
Var<T> tanh_grad(const Var<T>& g, const Var<T>& y) {
    if (g.shape() != y.shape()) throw ShapeError("tanh_grad", g.shape(), y.shape(), "differ");
    auto [r, out] = tape_of("tanh_grad", {g, y}).record(
        "tanh_grad", y.shape(), {g, y}, [](const VjpInput<T>& in, int k) {
            // d/dg: 1 - y^2; d/dy: -2 g y
            return k == 0 ? tanh_grad(in.g, in.b) : scale(in.g * in.a * in.b, -2.0);
        }, 0, pointwise);
    map(out, [](auto&& u, auto&& v) { return u * (T(1) - v * v); }, val(g), val(y));
    return r;
}

template <class T>
Var<T> relu(const Var<T>& x) {
    auto [y, out] = unary<T>("relu", x, [](const VjpInput<T>& in, int) { return relu_grad(in.g, in.y); });  // y > 0 where x > 0
    map(out, [](auto&& u) { return xt::maximum(u, T(0)); }, val(x));
    return y;
}

template <class T>
Var<T> relu_grad(const Var<T>& g, const Var<T>& y) {
    if (g.shape() != y.shape()) throw ShapeError("relu_grad", g.shape(), y.shape(), "differ");
    auto [r, out] = tape_of("relu_grad", {g, y}).record(
        "relu_grad", y.shape(), {g, y}, [](const VjpInput<T>& in, int k) {
            // d/dg: the same selection; d/dy: 0 (y only selects)
            return k == 0 ? relu_grad(in.g, in.b) : Var<T>{};
        }, 0, pointwise);
    // g times 0 or 1, as g * step(y) multiplied: an inf or NaN in g stays NaN where y <= 0
    map(out, [](auto&& u, auto&& v) { return u * xt::where(v > T(0), T(1), T(0)); }, val(g), val(y));
    return r;
}

template <class T>
Var<T> softplus(const Var<T>& x) {  // max(x, 0) + log1p(e^-|x|): no overflow at +1000
    auto [y, out] = unary<T>("softplus", x, [](const VjpInput<T>& in, int) { return in.g * sigmoid(in.a); });
    // max(x, 0) as (x + |x|) / 2, exact: xt::maximum has no SIMD path and would make the whole
    // expression scalar libm calls, five times slower.
    map(out, [](auto&& u) { return T(0.5) * (u + xt::abs(u)) + xt::log1p(xt::exp(-xt::abs(u))); }, val(x));
    return y;
}

template <class T>
Var<T> step(const Var<T>& x) {  // a constant: recorded without parents
    auto [y, out] = tape_of("step", {x}).record("step", x.shape(), {}, nullptr);
    map(out, [](auto&& u) { return xt::where(u > T(0), T(1), T(0)); }, val(x));
    return y;
}

template <class T>
Var<T> sign(const Var<T>& x) {  // a constant
    auto [y, out] = tape_of("sign", {x}).record("sign", x.shape(), {}, nullptr);
    map(out, [](auto&& u) { return xt::where(u > T(0), T(1), xt::where(u < T(0), T(-1), T(0))); }, val(x));
    return y;
}

// ---- matrix products --------------------------------------------------------------------------

namespace {

// sum + op(a) op(b) when a sum is given, the GEMM adding it in place (beta = 1); op(a) op(b) alone
// otherwise.
template <class T>
Var<T> product(const Var<T>& sum, const Var<T>& a, const Var<T>& b, bool ta, bool tb) {
    return sum ? addmm(sum, a, b, ta, tb) : matmul(a, b, ta, tb);
}

// The cotangent of factor k (0: a, 1: b) of op(a) op(b), from the product's cotangent g, plus sum.
template <class T>
Var<T> factor_vjp(const Var<T>& g, const Var<T>& a, const Var<T>& b, bool ta, bool tb, int k, const Var<T>& sum) {
    if (k == 0) return ta ? product(sum, b, g, tb, true) : product(sum, g, b, false, !tb);
    return tb ? product(sum, g, a, true, ta) : product(sum, a, g, !ta, false);
}

template <class T>
Var<T> plus(const Var<T>& sum, const Var<T>& g) {
    return sum ? add(sum, g) : g;
}

Shape product_shape(const char* op, const Shape& sa, const Shape& sb, bool ta, bool tb) {
    const Shape oa = ta ? Shape{sa[1], sa[0]} : sa, ob = tb ? Shape{sb[1], sb[0]} : sb;
    if (oa[1] != ob[0])
        throw ShapeError(std::string(op) + (ta || tb ? " (shapes after transposition)" : ""), oa, ob,
                         "have different inner dimensions");
    return {oa[0], ob[1]};
}

}  // namespace

template <class T>
Var<T> matmul(const Var<T>& a, const Var<T>& b, bool ta, bool tb) {
    Tape<T>& tape = tape_of("matmul", {a, b});
    const Shape shape = product_shape("matmul", a.shape(), b.shape(), ta, tb);
    auto [y, out] = tape.record("matmul", shape, {a, b}, [](const VjpInput<T>& in, int k) {
        return factor_vjp(in.g, in.a, in.b, int(in.attr) & 1, int(in.attr) & 2, k, in.sum);
    }, double(int(ta) + 2 * int(tb)), op_vjp_adds);
    if ((ta ? a.shape()[0] : a.shape()[1]) == 0) out.fill(T(0));
    else xt::blas::gemm(val(a), val(b), out, ta, tb);
    return y;
}

template <class T>
Var<T> addmm(const Var<T>& c, const Var<T>& a, const Var<T>& b, bool ta, bool tb) {
    Tape<T>& tape = tape_of("addmm", {c, a, b});
    const Shape shape = product_shape("addmm", a.shape(), b.shape(), ta, tb);
    if (c.shape() != shape) throw ShapeError("addmm (c against op(a) op(b))", c.shape(), shape, "differ");
    auto [y, out] = tape.record("addmm", shape, {c, a, b}, [](const VjpInput<T>& in, int k) {
        if (k == 0) return plus(in.sum, in.g);
        return factor_vjp(in.g, in.b, in.c, int(in.attr) & 1, int(in.attr) & 2, k - 1, in.sum);
    }, double(int(ta) + 2 * int(tb)), op_accumulates | op_vjp_adds);
    const Array<T>& sum = val(c);
    if (out.data() != sum.data()) map(out, [](auto&& u) { return u; }, sum);  // c's buffer was not donated
    if ((ta ? a.shape()[0] : a.shape()[1]) > 0) xt::blas::gemm(val(a), val(b), out, ta, tb, T(1), T(1));
    return y;
}

template <class T>
Var<T> affine(const Var<T>& W, const Var<T>& x, const Var<T>& b, bool tw) {
    Tape<T>& tape = tape_of("affine", {W, x, b});
    const Shape sw = tw ? Shape{W.shape()[1], W.shape()[0]} : W.shape(), sx = x.shape(), sb = b.shape();
    if (sw[1] != sx[0])
        throw ShapeError(tw ? "affine (W^T x)" : "affine (W x)", sw, sx, "have different inner dimensions");
    if (sb != Shape{sw[0], 1}) throw ShapeError("affine (bias b against W)", sb, sw,
                                                "do not fit: b must be a column with one entry per row of op(W)");
    auto [y, out] = tape.record("affine", {sw[0], sx[1]}, {W, x, b}, [](const VjpInput<T>& in, int k) {
        if (k < 2) return factor_vjp(in.g, in.a, in.b, in.attr != 0, false, k, in.sum);
        return plus(in.sum, sum_to(in.g, in.c.shape()));
    }, double(tw), op_vjp_adds);
    const Array<T>& bias = val(b);
    T* po = out.data();
    for_rows(sw[0], sx[1], [&](std::size_t r0, std::size_t r1) {  // the bias, then C = op(W) x + C in one GEMM
        for (std::size_t i = r0; i < r1; ++i) std::fill_n(po + i * sx[1], sx[1], bias(i, 0));
    });
    if (sw[1] > 0) xt::blas::gemm(val(W), val(x), out, tw, false, T(1), T(1));
    return y;
}

template <class T>
Var<T> transpose(const Var<T>& x) {
    const Shape s = x.shape();
    auto [y, out] = tape_of("transpose", {x}).record(
        "transpose", {s[1], s[0]}, {x}, [](const VjpInput<T>& in, int) { return transpose(in.g); });
    xt::noalias(out) = xt::transpose(val(x));
    return y;
}

// ---- shapes and reductions --------------------------------------------------------------------

template <class T>
Var<T> sum_to(const Var<T>& x, const Shape& shape) {
    const Shape s = x.shape();
    for (int d = 0; d < 2; ++d)
        if (shape[d] != s[d] && shape[d] != 1) throw ShapeError("sum_to", s, shape, "do not reduce");
    if (shape == s) return x;
    auto [y, out] = tape_of("sum_to", {x}).record("sum_to", shape, {x}, [](const VjpInput<T>& in, int) {
        return broadcast_to(in.g, in.a.shape());
    });
    const T* p = val(x).data();
    if (shape[1] == 1) {  // along rows, in double: float32 sums over many examples keep their digits
        std::vector<double> row_sum(s[0]);
        for_rows(s[0], s[1], [&](std::size_t r0, std::size_t r1) {
            for (std::size_t i = r0; i < r1; ++i)
                row_sum[i] = accumulate(0, s[1], [row = p + i * s[1]](std::size_t j) { return double(row[j]); });
        });
        double total = 0;  // the rows in order
        for (std::size_t i = 0; i < s[0]; ++i) {
            total += row_sum[i];
            if (shape[0] != 1) out(i, 0) = T(row_sum[i]);
        }
        if (shape[0] == 1) out(0, 0) = T(total);
    } else {  // down columns, each range of columns on one thread
        T* po = out.data();
        parallel_for(s[1], 64, s[0], [&](std::size_t j0, std::size_t j1) {
            std::vector<double> acc(j1 - j0, 0.0);
            for (std::size_t i = 0; i < s[0]; ++i)
                for (std::size_t j = j0; j < j1; ++j) acc[j - j0] += p[i * s[1] + j];
            std::copy(acc.begin(), acc.end(), po + j0);
        });
    }
    return y;
}

template <class T>
Var<T> broadcast_to(const Var<T>& x, const Shape& shape) {
    const Shape s = x.shape();
    for (int d = 0; d < 2; ++d)
        if (s[d] != shape[d] && s[d] != 1) throw ShapeError("broadcast_to", s, shape, "do not broadcast");
    if (shape == s) return x;
    auto [y, out] = tape_of("broadcast_to", {x}).record("broadcast_to", shape, {x},
        [](const VjpInput<T>& in, int) { return sum_to(in.g, in.a.shape()); });
    const Array<T>& a = val(x);
    T* po = out.data();
    for_rows(shape[0], shape[1], [&](std::size_t r0, std::size_t r1) {
        for (std::size_t i = r0; i < r1; ++i) {
            T* row = po + i * shape[1];
            if (s[1] == 1) std::fill_n(row, shape[1], a(s[0] == 1 ? 0 : i, 0));
            else std::copy_n(a.data(), shape[1], row);  // a is one row, repeated
        }
    });
    return y;
}

template <class T>
Var<T> sum_squares(const Var<T>& x) {  // a primitive: its VJP 2 g x needs no broadcast of g
    auto [y, out] = tape_of("sum_squares", {x}).record("sum_squares", {1, 1}, {x},
        [](const VjpInput<T>& in, int) { return in.a * scale(in.g, 2.0); }, 0, op_consumes_g);
    const T* p = val(x).data();
    out(0, 0) = T(sum_of(val(x).size(), [p](std::size_t i) { return double(p[i]) * double(p[i]); }));
    return y;
}

template <class T>
Var<T> squared_distance(const Var<T>& a, const Var<T>& b) {  // a primitive: never stores a - b
    if (a.shape() != b.shape()) throw ShapeError("squared_distance", a.shape(), b.shape(), "differ");
    auto [y, out] = tape_of("squared_distance", {a, b}).record("squared_distance", {1, 1}, {a, b},
        [](const VjpInput<T>& in, int k) {
            return k == 0 ? scaled_difference(in.a, in.b, scale(in.g, 2.0))
                          : scaled_difference(in.b, in.a, scale(in.g, 2.0));
        }, 0, op_consumes_g);
    const T* p = val(a).data();
    const T* q = val(b).data();
    out(0, 0) = T(sum_of(val(a).size(), [p, q](std::size_t i) {
        const double d = double(p[i]) - double(q[i]);
        return d * d;
    }));
    return y;
}

template <class T>
Var<T> bce_with_logits(const Var<T>& a, const Var<T>& x) {  // a primitive: one pass instead of five arrays
    if (a.shape() != x.shape()) throw ShapeError("bce_with_logits", a.shape(), x.shape(), "differ");
    auto [y, out] = tape_of("bce_with_logits", {a, x}).record("bce_with_logits", {1, 1}, {a, x},
        [](const VjpInput<T>& in, int k) {
            return k == 0 ? (sigmoid(in.a) - in.b) * in.g : -(in.a * in.g);
        }, 0, op_consumes_g);
    const T* p = val(a).data();
    const T* q = val(x).data();
    out(0, 0) = T(blocked_sum<T>(val(a).size(), [p, q](std::size_t first, std::size_t last, auto& terms) {
        auto av = span(p, first, last);
        auto xv = span(q, first, last);
        // softplus(a) - x a, with max(a, 0) written as in softplus (vectorised)
        xt::noalias(terms) = T(0.5) * (av + xt::abs(av)) + xt::log1p(xt::exp(-xt::abs(av))) - xv * av;
    }));
    return y;
}

template <class T>
Var<T> scaled_difference(const Var<T>& a, const Var<T>& b, const Var<T>& s) {
    if (a.shape() != b.shape()) throw ShapeError("scaled_difference", a.shape(), b.shape(), "differ");
    if (s.shape() != Shape{1, 1}) throw ShapeError("scaled_difference (scale)", s.shape(), {1, 1}, "differ");
    auto [y, out] = tape_of("scaled_difference", {a, b, s}).record("scaled_difference", a.shape(), {a, b, s},
        [](const VjpInput<T>& in, int k) {
            if (k == 0) return in.g * in.c;
            if (k == 1) return -(in.g * in.c);
            return sum(in.g * (in.a - in.b));
        }, 0, pointwise);
    map(out, [s = val(s)(0, 0)](auto&& u, auto&& v) { return (u - v) * s; }, val(a), val(b));
    return y;
}

template <class T>
Var<T> logsumexp(const Var<T>& x, int axis) {  // a primitive for stability: shift by the max
    if (axis != 0 && axis != 1) throw std::invalid_argument("logsumexp: axis must be 0 or 1, got " + std::to_string(axis));
    const Shape s = x.shape();
    const Shape r = axis == 0 ? Shape{1, s[1]} : Shape{s[0], 1};
    auto [y, out] = tape_of("logsumexp", {x}).record("logsumexp", r, {x},
        [](const VjpInput<T>& in, int) { return in.g * exp(in.a - in.y); },  // g softmax(a)
        double(axis), op_consumes_g);
    const Array<T>& a = val(x);
    const std::size_t lines = axis == 0 ? s[1] : s[0], len = axis == 0 ? s[0] : s[1];
    const std::size_t stride = axis == 0 ? s[1] : 1, next = axis == 0 ? 1 : s[1];
    for (std::size_t l = 0; l < lines; ++l) {
        const T* p = a.data() + l * next;
        T m = -std::numeric_limits<T>::infinity();
        for (std::size_t i = 0; i < len; ++i) m = std::max(m, p[i * stride]);
        if (!std::isfinite(m)) { out.data()[l] = m; continue; }  // all -inf, or an inf entry
        double total = 0;
        for (std::size_t i = 0; i < len; ++i) total += std::exp(double(p[i * stride] - m));
        out.data()[l] = T(double(m) + std::log(total));
    }
    return y;
}

// ---- shapes ----------------------------------------------------------------------------------

template <class T>
Var<T> reshape(const Var<T>& x, const Shape& shape) {
    if (size_of(shape) != size_of(x.shape())) throw ShapeError("reshape", x.shape(), shape, "hold different numbers of entries");
    if (shape == x.shape()) return x;
    auto [y, out] = tape_of("reshape", {x}).record("reshape", shape, {x},
        [](const VjpInput<T>& in, int) { return reshape(in.g, in.a.shape()); });
    std::copy_n(val(x).data(), val(x).size(), out.data());
    return y;
}

// Both precisions, compiled once, from the one list (T is a macro only here, at the end).
#define AEZOO_INSTANTIATE(name, params) template Var<T> name params;
#define T float
AEZOO_ARRAY_PRIMITIVES(AEZOO_INSTANTIATE)
#undef T
#define T double
AEZOO_ARRAY_PRIMITIVES(AEZOO_INSTANTIATE)
#undef T
#undef AEZOO_INSTANTIATE

}  // namespace ae
