// autodiff/ops_image.cpp: the image primitives of the table (autodiff/window.hpp has the layout).
// As in ops.cpp, each forward sits beside its VJP and every VJP is written with primitives: the
// three convolutions are each other's VJPs, and sum_pool and upsample are each other's.
#include <algorithm>
#include <vector>

#include "autodiff/functions.hpp"
#include "util/threads.hpp"

namespace ae {
namespace {

template <class T>
const Array<T>& val(const Var<T>& v) {  // unchecked: every op checked its inputs with tape_of
    return v.tape->node(v.id).value();
}

// Visits rows [r0, r1) of the chunk's patch matrix (C*k*k, np*nj), row r = (c*k + ky)*k + kx,
// in runs of nj entries: f(run, pixel) with `pixel` the image row the run reads (the examples
// j0 .. j0 + nj - 1 of it), or -1 where the window overhangs the image (zero padding).
template <class F>
void for_each_patch_run(const Window& w, std::size_t r0, std::size_t r1, std::size_t p0, std::size_t np,
                        std::size_t nj, F f) {
    const std::size_t ow = w.out_width(), k = w.kernel;
    std::size_t run = r0 * np * nj;
    for (std::size_t r = r0; r < r1; ++r) {
        const std::size_t c = r / (k * k), ky = r / k % k, kx = r % k;
        for (std::size_t p = p0; p < p0 + np; ++p, run += nj) {
            const long ih = long((p / ow) * w.stride + ky) - long(w.pad);
            const long iw = long((p % ow) * w.stride + kx) - long(w.pad);
            const bool inside = ih >= 0 && ih < long(w.height) && iw >= 0 && iw < long(w.width);
            f(run, inside ? long((c * w.height + std::size_t(ih)) * w.width + std::size_t(iw)) : -1L);
        }
    }
}

// f(c0, c1) over ranges of an image's channels, split across the threads (util/threads.hpp): a
// channel's rows are written by one thread, in one order, so results do not depend on the count.
template <class F>
void for_channels(std::size_t channels, std::size_t entries_per_channel, F f) {
    parallel_for(channels, 1, std::max<std::size_t>(entries_per_channel, 1), f);
}

// Gathering only copies, each patch row to its own place: split by patch rows, so that an image
// of one channel (a first layer) is shared across the threads too.
template <class T>
void gather_patches(const Window& w, const T* x, std::size_t m, std::size_t p0, std::size_t np, std::size_t j0,
                    std::size_t nj, T* col) {
    parallel_for(w.patch(), 1, np * nj, [&](std::size_t r0, std::size_t r1) {
        for_each_patch_run(w, r0, r1, p0, np, nj, [&](std::size_t run, long pixel) {
            if (pixel < 0) std::fill_n(col + run, nj, T(0));
            else std::copy_n(x + std::size_t(pixel) * m + j0, nj, col + run);
        });
    });
}

// Windows overlap only within a channel, so split by channels each pixel is added to by one thread.
template <class T>
void scatter_add_patches(const Window& w, const T* col, std::size_t m, std::size_t p0, std::size_t np,
                         std::size_t j0, std::size_t nj, T* x) {
    const std::size_t kk = w.kernel * w.kernel;
    for_channels(w.channels, kk * np * nj, [&](std::size_t c0, std::size_t c1) {
        for_each_patch_run(w, c0 * kk, c1 * kk, p0, np, nj, [&](std::size_t run, long pixel) {
            if (pixel < 0) return;
            T* dst = x + std::size_t(pixel) * m + j0;
            const T* src = col + run;
            for (std::size_t j = 0; j < nj; ++j) dst[j] += src[j];
        });
    });
}

// Throws naming the op unless `rows` is what the window's image needs.
void check_rows(const std::string& op, const Window& w, const Shape& s, std::size_t rows, const char* what) {
    if (s[0] != rows)
        throw std::invalid_argument(op + " (" + w.text() + "): " + what + " has shape " + str(s) + ", expected " +
                                    std::to_string(rows) + " rows");
}

void check_kernel(const std::string& op, const Window& w, const Shape& k) {
    if (k[0] == 0 || k[1] != w.patch())
        throw std::invalid_argument(op + " (" + w.text() + "): kernel matrix has shape " + str(k) +
                                    ", expected (out channels, " + std::to_string(w.patch()) + ")");
}

void check_examples(const std::string& op, const Shape& a, const Shape& b) {
    if (a[1] != b[1]) throw ShapeError(op, a, b, "hold different numbers of examples (columns)");
}

}  // namespace

// ---- convolution ------------------------------------------------------------------------------

template <class T>
Var<T> conv2d(const Var<T>& x, const Var<T>& K, const Window& w) {
    Tape<T>& tape = tape_of("conv2d", {x, K});
    w.check("conv2d");
    check_rows("conv2d", w, x.shape(), w.rows(), "input");
    check_kernel("conv2d", w, K.shape());
    const std::size_t O = K.shape()[0], P = w.out_pixels(), m = x.shape()[1], patch = w.patch();
    auto [y, out] = tape.record("conv2d", {O * P, m}, {x, K}, [](const VjpInput<T>& in, int k) {
        return k == 0 ? conv2d_transpose(in.g, in.b, *in.window) : conv2d_weight(in.a, in.g, *in.window);
    }, 0, 0, &w);
    const T* px = val(x).data();
    const T* pk = val(K).data();
    T* po = out.data();
    for_each_chunk(w, m, [&](std::size_t p0, std::size_t np, std::size_t j0, std::size_t nj) {
        T* col = tape.workspace(patch * np * nj);
        gather_patches(w, px, m, p0, np, j0, nj, col);
        gemm(false, false, O, np * nj, patch, pk, patch, col, np * nj, 0.0, po + p0 * m + j0, P * m);
    });
    return y;
}

template <class T>
Var<T> conv2d_transpose(const Var<T>& g, const Var<T>& K, const Window& w) {
    Tape<T>& tape = tape_of("conv2d_transpose", {g, K});
    w.check("conv2d_transpose");
    check_kernel("conv2d_transpose", w, K.shape());
    const std::size_t O = K.shape()[0], P = w.out_pixels(), m = g.shape()[1], patch = w.patch();
    check_rows("conv2d_transpose", w, g.shape(), O * P, "input");
    auto [y, out] = tape.record("conv2d_transpose", {w.rows(), m}, {g, K}, [](const VjpInput<T>& in, int k) {
        return k == 0 ? conv2d(in.g, in.b, *in.window) : conv2d_weight(in.g, in.a, *in.window);
    }, 0, 0, &w);
    out.fill(T(0));
    const T* pg = val(g).data();
    const T* pk = val(K).data();
    T* po = out.data();
    for_each_chunk(w, m, [&](std::size_t p0, std::size_t np, std::size_t j0, std::size_t nj) {
        T* col = tape.workspace(patch * np * nj);
        gemm(true, false, patch, np * nj, O, pk, patch, pg + p0 * m + j0, P * m, 0.0, col, np * nj);
        scatter_add_patches(w, col, m, p0, np, j0, nj, po);
    });
    return y;
}

template <class T>
Var<T> conv2d_weight(const Var<T>& x, const Var<T>& g, const Window& w) {
    Tape<T>& tape = tape_of("conv2d_weight", {x, g});
    w.check("conv2d_weight");
    check_rows("conv2d_weight", w, x.shape(), w.rows(), "input");
    check_examples("conv2d_weight", x.shape(), g.shape());
    const std::size_t P = w.out_pixels(), m = x.shape()[1], patch = w.patch();
    if (g.shape()[0] == 0 || g.shape()[0] % P != 0)
        throw std::invalid_argument("conv2d_weight (" + w.text() + "): output cotangent has shape " + str(g.shape()) +
                                    ", expected a multiple of " + std::to_string(P) + " rows");
    const std::size_t O = g.shape()[0] / P;
    auto [y, out] = tape.record("conv2d_weight", {O, patch}, {x, g}, [](const VjpInput<T>& in, int k) {
        return k == 0 ? conv2d_transpose(in.b, in.g, *in.window) : conv2d(in.a, in.g, *in.window);
    }, 0, 0, &w);
    out.fill(T(0));
    const T* px = val(x).data();
    const T* pg = val(g).data();
    T* po = out.data();
    for_each_chunk(w, m, [&](std::size_t p0, std::size_t np, std::size_t j0, std::size_t nj) {
        T* col = tape.workspace(patch * np * nj);
        gather_patches(w, px, m, p0, np, j0, nj, col);
        gemm(false, true, O, patch, np * nj, pg + p0 * m + j0, P * m, col, np * nj, 1.0, po, patch);
    });
    return y;
}

template <class T>
Var<T> add_channels(const Var<T>& x, const Var<T>& b) {
    Tape<T>& tape = tape_of("add_channels", {x, b});
    const Shape sx = x.shape(), sb = b.shape();
    if (sb[1] != 1 || sb[0] == 0 || sx[0] % sb[0] != 0)
        throw ShapeError("add_channels (image x, channel bias b)", sx, sb,
                         "do not fit: b must be a column with one entry per channel, dividing x's rows");
    auto [y, out] = tape.record("add_channels", sx, {x, b}, [](const VjpInput<T>& in, int k) {
        const Shape s = in.g.shape(), sb = in.b.shape();
        return k == 0 ? in.g : sum_to(reshape(in.g, {sb[0], s[0] / sb[0] * s[1]}), sb);
    }, 0, op_elementwise | op_consumes_g);
    const std::size_t run = sx[0] / sb[0] * sx[1];  // a channel's entries are contiguous
    const T* px = val(x).data();
    const T* pb = val(b).data();
    T* po = out.data();
    for_channels(sb[0], run, [&](std::size_t c0, std::size_t c1) {
        for (std::size_t c = c0; c < c1; ++c)
            for (std::size_t i = c * run; i < (c + 1) * run; ++i) po[i] = px[i] + pb[c];
    });
    return y;
}

// ---- pooling ----------------------------------------------------------------------------------

template <class T>
Var<T> sum_pool(const Var<T>& x, const Window& w) {
    Tape<T>& tape = tape_of("sum_pool", {x});
    w.check_pooling("sum_pool");
    check_rows("sum_pool", w, x.shape(), w.rows(), "input");
    const std::size_t m = x.shape()[1], oh = w.out_height(), ow = w.out_width(), k = w.kernel;
    auto [y, out] = tape.record("sum_pool", {w.channels * oh * ow, m}, {x},
        [](const VjpInput<T>& in, int) { return upsample(in.g, *in.window); }, 0, 0, &w);
    out.fill(T(0));
    const T* px = val(x).data();
    T* po = out.data();
    for_channels(w.channels, w.height * w.width * m, [&](std::size_t c0, std::size_t c1) {
        for (std::size_t c = c0; c < c1; ++c)
            for (std::size_t h = 0; h < w.height; ++h)
                for (std::size_t v = 0; v < w.width; ++v) {
                    const T* src = px + ((c * w.height + h) * w.width + v) * m;
                    T* dst = po + ((c * oh + h / k) * ow + v / k) * m;
                    for (std::size_t j = 0; j < m; ++j) dst[j] += src[j];
                }
    });
    return y;
}

template <class T>
Var<T> upsample(const Var<T>& x, const Window& w) {
    Tape<T>& tape = tape_of("upsample", {x});
    w.check_pooling("upsample");
    const std::size_t m = x.shape()[1], oh = w.out_height(), ow = w.out_width(), k = w.kernel;
    check_rows("upsample", w, x.shape(), w.channels * oh * ow, "input");
    auto [y, out] = tape.record("upsample", {w.rows(), m}, {x},
        [](const VjpInput<T>& in, int) { return sum_pool(in.g, *in.window); }, 0, 0, &w);
    const T* px = val(x).data();
    T* po = out.data();
    for_channels(w.channels, w.height * w.width * m, [&](std::size_t c0, std::size_t c1) {
        for (std::size_t c = c0; c < c1; ++c)
            for (std::size_t h = 0; h < w.height; ++h)
                for (std::size_t v = 0; v < w.width; ++v)
                    std::copy_n(px + ((c * oh + h / k) * ow + v / k) * m, m,
                                po + ((c * w.height + h) * w.width + v) * m);
    });
    return y;
}

namespace {

// 1 in out at the first largest entry of each window of channels [c0, c1), per example. A function
// of its own so that m is a local, which the stores into `best` cannot alias: captured by reference
// in a lambda it was reloaded at every step of the inner loops, which then did not vectorise.
template <class T>
void mark_window_maxima(const Window& w, const T* x, std::size_t m, std::size_t c0, std::size_t c1, T* out) {
    const std::size_t k = w.kernel;
    std::vector<std::size_t> best(m);  // per example: the row of the window's largest entry so far
    for (std::size_t c = c0; c < c1; ++c)
        for (std::size_t yo = 0; yo < w.out_height(); ++yo)
            for (std::size_t xo = 0; xo < w.out_width(); ++xo) {
                const std::size_t first = (c * w.height + yo * k) * w.width + xo * k;
                std::fill(best.begin(), best.end(), first);
                for (std::size_t ky = 0; ky < k; ++ky)
                    for (std::size_t kx = 0; kx < k; ++kx) {
                        const std::size_t row = first + ky * w.width + kx;
                        for (std::size_t j = 0; j < m; ++j)
                            if (x[row * m + j] > x[best[j] * m + j]) best[j] = row;
                    }
                for (std::size_t j = 0; j < m; ++j) out[best[j] * m + j] = T(1);
            }
}

}  // namespace

template <class T>
Var<T> max_pool_mask(const Var<T>& x, const Window& w) {  // a constant: recorded without parents
    Tape<T>& tape = tape_of("max_pool_mask", {x});
    w.check_pooling("max_pool_mask");
    check_rows("max_pool_mask", w, x.shape(), w.rows(), "input");
    const std::size_t m = x.shape()[1];
    auto [y, out] = tape.record("max_pool_mask", x.shape(), {}, nullptr, 0, 0, &w);
    out.fill(T(0));
    const T* px = val(x).data();
    T* po = out.data();
    for_channels(w.channels, w.height * w.width * m, [&](std::size_t c0, std::size_t c1) {
        mark_window_maxima(w, px, m, c0, c1, po);
    });
    return y;
}

// Both precisions, compiled once, from the one list.
#define AEZOO_INSTANTIATE(name, params) template Var<T> name params;
#define T float
AEZOO_IMAGE_PRIMITIVES(AEZOO_INSTANTIATE)
#undef T
#define T double
AEZOO_IMAGE_PRIMITIVES(AEZOO_INSTANTIATE)
#undef T
#undef AEZOO_INSTANTIATE

}  // namespace ae
