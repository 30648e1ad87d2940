// bench/benchmark.cpp: one full step of the UFLDL sparse autoencoder (sigmoid hidden and output,
// squared error, weight decay, KL sparsity; forward, backward, gradient-descent update) through
// the tape, against a careful hand-written step and against its five GEMMs alone (the floor); then
// a deep autoencoder's step and a conv autoencoder's step, each against its GEMMs alone.
// Usage: aezoo_bench [--quick]   (--quick: fewer repetitions, for a smoke run)
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include <sys/resource.h>
#include <xtensor-blas/xblas.hpp>
#include <xtensor/xmath.hpp>

#include "autodiff/autodiff.hpp"
#include "models/zoo.hpp"
#include "optim/evaluator.hpp"

extern "C" void openblas_set_num_threads(int);
extern "C" char* openblas_get_corename();

using namespace ae;

namespace {

constexpr double lambda = 3e-3, beta = 3.0, rho = 0.1, alpha = 0.1;

template <class T>
struct Problem {
    Array<T> x, W1, b1, W2, b2;
    Problem(std::size_t v, std::size_t h, std::size_t m) {
        std::mt19937_64 rng(1);
        std::uniform_real_distribution<double> u(0, 1);
        const double r = std::sqrt(6.0 / double(h + v + 1));
        auto fill = [&](std::size_t a, std::size_t b, double lo, double hi) {
            Array<T> z = Array<T>::from_shape({a, b});
            for (T& e : z) e = T(lo + (hi - lo) * u(rng));
            return z;
        };
        x = fill(v, m, 0, 1);
        W1 = fill(h, v, -r, r);
        W2 = fill(v, h, -r, r);
        b1 = xt::zeros<T>({h, std::size_t(1)});
        b2 = xt::zeros<T>({v, std::size_t(1)});
    }
    std::size_t bytes() const { return (x.size() + W1.size() + b1.size() + W2.size() + b2.size()) * sizeof(T); }
};

// The loss as a user writes it, in primitives.
template <class T>
Var<T> sparse_ae_loss(const Var<T>& W1, const Var<T>& b1, const Var<T>& W2, const Var<T>& b2, const Var<T>& x) {
    const double m = double(cols(x));
    Var<T> a2 = sigmoid(affine(W1, x, b1));
    Var<T> a3 = sigmoid(affine(W2, a2, b2));
    Var<T> rho_hat = sum(a2, 1) / m;
    Var<T> kl = sum(rho * log(rho / rho_hat) + (1 - rho) * log((1 - rho) / (1 - rho_hat)));
    return 0.5 / m * squared_distance(a3, x) + 0.5 * lambda * (sum_squares(W1) + sum_squares(W2)) + beta * kl;
}

template <class T>
struct TapeStep {
    Problem<T>& p;
    Tape<T> tape;
    double operator()() {
        tape.clear();
        Var<T> W1 = tape.borrow(p.W1), b1 = tape.borrow(p.b1), W2 = tape.borrow(p.W2), b2 = tape.borrow(p.b2);
        Var<T> loss = sparse_ae_loss(W1, b1, W2, b2, tape.borrow(p.x));
        Vars<T> g = grad(loss, {W1, b1, W2, b2});
        xt::noalias(p.W1) -= T(alpha) * g[0].value();
        xt::noalias(p.b1) -= T(alpha) * g[1].value();
        xt::noalias(p.W2) -= T(alpha) * g[2].value();
        xt::noalias(p.b2) -= T(alpha) * g[3].value();
        return double(item(loss));
    }
};

// The same step through the zoo as train() takes it: sparse_kl's layers and terms, the trainer's
// evaluator on a kept tape, gradients into kept arrays.
template <class T>
struct ZooStep {
    Problem<T>& p;
    Autoencoder<T> model = sparse_kl<T>({p.W1.shape(1), p.W1.shape(0)}, {rho, beta, lambda});
    ParamList<T> params = model.parameters();
    Tape<T> tape;
    Evaluator<T> evaluator{params, serial()};
    Gradients<T> grads;
    explicit ZooStep(Problem<T>& q) : p(q) {
        find(params, "encoder.0.W") = q.W1;
        find(params, "decoder.0.W") = q.W2;
        for (const Named<T>& n : params) grads.push_back(*n.array);
    }
    double operator()() {
        evaluator.set_batch(model.loss_fn(p.x), tape, 0, p.x.shape(1), p.x.shape(1));
        const double loss = evaluator(grads);
        for (std::size_t i = 0; i < params.size(); ++i) xt::noalias(*params[i].array) -= T(alpha) * grads[i];
        return loss;
    }
};

// Row sums into a column, accumulated in double.
template <class T>
void row_sums(const Array<T>& a, Array<T>& out, double scale) {
    for (std::size_t i = 0; i < a.shape(0); ++i) {
        double s = 0;
        for (std::size_t j = 0; j < a.shape(1); ++j) s += a(i, j);
        out(i, 0) = T(s * scale);
    }
}

// A careful hand-written step: the documents' deltas, buffers kept, every expression evaluated once.
template <class T>
struct HandStep {
    Problem<T>& p;
    Array<T> a2, a3, d3, d2, gW1, gW2, gb1, gb2, rho_hat;
    explicit HandStep(Problem<T>& q)
        : p(q), a2(Array<T>::from_shape({q.W1.shape(0), q.x.shape(1)})), a3(Array<T>::from_shape(q.x.shape())),
          d3(a3), d2(a2), gW1(q.W1), gW2(q.W2), gb1(q.b1), gb2(q.b2), rho_hat(q.b1) {}
    std::size_t bytes() const {
        std::size_t n = 0;
        for (const Array<T>* a : {&a2, &a3, &d3, &d2, &gW1, &gW2, &gb1, &gb2, &rho_hat}) n += a->size();
        return n * sizeof(T);
    }
    double operator()() {
        const std::size_t m = p.x.shape(1);
        const T inv_m = T(1.0 / double(m));
        for (std::size_t i = 0; i < a2.shape(0); ++i) std::fill_n(&a2(i, 0), m, p.b1(i, 0));
        xt::blas::gemm(p.W1, p.x, a2, false, false, T(1), T(1));
        xt::noalias(a2) = T(1) / (T(1) + xt::exp(-a2));
        for (std::size_t i = 0; i < a3.shape(0); ++i) std::fill_n(&a3(i, 0), m, p.b2(i, 0));
        xt::blas::gemm(p.W2, a2, a3, false, false, T(1), T(1));
        xt::noalias(a3) = T(1) / (T(1) + xt::exp(-a3));
        xt::noalias(d3) = a3 - p.x;
        const double sq = xt::sum(d3 * d3, xt::evaluation_strategy::immediate)();
        xt::noalias(d3) = d3 * a3 * (T(1) - a3) * inv_m;  // δ3 / m
        row_sums(a2, rho_hat, 1.0 / double(m));
        double kl = 0;
        for (T r : rho_hat) kl += rho * std::log(rho / r) + (1 - rho) * std::log((1 - rho) / (1 - r));
        xt::blas::gemm(p.W2, d3, d2, true, false);
        for (std::size_t i = 0; i < d2.shape(0); ++i) {  // add the sparsity delta, times f'(z2)
            const T s = T(beta * (-rho / rho_hat(i, 0) + (1 - rho) / (1 - rho_hat(i, 0)))) * inv_m;
            T* d = &d2(i, 0);
            const T* a = &a2(i, 0);
            for (std::size_t j = 0; j < m; ++j) d[j] = (d[j] + s) * a[j] * (T(1) - a[j]);
        }
        xt::blas::gemm(d3, a2, gW2, false, true);
        xt::blas::gemm(d2, p.x, gW1, false, true);
        row_sums(d3, gb2, 1.0);
        row_sums(d2, gb1, 1.0);
        xt::noalias(p.W1) -= T(alpha) * (gW1 + T(lambda) * p.W1);
        xt::noalias(p.W2) -= T(alpha) * (gW2 + T(lambda) * p.W2);
        xt::noalias(p.b1) -= T(alpha) * gb1;
        xt::noalias(p.b2) -= T(alpha) * gb2;
        const double wd = xt::sum(p.W1 * p.W1, xt::evaluation_strategy::immediate)() +
                          xt::sum(p.W2 * p.W2, xt::evaluation_strategy::immediate)();
        return 0.5 * sq / double(m) + 0.5 * lambda * wd + beta * kl;
    }
};

// The five products of a step, nothing else: no one can do the step faster.
template <class T>
struct GemmFloor {
    Problem<T>& p;
    Array<T> a2, a3, d2, gW1, gW2;
    explicit GemmFloor(Problem<T>& q)
        : p(q), a2(Array<T>::from_shape({q.W1.shape(0), q.x.shape(1)})), a3(Array<T>::from_shape(q.x.shape())),
          d2(a2), gW1(q.W1), gW2(q.W2) {}
    double operator()() {
        xt::blas::gemm(p.W1, p.x, a2);
        xt::blas::gemm(p.W2, a2, a3);
        xt::blas::gemm(p.W2, a3, d2, true, false);
        xt::blas::gemm(a3, a2, gW2, false, true);
        xt::blas::gemm(d2, p.x, gW1, false, true);
        return 0;
    }
};

template <class F>
double ms_of(F& step) {
    const auto t0 = std::chrono::steady_clock::now();
    step();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The best time of each step over reps rounds, the steps taking turns within a round, so that a
// slow spell of the machine (another process, the clock) falls on all of them and not on one
// column; each step is run once first (first touch of every buffer).
template <class... F>
std::array<double, sizeof...(F)> best_ms(int reps, F&... steps) {
    (steps(), ...);
    std::array<double, sizeof...(F)> best;
    best.fill(1e300);
    for (int r = 0; r < reps; ++r) {
        std::size_t i = 0;
        ((best[i] = std::min(best[i], ms_of(steps)), ++i), ...);
    }
    return best;
}

// The machine, so that runs on different machines can be compared: OpenBLAS's kernel family and
// the GFLOP/s of one square GEMM of each precision with 1 and 2 threads.
template <class T>
double gemm_gflops(int threads, int reps) {
    openblas_set_num_threads(threads);
    const std::size_t n = 1000;
    Array<T> a = xt::ones<T>({n, n}), b = a, c = a;
    auto product = [&] { xt::blas::gemm(a, b, c); };
    const double ms = best_ms(reps, product)[0];
    return 2.0 * double(n * n * n) / (ms * 1e6);
}

struct Size { std::size_t v, h, m; };

template <class T>
void table(const char* precision, int threads, int reps) {
    openblas_set_num_threads(threads);
    std::printf("\n%s, %d thread%s          floor ms   hand ms   tape ms    zoo ms   hand/floor  tape/floor  tape/hand"
                "  zoo/tape   memory: hand   tape    zoo (zoo MB)\n",
                precision, threads, threads > 1 ? "s" : " ");
    for (Size s : {Size{64, 25, 10000}, Size{784, 196, 10000}, Size{784, 196, 256}, Size{784, 1000, 128}}) {
        Problem<T> p(s.v, s.h, s.m), q = p, r = p, z = p, r1 = p, z1 = p;
        TapeStep<T> tape1{r1, {}};
        ZooStep<T> zoo1{z1};
        const double first_tape = tape1(), first_zoo = zoo1();  // the same loss at the same start
        GemmFloor<T> floor{p};
        HandStep<T> hand{q};
        TapeStep<T> tape{r, {}};
        ZooStep<T> zoo{z};
        const auto [f, h, t, zt] = best_ms(reps, floor, hand, tape, zoo);
        // Memory: data + parameters + what the step holds, against data + parameters + one copy
        // of each activation (z2, a2, z3, a3). Gradients are not in that base: at small batches
        // they dominate, for the hand-written step too.
        const double acts = double(2 * (s.h + s.v) * s.m * sizeof(T));
        const double base = double(p.bytes()) + acts;
        std::printf("%4zu-%-4zu x %-6zu           %8.2f  %8.2f  %8.2f  %8.2f  %10.2f  %10.2f  %9.2f  %8.3f   %10.2fx %5.2fx %5.2fx (%.0f)\n",
                    s.v, s.h, s.m, f, h, t, zt, h / f, t / f, t / h, zt / t, (double(hand.bytes()) + double(p.bytes())) / base,
                    (double(tape.tape.bytes()) + double(p.bytes())) / base, (double(zoo.tape.bytes()) + double(p.bytes())) / base,
                    double(zoo.tape.bytes()) / 1e6);
        const double lh = hand(), lt = tape();  // same start, same steps: same loss
        if (std::abs(lh - lt) > 1e-3 * std::abs(lh)) std::printf("  LOSS MISMATCH hand %.9g tape %.9g\n", lh, lt);
        if (std::abs(first_zoo - first_tape) > 1e-5 * std::abs(first_tape))
            std::printf("  LOSS MISMATCH tape %.9g zoo %.9g\n", first_tape, first_zoo);
    }
}

// The deep autoencoder 784-1000-500-250-30 (sigmoid, linear code, mirrored untied decoder,
// cross-entropy) on a batch of 128: one step through the zoo against its 23 GEMMs alone (8 forward,
// 8 weight gradients, 7 input gradients).
template <class T>
void deep_table(int threads, int reps) {
    openblas_set_num_threads(threads);
    const std::vector<std::size_t> sizes = {784, 1000, 500, 250, 30};
    const std::size_t m = 128;
    DeepOptions o;
    Autoencoder<T> model = deep<T>(sizes, o);
    Problem<T> data(784, 1, m);
    ParamList<T> params = model.parameters();
    Tape<T> tape;
    Evaluator<T> evaluator{params, serial()};
    Gradients<T> gradient;
    for (const Named<T>& n : params) gradient.push_back(*n.array);
    auto step = [&] {  // as train() takes it
        evaluator.set_batch(model.loss_fn(data.x), tape, 0, m, m);
        const double loss = evaluator(gradient);
        for (std::size_t i = 0; i < params.size(); ++i) xt::noalias(*params[i].array) -= T(alpha) * gradient[i];
        return loss;
    };
    // The floor: every layer's GEMMs on kept buffers.
    std::vector<std::size_t> widths = sizes;
    for (std::size_t i = sizes.size() - 1; i-- > 0;) widths.push_back(sizes[i]);
    std::vector<Array<T>> W, acts, grads;
    for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
        W.push_back(Array<T>(xt::ones<T>({widths[i + 1], widths[i]}) * T(0.01)));
        grads.push_back(W.back());
    }
    acts.push_back(data.x);
    for (std::size_t i = 1; i < widths.size(); ++i) acts.push_back(Array<T>::from_shape({widths[i], m}));
    std::vector<Array<T>> deltas = acts;
    auto floor = [&] {
        for (std::size_t i = 0; i < W.size(); ++i) xt::blas::gemm(W[i], acts[i], acts[i + 1]);
        for (std::size_t i = W.size(); i-- > 0;) {
            xt::blas::gemm(acts[i + 1], acts[i], grads[i], false, true);
            if (i > 0) xt::blas::gemm(W[i], acts[i + 1], deltas[i], true, false);
        }
        return 0.0;
    };
    const auto [f, z] = best_ms(reps, floor, step);
    std::printf("  %s, %d thread%s   floor %7.2f ms   zoo %7.2f ms   zoo/floor %5.2f   tape %.0f MB\n",
                sizeof(T) == 8 ? "float64" : "float32", threads, threads > 1 ? "s" : " ", f, z, z / f,
                double(tape.bytes()) / 1e6);
}

// ---- a conv autoencoder on MNIST shapes -------------------------------------------------------
// Encoder: conv 1->32 5x5 on 28x28, relu, max pool 2; conv 32->64 5x5 on 14x14, relu, max pool 2
// (a 64x7x7 code). Decoder mirrored: upsample, deconv 64->32, relu, upsample, deconv 32->1, sigmoid.
const Window conv28{1, 28, 28, 5, 1, 2}, conv14{32, 14, 14, 5, 1, 2};  // a deconv's window: its output image
const Window pool28{32, 28, 28, 2, 2, 0}, pool14{64, 14, 14, 2, 2, 0};

// A conv layer of the autoencoder: its window, the channels on the kernel's other side (its
// output for a conv, its input for a deconv) and which way it runs.
struct ConvLayer {
    Window w;
    std::size_t channels;
    bool transposed;
    std::size_t side_rows() const { return channels * w.out_pixels(); }  // the image on the kernel's side
};
const std::array<ConvLayer, 4> conv_layers = {{{conv28, 32, false}, {conv14, 64, false}, {conv14, 64, true}, {conv28, 32, true}}};
// Smaller than alpha: the loss sums every pixel of an image, and at alpha a few steps saturate the
// output sigmoid, after which the step would be timed on dead units and vanishing gradients.
constexpr double conv_alpha = 3e-3;

// Data in [0, 1]; the four kernels (channels, C*k*k) drawn as the Conv layer draws them; zero biases
// (one per channel of each layer's output).
template <class T>
struct ConvProblem {
    Array<T> x;
    std::vector<Array<T>> params;  // K1, b1, K2, b2, K3, b3, K4, b4
    explicit ConvProblem(std::size_t m) {
        std::mt19937_64 rng(1);
        std::uniform_real_distribution<double> u(0, 1);
        auto fill = [&](std::size_t a, std::size_t b, double r) {
            Array<T> z = Array<T>::from_shape({a, b});
            for (T& e : z) e = T(r * (2 * u(rng) - 1));
            return z;
        };
        x = fill(conv28.rows(), m, 1) * T(0.5) + T(0.5);
        for (const ConvLayer& c : conv_layers) {
            const std::size_t k2 = c.w.kernel * c.w.kernel;
            params.push_back(fill(c.channels, c.w.patch(), ufldl_radius(c.channels * k2, c.w.channels * k2)));
            params.push_back(xt::zeros<T>({c.transposed ? c.w.channels : c.channels, std::size_t(1)}));
        }
    }
};

// Max pooling as the primitives give it: the window's largest entry kept, summed alone.
template <class T>
Var<T> max_pool(const Var<T>& h, const Window& w) {
    return sum_pool(h * max_pool_mask(h, w), w);
}

template <class T>
Var<T> conv_ae_loss(const Vars<T>& p, const Var<T>& x) {
    Var<T> h1 = max_pool(relu(add_channels(conv2d(x, p[0], conv28), p[1])), pool28);
    Var<T> code = max_pool(relu(add_channels(conv2d(h1, p[2], conv14), p[3])), pool14);
    Var<T> h3 = relu(add_channels(conv2d_transpose(upsample(code, pool14), p[4], conv14), p[5]));
    Var<T> y = sigmoid(add_channels(conv2d_transpose(upsample(h3, pool28), p[6], conv28), p[7]));
    return 0.5 / double(cols(x)) * squared_distance(y, x);
}

template <class T>
struct ConvTapeStep {
    ConvProblem<T>& p;
    Tape<T> tape;
    double operator()() {
        tape.clear();
        Vars<T> params;
        for (const Array<T>& a : p.params) params.push_back(tape.borrow(a));
        Var<T> loss = conv_ae_loss(params, tape.borrow(p.x));
        Vars<T> g = grad(loss, params);
        for (std::size_t i = 0; i < params.size(); ++i) xt::noalias(p.params[i]) -= T(conv_alpha) * g[i].value();
        return double(item(loss));
    }
};

// The conv autoencoder's lowered GEMMs alone: per conv its forward product and its weight
// gradient, and its input gradient but for the first conv's (x needs none), each on the same
// chunks as the tape's, with the patches left where the last GEMM put them (no gathering, no
// scattering). Per chunk a conv's three GEMMs are conv2d's K patches, conv2d_transpose's K^T g
// into the patches and conv2d_weight's g patches^T.
template <class T>
struct ConvGemmFloor {
    struct Buffers {
        Array<T> K, dK, side, g;  // side, g: the image on the kernel's side, forward and backward
    };
    std::vector<Buffers> layer;
    std::vector<T> col;
    std::size_t m;
    explicit ConvGemmFloor(std::size_t batch) : m(batch) {
        // Constant entries: no denormals. The kernel gradients are summed into without the zeroing
        // conv2d_weight does first (not a GEMM); over a run they stay far from overflow.
        std::size_t n = 0;
        for (const ConvLayer& c : conv_layers) {
            Array<T> K = xt::ones<T>({c.channels, c.w.patch()}) * T(0.01);
            Array<T> side = xt::ones<T>({c.side_rows(), m}) * T(0.01);
            layer.push_back({K, K, side, side});
            for_each_chunk(c.w, m, [&](std::size_t, std::size_t np, std::size_t, std::size_t nj) {
                n = std::max(n, c.w.patch() * np * nj);
            });
        }
        col.assign(n, T(0.01));
    }
    // conv2d's: `side` from the patches.
    void product(const ConvLayer& c, const Array<T>& K, T* side) {
        const std::size_t P = c.w.out_pixels(), patch = c.w.patch();
        for_each_chunk(c.w, m, [&](std::size_t p0, std::size_t np, std::size_t j0, std::size_t nj) {
            gemm(false, false, c.channels, np * nj, patch, K.data(), patch, col.data(), np * nj, 0.0,
                 side + p0 * m + j0, P * m);
        });
    }
    // conv2d_transpose's: the patches from `side`.
    void transposed(const ConvLayer& c, const Array<T>& K, const T* side) {
        const std::size_t P = c.w.out_pixels(), patch = c.w.patch();
        for_each_chunk(c.w, m, [&](std::size_t p0, std::size_t np, std::size_t j0, std::size_t nj) {
            gemm(true, false, patch, np * nj, c.channels, K.data(), patch, side + p0 * m + j0, P * m, 0.0,
                 col.data(), np * nj);
        });
    }
    // conv2d_weight's: the kernel's gradient from `side` and the patches.
    void weight(const ConvLayer& c, const T* side, Array<T>& dK) {
        const std::size_t P = c.w.out_pixels(), patch = c.w.patch();
        for_each_chunk(c.w, m, [&](std::size_t p0, std::size_t np, std::size_t j0, std::size_t nj) {
            gemm(false, true, c.channels, patch, np * nj, side + p0 * m + j0, P * m, col.data(), np * nj, 1.0,
                 dK.data(), patch);
        });
    }
    double operator()() {
        for (std::size_t i = 0; i < layer.size(); ++i) {
            const ConvLayer& c = conv_layers[i];
            Buffers& b = layer[i];
            if (c.transposed) transposed(c, b.K, b.side.data());
            else product(c, b.K, b.side.data());
        }
        // A conv's gradients read its cotangent g on the kernel's side; a deconv's read its input
        // there and give its input's gradient there.
        for (std::size_t i = layer.size(); i-- > 0;) {
            const ConvLayer& c = conv_layers[i];
            Buffers& b = layer[i];
            weight(c, c.transposed ? b.side.data() : b.g.data(), b.dK);
            if (i == 0) continue;
            if (c.transposed) product(c, b.K, b.g.data());
            else transposed(c, b.K, b.g.data());
        }
        return 0;
    }
    // 2 M N K per GEMM; a conv's chunks split N or K, so each of its GEMMs sums to 2 O (C k k) (H' W' m).
    double flops() const {
        double total = 0;
        for (std::size_t i = 0; i < conv_layers.size(); ++i) {
            const ConvLayer& c = conv_layers[i];
            total += (i == 0 ? 2 : 3) * 2.0 * double(c.channels * c.w.patch() * c.w.out_pixels() * m);
        }
        return total;
    }
};

// One conv autoencoder step through the tape against its GEMMs alone, and both against the
// machine's square GEMM. Returns the tape's first loss.
template <class T>
double conv_table(int threads, int reps, double machine_gflops) {
    openblas_set_num_threads(threads);
    const std::size_t m = 128;
    ConvProblem<T> p(m);
    ConvTapeStep<T> tape{p, {}};
    ConvGemmFloor<T> floor(m);
    const double first = tape();
    const auto [f, t] = best_ms(reps, floor, tape);
    const double last = tape();
    const double gflop = floor.flops() / 1e9;
    std::printf("  %s, %d thread%s   %8.1f  %8.1f  %10.2f   %14.1f  %6.1f  %8.1f   %7.0f\n",
                sizeof(T) == 8 ? "float64" : "float32", threads, threads > 1 ? "s" : " ", f, t, t / f,
                gflop / (f / 1e3), gflop / (t / 1e3), machine_gflops, double(tape.tape.bytes()) / 1e6);
    if (!std::isfinite(first) || !std::isfinite(last)) std::printf("  LOSS NOT FINITE: first %g, last %g\n", first, last);
    return first;
}

}  // namespace

// What the tape's memory is for: after a step of the zoo's 784-196 x 10,000 sparse autoencoder,
// each buffer of a large node, by the op that filled it, beside the step's own arrays.
void memory_breakdown() {
    Problem<double> p(784, 196, 10000);
    ZooStep<double> step{p};
    step(), step();  // the buffers as every later step finds them
    const Tape<double>& tape = step.tape;
    std::printf("tape buffers after a 784-196 x 10,000 float64 step (data + parameters %.1f MB; a2, a3: %.1f, %.1f MB)\n",
                double(p.bytes()) / 1e6, 196e4 * 8 / 1e6, 784e4 * 8 / 1e6);
    double large = 0, small = 0;
    int smalls = 0;
    for (std::uint32_t id = 0; id < tape.size(); ++id) {
        const Node<double>& n = tape.node(id);
        const double mb = double(n.own.size() * sizeof(double)) / 1e6;
        if (mb < 1) {
            small += mb, ++smalls;
            continue;
        }
        large += mb;
        std::printf("  node %3u  %-18s %4zu x %-6zu %8.1f MB%s%s%s\n", id, n.op, n.own.shape(0), n.own.shape(1), mb,
                    n.vjp ? "" : "  (backward pass)", n.overwritten_by ? ", then overwritten by " : "",
                    n.overwritten_by ? n.overwritten_by : "");
    }
    std::printf("  %d nodes under 1 MB: %.1f MB; total %.1f MB (Tape::bytes %.1f MB)\n", smalls, small, large + small,
                double(tape.bytes()) / 1e6);
}

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--memory") == 0) return memory_breakdown(), 0;
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int reps = quick ? 1 : 5;
    const double dgemm[] = {gemm_gflops<double>(1, reps), gemm_gflops<double>(2, reps)};
    const double sgemm[] = {gemm_gflops<float>(1, reps), gemm_gflops<float>(2, reps)};
    std::printf("OpenBLAS kernels: %s; a 1000x1000 GEMM: dgemm %.1f / %.1f GFLOP/s, sgemm %.1f / %.1f GFLOP/s "
                "(1 / 2 threads)\n\n", openblas_get_corename(), dgemm[0], dgemm[1], sgemm[0], sgemm[1]);
    std::printf("One sparse-autoencoder step (best of %d, the columns taking turns), ms; ratios against the five GEMMs alone.\n", reps);
    for (int threads : {1, 2}) {
        table<double>("float64", threads, reps);
        table<float>("float32", threads, reps);
    }
    std::printf("\ndeep autoencoder 784-1000-500-250-30 x 128 (one step, best of %d)\n", reps);
    for (int threads : {1, 2}) {
        deep_table<double>(threads, reps);
        deep_table<float>(threads, reps);
    }
    std::printf("\nconv autoencoder step, 1x28x28 x 128 (best of %d): the tape against its lowered GEMMs alone (floor)\n"
                "                      floor ms   tape ms  tape/floor   GFLOP/s: floor    tape   machine   tape MB\n", reps);
    double loss = 0;
    for (int threads : {1, 2}) {
        loss = conv_table<double>(threads, reps, dgemm[threads - 1]);
        conv_table<float>(threads, reps, sgemm[threads - 1]);
    }
    std::printf("  loss of a first step: %.6f (float64; every row's first and last loss are checked finite)\n", loss);
    // Linear growth with the batch: float64, 1 thread, 784-196.
    openblas_set_num_threads(1);
    std::printf("\nbatch growth (float64, 1 thread, 784-196): ms per 1000 examples\n");
    for (std::size_t m : {1000, 2500, 5000, 10000, 20000}) {
        Problem<double> p(784, 196, m);
        TapeStep<double> tape{p, {}};
        std::printf("  m = %-6zu %8.2f\n", m, best_ms(quick ? 1 : 3, tape)[0] * 1000.0 / double(m));
    }
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    std::printf("\npeak resident memory of this process: %.0f MB\n", double(u.ru_maxrss) / 1024);
}
