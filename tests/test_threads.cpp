// tests/test_threads.cpp: the passes split across threads (util/threads.hpp) give the same bits on
// any number of threads, forward, backward and a gradient of a gradient. (OpenBLAS's GEMMs do not:
// its products on 1 and 2 threads differ in the last bits, so no GEMM is in these losses.)
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include <xtensor/xmath.hpp>

#include "autodiff/autodiff.hpp"
#include "tests/helpers.hpp"
#include "util/threads.hpp"

extern "C" void openblas_set_num_threads(int);

using namespace ae;
using test::uniform;

namespace {

// A loss that runs every element-wise primitive, each broadcast, the reductions in each direction
// and the fused losses over arrays large enough to be split (and with a ragged end: n m is no
// multiple of 64).
template <class T>
Var<T> every_pass(const Vars<T>& p) {
    const Var<T>& A = p[0];  // n x m in (-1, 1)
    const Var<T>& B = p[1];  // n x m in (0, 1)
    const Var<T>& c = p[2];  // n x 1
    const Var<T>& r = p[3];  // 1 x m
    Var<T> u = (A + c) * B - r / (B + 1.0);
    Var<T> v = sigmoid(u) + tanh(A) + relu(A) + softplus(u) + exp(scale(B, -0.5)) + log(B) + sqrt(B);
    Var<T> w = square(u) + abs(A) * sign(A) + pow(B, 1.5) - neg(A) * step(A) + sigmoid_grad(u, B) + tanh_grad(u, B) + relu_grad(u, A);
    // images (8 channels of 8 x 8, as many examples as A has columns): channel bias, max pooling, upsampling
    const Window pool{8, 8, 8, 2, 2, 0};
    Var<T> image = add_channels(p[4], p[5]);
    Var<T> pooled = sum_pool(image * max_pool_mask(image, pool), pool);
    return sum_squares(upsample(pooled, pool) * image) + sum(v * w) + sum(sum(w, 0) * r) + sum(sum(w, 1) * c) + sum_squares(transpose(u)) + squared_distance(v, w) +
           bce_with_logits(u, B) + sum(broadcast_to(c, A.shape()) * scaled_difference(v, w, sum(r)));
}

template <class T>
std::vector<Array<T>> run(int threads, const std::vector<Array<T>>& inputs) {
    openblas_set_num_threads(threads);
    Tape<T> tape;
    Vars<T> p;
    for (const Array<T>& a : inputs) p.push_back(tape.borrow(a));
    Var<T> loss = every_pass(p);
    Vars<T> g = grad(loss, p, true);  // recorded, then differentiated again
    Var<T> second = sum_squares(g[0]) + dot(g[1], p[1]);
    Vars<T> gg = grad(second, p);
    std::vector<Array<T>> out = {loss.value(), second.value()};
    for (const Var<T>& x : g) out.push_back(x.value());
    for (const Var<T>& x : gg) out.push_back(x.value());
    return out;
}

template <class T>
void check_same_bits() {
    const std::size_t n = 301, m = 777;
    const std::vector<Array<T>> inputs = {uniform<T>(n, m, -1, 1, 1), uniform<T>(n, m, 0.05, 1, 2),
                                          uniform<T>(n, 1, -1, 1, 3), uniform<T>(1, m, -1, 1, 4),
                                          uniform<T>(8 * 64, m, -1, 1, 5), uniform<T>(8, 1, -1, 1, 6)};
    const std::vector<Array<T>> one = run<T>(1, inputs);
    for (int threads : {2, 3}) {
        CAPTURE(threads);
        const std::vector<Array<T>> many = run<T>(threads, inputs);
        REQUIRE(many.size() == one.size());
        for (std::size_t i = 0; i < one.size(); ++i) {
            CAPTURE(i);
            REQUIRE(many[i].shape() == one[i].shape());
            CHECK(std::memcmp(many[i].data(), one[i].data(), one[i].size() * sizeof(T)) == 0);
        }
    }
    openblas_set_num_threads(1);
}

}  // namespace

TEST_CASE("every pass gives the same bits on 1, 2 and 3 threads (float64 and float32)") {
    check_same_bits<double>();
    check_same_bits<float>();
}

TEST_CASE("the thread count is OpenBLAS's, and work is split into whole aligned pieces") {
    for (int threads : {1, 2, 3}) {
        openblas_set_num_threads(threads);
        CHECK(thread_count() == std::size_t(threads));
        for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(63), std::size_t(64), std::size_t(100000),
                              std::size_t(1000003)}) {
            std::vector<int> seen(n, 0);
            parallel_for(n, 64, 1, [&](std::size_t first, std::size_t last) {
                for (std::size_t i = first; i < last; ++i) ++seen[i];
                CHECK(first % 64 == 0);
                CHECK((last % 64 == 0 || last == n));
            });
            CHECK(std::count(seen.begin(), seen.end(), 1) == std::ptrdiff_t(n));  // each index once
        }
    }
    openblas_set_num_threads(1);
}

// The convolutions gather patches split by patch rows (so a one-channel image is shared too) and
// scatter them split by channels. Their GEMMs differ in the last bits between thread counts, so
// here the same to rounding: a wrong split would move entries by whole pixels' values.
TEST_CASE("convolutions on one channel and on several agree on 1, 2 and 3 threads") {
    for (std::size_t channels : {std::size_t(1), std::size_t(3)}) {
        CAPTURE(channels);
        const Window w{channels, 14, 14, 5, 1, 2};
        const std::size_t m = 40, out = 4;
        const Array<double> x = uniform<double>(w.rows(), m, -1, 1, 7);
        const Array<double> K = uniform<double>(out, w.patch(), -1, 1, 8);
        const Array<double> gy = uniform<double>(out * w.out_pixels(), m, -1, 1, 9);
        auto run = [&](int threads) {
            openblas_set_num_threads(threads);
            Tape<double> tape;
            Var<double> xv = tape.borrow(x), Kv = tape.borrow(K), gv = tape.borrow(gy);
            return std::vector<Array<double>>{conv2d(xv, Kv, w).value(), conv2d_transpose(gv, Kv, w).value(),
                                              conv2d_weight(xv, gv, w).value()};
        };
        const std::vector<Array<double>> one = run(1);
        for (int threads : {2, 3}) {
            CAPTURE(threads);
            const std::vector<Array<double>> many = run(threads);
            for (std::size_t i = 0; i < one.size(); ++i) {
                CAPTURE(i);
                REQUIRE(many[i].shape() == one[i].shape());
                CHECK(double(xt::amax(xt::abs(many[i] - one[i]))()) <= 1e-12 * (1 + double(xt::amax(xt::abs(one[i]))())));
            }
        }
    }
    openblas_set_num_threads(1);
}
