// tests/test_ops_image.cpp: the image primitives against direct loops written here, the adjoint
// identities that make them each other's VJPs, the batch chunking, pooling at ties, and bad shapes.
// (tests/test_ops.cpp checks every one against central differences at first and second order.)
#include <doctest/doctest.h>

#include <cmath>

#include "autodiff/autodiff.hpp"
#include "tests/helpers.hpp"

using namespace ae;
using test::contains;
using test::error_of;
using test::uniform;

namespace {

// y[(o, yo, xo), j] = sum over c, ky, kx of K[o, (c, ky, kx)] x[(c, yo s + ky - pad, xo s + kx - pad), j].
Array<double> direct_conv(const Array<double>& x, const Array<double>& K, const Window& w) {
    const std::size_t O = K.shape(0), m = x.shape(1), oh = w.out_height(), ow = w.out_width(), k = w.kernel;
    Array<double> y = xt::zeros<double>({O * oh * ow, m});
    for (std::size_t o = 0; o < O; ++o)
        for (std::size_t yo = 0; yo < oh; ++yo)
            for (std::size_t xo = 0; xo < ow; ++xo)
                for (std::size_t c = 0; c < w.channels; ++c)
                    for (std::size_t ky = 0; ky < k; ++ky)
                        for (std::size_t kx = 0; kx < k; ++kx) {
                            const long ih = long(yo * w.stride + ky) - long(w.pad), iw = long(xo * w.stride + kx) - long(w.pad);
                            if (ih < 0 || iw < 0 || ih >= long(w.height) || iw >= long(w.width)) continue;
                            for (std::size_t j = 0; j < m; ++j)
                                y((o * oh + yo) * ow + xo, j) += K(o, (c * k + ky) * k + kx) *
                                                                   x((c * w.height + std::size_t(ih)) * w.width + std::size_t(iw), j);
                        }
    return y;
}

double inner(const Array<double>& a, const Array<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a.data()[i] * b.data()[i];
    return s;
}

const Window windows[] = {{1, 7, 7, 3, 1, 1}, {3, 6, 8, 2, 2, 0}, {2, 9, 5, 3, 2, 1}, {4, 5, 5, 5, 1, 2}, {2, 4, 4, 1, 1, 0}};

}  // namespace

TEST_CASE("conv2d equals a direct loop over several shapes, strides, paddings and channel counts") {
    for (const Window& w : windows) {
        INFO(w.text());
        const Array<double> x = uniform(w.rows(), 5, -1, 1, 1), K = uniform(4, w.patch(), -1, 1, 2);
        Tape<double> tape;
        const Array<double> y = conv2d(tape.leaf(x), tape.leaf(K), w).value();
        const Array<double> expected = direct_conv(x, K, w);
        REQUIRE(y.shape() == expected.shape());
        CHECK(xt::amax(xt::abs(y - expected))() < 1e-13);
    }
}

TEST_CASE("conv2d_transpose and conv2d_weight are conv2d's adjoints: <conv(x, K), y> = <x, conv^T(y, K)> = <K, dW(x, y)>") {
    for (const Window& w : windows) {
        INFO(w.text());
        const Array<double> x = uniform(w.rows(), 3, -1, 1, 3), K = uniform(4, w.patch(), -1, 1, 4);
        const Array<double> y = uniform(4 * w.out_pixels(), 3, -1, 1, 5);
        Tape<double> tape;
        const Var<double> vx = tape.leaf(x), vK = tape.leaf(K), vy = tape.leaf(y);
        const double a = inner(conv2d(vx, vK, w).value(), y);
        const double b = inner(x, conv2d_transpose(vy, vK, w).value());
        const double c = inner(K, conv2d_weight(vx, vy, w).value());
        CHECK(std::abs(a - b) <= 1e-13 * std::abs(a));
        CHECK(std::abs(a - c) <= 1e-13 * std::abs(a));
    }
}

TEST_CASE("conv2d: batches larger than the workspace are chunked by pixels, then by examples, with the same result") {
    // patch 8 * 5 * 5 = 200 entries: 500 examples split the 36 output pixels into chunks of 20;
    // 12,000 examples exceed the workspace for one pixel and are split by examples.
    const Window w{8, 6, 6, 5, 1, 2};
    for (std::size_t m : {500, 12000}) {
        INFO(m << " examples");
        const Array<double> x = uniform(w.rows(), m, -1, 1, 6), K = uniform(2, w.patch(), -1, 1, 7);
        const Array<double> g = uniform(2 * w.out_pixels(), m, -1, 1, 8);
        Tape<double> tape;
        const Var<double> vx = tape.leaf(x), vK = tape.leaf(K), vg = tape.leaf(g);
        const Var<double> y = conv2d(vx, vK, w);
        CHECK(xt::amax(xt::abs(y.value() - direct_conv(x, K, w)))() < 1e-12);
        // The adjoints across chunks: the weight gradient sums every chunk, the transpose scatters each.
        const double a = inner(direct_conv(x, K, w), g);
        const Var<double> dx = conv2d_transpose(vg, vK, w), dK = conv2d_weight(vx, vg, w);
        CHECK(std::abs(a - inner(x, dx.value())) <= 1e-12 * std::abs(a));
        CHECK(std::abs(a - inner(K, dK.value())) <= 1e-12 * std::abs(a));
        // Beside the six arrays, the tape holds only the workspace, bounded (2^21 entries) whatever the batch.
        std::size_t arrays = 0;
        for (const Var<double>& v : {vx, vK, vg, y, dx, dK}) arrays += v.value().size() * sizeof(double);
        CHECK(tape.bytes() - arrays <= (std::size_t(1) << 21) * sizeof(double));
        CHECK(tape.bytes() - arrays >= w.patch() * sizeof(double));
    }
}

TEST_CASE("conv2d in float32 agrees with float64") {
    const Window w{3, 8, 8, 3, 1, 1};
    const Array<double> x = uniform(w.rows(), 6, -1, 1, 9), K = uniform(5, w.patch(), -1, 1, 10);
    Tape<float> tape;
    const Array<float> y = conv2d(tape.leaf(Array<float>(x)), tape.leaf(Array<float>(K)), w).value();
    CHECK(xt::amax(xt::abs(Array<double>(y) - direct_conv(x, K, w)))() < 1e-5);
}

TEST_CASE("max pooling takes each window's largest entry, the first one at a tie; unpooling puts it back there") {
    const Window w{2, 4, 4, 2, 2, 0};
    Array<double> x = uniform(w.rows(), 3, -1, 1, 11);
    x(0, 0) = x(1, 0) = x(4, 0) = x(5, 0) = 0.5;  // a four-way tie in the first window of example 0
    Tape<double> tape;
    const Var<double> vx = tape.leaf(x), mask = max_pool_mask(vx, w);
    const Array<double> pooled = sum_pool(vx * mask, w).value();
    for (std::size_t c = 0; c < 2; ++c)
        for (std::size_t yo = 0; yo < 2; ++yo)
            for (std::size_t xo = 0; xo < 2; ++xo)
                for (std::size_t j = 0; j < 3; ++j) {
                    double best = -INFINITY;
                    for (std::size_t ky = 0; ky < 2; ++ky)
                        for (std::size_t kx = 0; kx < 2; ++kx)
                            best = std::max(best, x((c * 4 + yo * 2 + ky) * 4 + xo * 2 + kx, j));
                    CHECK(pooled((c * 2 + yo) * 2 + xo, j) == best);
                }
    CHECK(mask.value()(0, 0) == 1);
    CHECK(mask.value()(1, 0) + mask.value()(4, 0) + mask.value()(5, 0) == 0);
    CHECK(xt::sum(mask.value())() == 2 * 4 * 3);  // one per window and example
    // Unpooling the pooled values: the maxima where they were, zeros elsewhere.
    const Array<double> unpooled = (upsample(tape.leaf(pooled), w) * mask).value();
    CHECK(unpooled == x * mask.value());
    // Average pooling is the window sum over its size.
    const Array<double> avg = scale(sum_pool(vx, w), 0.25).value();
    CHECK(avg(0, 1) == doctest::Approx((x(0, 1) + x(1, 1) + x(4, 1) + x(5, 1)) / 4).epsilon(1e-15));
}

TEST_CASE("add_channels adds one bias per channel; reshape keeps the entries in order") {
    Tape<double> tape;
    const Array<double> x = uniform(6, 2, -1, 1, 12);
    const Array<double> b{{10.0}, {20.0}};
    const Array<double> y = add_channels(tape.leaf(x), tape.leaf(b)).value();
    for (std::size_t r = 0; r < 6; ++r)
        for (std::size_t j = 0; j < 2; ++j) CHECK(y(r, j) == x(r, j) + (r < 3 ? 10.0 : 20.0));
    const Array<double> z = reshape(tape.leaf(x), {3, 4}).value();
    CHECK(std::equal(z.begin(), z.end(), x.begin()));
}

TEST_CASE("image primitives: bad shapes give errors naming the op, the window and the shapes") {
    Tape<double> tape;
    const Var<double> x = tape.leaf(uniform(2 * 5 * 5, 3, -1, 1, 13));
    const Var<double> K = tape.leaf(uniform(4, 2 * 3 * 3, -1, 1, 14));
    auto message = [](auto f) { return error_of(f); };
    CHECK(contains(message([&] { conv2d(x, K, Window{2, 5, 5, 7, 1, 0}); }),
                   "conv2d (2x5x5, kernel 7, stride 1, pad 0): the kernel is larger than the padded image 5x5"));
    CHECK(contains(message([&] { conv2d(x, K, Window{2, 5, 5, 3, 3, 0}); }), "the stride does not tile the padded image 5x5"));
    CHECK(contains(message([&] { conv2d(x, K, Window{1, 5, 5, 3, 1, 1}); }),
                   "conv2d (1x5x5, kernel 3, stride 1, pad 1): input has shape (50, 3), expected 25 rows"));
    CHECK(contains(message([&] { conv2d(x, tape.leaf(uniform(4, 9, -1, 1, 1)), Window{2, 5, 5, 3, 1, 1}); }),
                   "kernel matrix has shape (4, 9), expected (out channels, 18)"));
    CHECK(contains(message([&] { conv2d_transpose(x, K, Window{2, 5, 5, 3, 1, 1}); }),
                   "conv2d_transpose (2x5x5, kernel 3, stride 1, pad 1): input has shape (50, 3), expected 100 rows"));
    CHECK(contains(message([&] { conv2d_weight(x, tape.leaf(uniform(100, 2, -1, 1, 1)), Window{2, 5, 5, 3, 1, 1}); }),
                   "hold different numbers of examples"));
    CHECK(contains(message([&] { sum_pool(x, Window{2, 5, 5, 2, 2, 0}); }), "the stride does not tile the padded image 5x5"));
    CHECK(contains(message([&] { sum_pool(x, Window{2, 5, 5, 3, 1, 0}); }), "pooling windows must tile without overlap"));
    CHECK(contains(message([&] { upsample(x, Window{2, 4, 4, 2, 2, 0}); }), "upsample (2x4x4, kernel 2, stride 2, pad 0): input has shape (50, 3), expected 8 rows"));
    CHECK(contains(message([&] { add_channels(x, tape.leaf(uniform(3, 1, -1, 1, 1))); }), "add_channels"));
    CHECK(contains(message([&] { reshape(x, {7, 7}); }), "reshape: shapes (50, 3) and (7, 7) hold different numbers of entries"));
    CHECK(contains(message([&] { conv2d(x, K, Window{2, 5, 5, 3, 0, 1}); }), "must be positive"));
}
