// tests/test_tape.cpp: the tape's behaviour: sweeps, nesting, reuse, errors and numerics.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <sys/resource.h>

#include "autodiff/autodiff.hpp"
#include "autodiff/gradcheck.hpp"
#include "tests/helpers.hpp"

using namespace ae;
using test::uniform;

namespace {

// Extracts entry i of a column vector as a 1x1 Var (through a constant selector row).
Var<double> entry(const Var<double>& x, std::size_t i) {
    Array<double> e = xt::zeros<double>({std::size_t(1), rows(x)});
    e(0, i) = 1;
    return matmul(x.tape->leaf(std::move(e)), x);
}

long max_rss_kb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

TEST_CASE("UFLDL warm-up: h = x1^2 + 3 x1 x2 at (4 10) has gradient (38 12)") {
    Function h = [](const Vars<double>& in) {
        Var<double> x1 = entry(in[0], 0), x2 = entry(in[0], 1);
        return square(x1) + 3.0 * x1 * x2;
    };
    const Array<double> x = {{4.0}, {10.0}};
    Tape<double> tape;
    Var<double> xv = tape.leaf(x);
    const Array<double> g = grad(h({xv}), {xv})[0].value();
    CHECK(g(0, 0) == 38.0);
    CHECK(g(1, 0) == 12.0);
    const GradCheck r = check_gradient(h, {x}, {GradCheckOptions::two_point, 1e-4});
    MESSAGE("UFLDL metric (two-point stencil, h = 1e-4): " << r.metric);
    CHECK(r.metric < 1e-9);
    CHECK(r.metric > 0);  // the differences really were computed
}

TEST_CASE("fan-out accumulates and an unused input gets a zero gradient") {
    Tape<double> tape;
    Var<double> x = tape.leaf(Array<double>{{1.5, -2.0}}), unused = tape.leaf(Array<double>{{7.0}});
    Var<double> y = sum(x * x + x + x * 3.0);  // x used four times
    Vars<double> g = grad(y, {x, unused});
    CHECK(g[0].value() == Array<double>{{2 * 1.5 + 4, 2 * -2.0 + 4}});
    CHECK(g[1].value() == Array<double>{{0.0}});
    // An input made after y, and y itself.
    Var<double> later = tape.leaf(Array<double>{{1.0}});
    CHECK(grad(y, {later})[0].value() == Array<double>{{0.0}});
    CHECK(grad(y, {y})[0].value() == Array<double>{{1.0}});
}

TEST_CASE("second derivative of sum x^3 is exactly 6x") {
    Tape<double> tape;
    const Array<double> x0 = {{1.0, -2.0, 0.5, 3.0}};
    Var<double> x = tape.leaf(x0);
    for (int form = 0; form < 2; ++form) {
        Var<double> y = form == 0 ? sum(pow(x, 3.0)) : sum(x * x * x);
        Var<double> dy = grad(y, {x}, /*create_graph=*/true)[0];
        CHECK(dy.value() == 3.0 * x0 * x0);
        Var<double> d2y = grad(sum(dy), {x})[0];
        CHECK(d2y.value() == 6.0 * x0);
    }
}

TEST_CASE("mixed second partials and vjp of an array output") {
    Tape<double> tape;
    Var<double> x = tape.scalar(1.5), y = tape.scalar(-0.5);
    Var<double> dfdx = grad(square(x) * y, {x}, true)[0];  // 2 x y
    CHECK(item(grad(dfdx, {y})[0]) == 3.0);               // d/dy (2 x y) = 2 x
    const Array<double> W = uniform(3, 4, -1, 1, 1), s = uniform(3, 2, -1, 1, 2);
    Var<double> xv = tape.leaf(uniform(4, 2, -1, 1, 3));
    Var<double> out = matmul(tape.leaf(W), xv);
    Array<double> wts = xt::transpose(W);
    Array<double> got = vjp(out, {xv}, tape.leaf(s))[0].value();
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 2; ++j) {
            double e = 0;
            for (std::size_t k = 0; k < 3; ++k) e += wts(i, k) * s(k, j);
            CHECK(got(i, j) == doctest::Approx(e).epsilon(1e-14));
        }
}

TEST_CASE("a first-order sweep records nothing and create_graph records the backward pass") {
    Tape<double> tape;
    Var<double> x = tape.leaf(uniform(3, 3, -1, 1, 4));
    Var<double> y = sum(sigmoid(x) * x);
    const std::size_t forward = tape.size();
    grad(y, {x});
    for (std::size_t i = forward; i < tape.size(); ++i) CHECK(!tape.node(std::uint32_t(i)).vjp);
    const std::size_t before = tape.size();
    grad(y, {x}, true);
    bool recorded = false;
    for (std::size_t i = before; i < tape.size(); ++i) recorded |= tape.node(std::uint32_t(i)).vjp != nullptr;
    CHECK(recorded);
}

TEST_CASE("buffer donation in first-order sweeps changes no gradient and saves memory") {
    // The same gradients with donation (first order) and without (a recorded sweep never donates),
    // on a function with fan-out, broadcasts and chains of element-wise ops.
    const Array<double> W0 = uniform(6, 5, -1, 1, 21), x0 = uniform(5, 7, -1, 1, 22), b0 = uniform(6, 1, -1, 1, 23);
    auto f = [](const Var<double>& W, const Var<double>& x, const Var<double>& b) {
        Var<double> h = tanh(affine(W, x, b));
        Var<double> a = sigmoid(h * h + h);
        Var<double> r = exp(-square(a)) + relu(h) * softplus(a) + a / (2.0 + h);
        // The weight decay's cotangent reaches W first: affine's VJP adds its product to it (addmm).
        return squared_distance(r, a * 0.5 + mean(x)) + sum(log_softmax(a, 0)) + sum_squares(sum(a, 1) - b) +
               1e-2 * sum_squares(W);
    };
    Tape<double> tape;
    Var<double> W = tape.leaf(W0), x = tape.leaf(x0), b = tape.leaf(b0);
    Var<double> y = f(W, x, b);
    const Vars<double> plain = grad(y, {W, x, b}), recorded = grad(y, {W, x, b}, true);
    for (int i = 0; i < 3; ++i) CHECK(plain[std::size_t(i)].value() == recorded[std::size_t(i)].value());

    // A deep sigmoid chain: with donation the backward pass needs no buffer per layer.
    Tape<double> chain;
    Var<double> z = chain.leaf(uniform(100, 100, -1, 1, 24)), s = z;
    for (int i = 0; i < 10; ++i) s = sigmoid(s);
    Var<double> total = sum_squares(s);
    const std::size_t forward = chain.bytes();
    grad(total, {z});
    MESSAGE("10 sigmoids on 100x100: forward " << forward << " bytes, backward adds " << chain.bytes() - forward);
    CHECK(chain.bytes() - forward <= 2 * 100 * 100 * sizeof(double) + 1024);
}

TEST_CASE("a step whose graph differs from the last one's keeps no buffer the new graph does not use") {
    // When a step's graph changes (a clamp that appears in one step, as kl_sparsity's), an op that
    // writes into a donated buffer may sit where another op had a buffer of its own last step: that
    // buffer must not stay allocated.
    const Array<double> X = uniform(100, 100, -1, 1, 33);
    auto step = [&X](Tape<double>& tape, bool donating) {
        tape.clear();
        Var<double> a = exp(tape.borrow(X));
        if (donating) tape.donate(a.id);
        exp(a);  // into a's buffer when donated
    };
    Tape<double> both, fresh;
    step(both, false), step(both, true);
    step(fresh, true);
    CHECK(fresh.bytes() == 100 * 100 * sizeof(double));
    CHECK(both.bytes() == fresh.bytes());
}

TEST_CASE("take moves a value out of the tape and gives the tape the caller's buffer for the next step") {
    const Array<double> X = uniform(4, 3, -1, 1, 31), W = uniform(4, 4, -1, 1, 32);
    Tape<double> tape;
    auto step = [&] {
        tape.clear();
        Var<double> w = tape.borrow(W);
        return grad(sum_squares(matmul(w, tape.borrow(X), true)) + sum_squares(w), {w})[0];  // addmm's
    };
    Var<double> g = step();
    const Array<double> expected = g.value();
    const double* inside = g.value().data();
    Array<double> out = xt::zeros<double>({4, 4});
    const double* mine = out.data();
    tape.take(g, out);
    CHECK(out == expected);
    CHECK(out.data() == inside);  // moved, not copied
    CHECK_THROWS_WITH_AS(g.value(), doctest::Contains("overwritten in place by take"), std::invalid_argument);
    CHECK(step().value().data() == mine);  // the next step writes into the caller's old buffer
    CHECK(step().value() == expected);

    // A caller's array is copied and stays as it was; so is a value of another shape.
    Var<double> x = tape.borrow(X);
    Array<double> copy = xt::zeros<double>({4, 3});
    tape.take(x, copy);
    CHECK(copy == X);
    CHECK(x.value().data() == X.data());
}

TEST_CASE("a chain of 1000000 nodes differentiates without recursion") {
    Tape<double> tape;
    Var<double> x = tape.scalar(2.0);
    Var<double> y = x;
    for (int i = 0; i < 500000; ++i) y = y + scale(y, 1e-6);  // two nodes per step, y used twice
    CHECK(tape.size() == 1000001);
    const double factor = std::pow(1 + 1e-6, 500000);
    CHECK(item(y) == doctest::Approx(2.0 * factor).epsilon(1e-9));  // 500,000 roundings
    CHECK(item(grad(y, {x})[0]) == doctest::Approx(factor).epsilon(1e-9));
}

TEST_CASE("clear and reuse: the tape holds the same memory after 1 step and after 200") {
    const Array<double> W = uniform(20, 30, -0.1, 0.1, 5), b = xt::zeros<double>({20, 1}),
                        x = uniform(30, 50, 0, 1, 6);
    Tape<double> tape;
    auto step = [&] {
        tape.clear();
        Var<double> w = tape.borrow(W), bv = tape.borrow(b), xv = tape.borrow(x);
        Var<double> h = sigmoid(affine(w, xv, bv));
        Var<double> loss = 0.5 * sum_squares(matmul(w, h, true) - xv) / 50.0 + 1e-3 * sum_squares(w);
        return grad(loss, {w, bv});
    };
    step();
    const std::size_t nodes = tape.size(), bytes = tape.bytes();
    const double* buffer = step()[0].value().data();
    const long rss = max_rss_kb();
    for (int i = 0; i < 200; ++i) {
        Vars<double> g = step();
        CHECK(g[0].value().data() == buffer);  // the same buffer, step after step
    }
    CHECK(tape.size() == nodes);
    CHECK(tape.bytes() == bytes);
    CHECK(max_rss_kb() - rss < 1024);  // peak memory did not grow (by 1 MB or more)
    MESSAGE("one step: " << nodes << " nodes, " << bytes << " bytes of buffers");
}

TEST_CASE("errors name the operation and both shapes") {
    Tape<double> tape;
    Var<double> a = tape.leaf(xt::zeros<double>({3, 4})), b = tape.leaf(xt::zeros<double>({2, 4}));
    std::string m = test::error_of([&] { add(a, b); });
    CHECK(m.find("add") != std::string::npos);
    CHECK(m.find("(3, 4)") != std::string::npos);
    CHECK(m.find("(2, 4)") != std::string::npos);
    m = test::error_of([&] { matmul(a, b); });
    CHECK(m.find("matmul") != std::string::npos);
    CHECK(m.find("(3, 4) and (2, 4)") != std::string::npos);
    Var<double> bias = tape.leaf(xt::zeros<double>({4, 1})), x = tape.leaf(xt::zeros<double>({4, 5}));
    m = test::error_of([&] { affine(a, x, bias); });
    CHECK(m.find("affine (bias") != std::string::npos);
    CHECK(m.find("(4, 1) and (3, 4)") != std::string::npos);
    m = test::error_of([&] { addmm(b, a, x); });  // c against the (3, 5) product
    CHECK(m.find("addmm (c against op(a) op(b)): shapes (2, 4) and (3, 5) differ") != std::string::npos);
    m = test::error_of([&] { addmm(a, a, b); });
    CHECK(m.find("addmm: shapes (3, 4) and (2, 4) have different inner dimensions") != std::string::npos);
    CHECK_THROWS_AS(sum_to(a, {2, 1}), ShapeError);
    CHECK_THROWS_AS(broadcast_to(a, {6, 4}), ShapeError);
    CHECK_THROWS_AS(sigmoid_grad(a, b), ShapeError);
    CHECK_THROWS_AS(tanh_grad(a, b), ShapeError);
    CHECK_THROWS_AS(relu_grad(a, b), ShapeError);
}

TEST_CASE("misuse gives clear errors not crashes") {
    Tape<double> t1, t2;
    Var<double> a = t1.leaf(xt::ones<double>({2, 2})), b = t2.leaf(xt::ones<double>({2, 2}));
    CHECK(test::error_of([&] { mul(a, b); }).find("another tape") != std::string::npos);
    CHECK(test::error_of([&] { grad(sum(a), {b}); }).find("another tape") != std::string::npos);
    CHECK(test::error_of([&] { grad(a, {a}); }).find("scalar") != std::string::npos);
    CHECK(test::error_of([&] { vjp(a, {a}, t1.scalar(1.0)); }).find("seed") != std::string::npos);
    CHECK(test::error_of([&] { exp(Var<double>{}); }).find("empty Var") != std::string::npos);
    t1.clear();
    CHECK(test::error_of([&] { exp(a); }).find("stale Var") != std::string::npos);
    CHECK(test::error_of([&] { sum(t1.leaf(xt::ones<double>({2, 2})), 2); }).find("axis") != std::string::npos);
}

TEST_CASE("exp, sigmoid, softplus and bce at overflowing arguments give their limits exactly") {
    // Sixteen entries, so that the vectorised loops run: xsimd's exp computes the lanes beyond
    // its range and then discards them (the sanitizer stage's one suppression, scripts/ubsan.supp).
    const double big = 1e300, inf = std::numeric_limits<double>::infinity();
    for (const double sign : {1.0, -1.0}) {
        Tape<double> tape;
        Var<double> a = tape.leaf(xt::ones<double>({4, 4}) * (sign * big));
        const double e = exp(a).value()(3, 3), s = sigmoid(a).value()(3, 3), sp = softplus(a).value()(3, 3);
        CHECK(e == (sign > 0 ? inf : 0.0));
        CHECK(s == (sign > 0 ? 1.0 : 0.0));
        CHECK(sp == (sign > 0 ? big : 0.0));
        // bce of a target 1 against logits a: softplus(a) - a, so 0 for +big and +big for -big.
        CHECK(item(bce_with_logits(a, tape.leaf(xt::ones<double>({4, 4})))) == (sign > 0 ? 0.0 : 16 * big));
        CHECK(std::isnan(exp(tape.leaf(xt::ones<double>({4, 4}) * std::nan(""))).value()(1, 2)));
    }
}

TEST_CASE("log and sqrt: zero is documented and negatives throw naming the entry") {
    Tape<double> tape;
    Var<double> z = tape.leaf(Array<double>{{0.0, 1.0}});
    Var<double> l = log(z);
    CHECK(l.value()(0, 0) == -std::numeric_limits<double>::infinity());
    CHECK(grad(sum(l), {z})[0].value()(0, 0) == std::numeric_limits<double>::infinity());
    Var<double> neg_entry = tape.leaf(Array<double>{{1.0, 2.0}, {3.0, -0.5}});
    const std::string m = test::error_of([&] { log(neg_entry); });
    CHECK(m.find("log: entry (1, 1) = -0.5") != std::string::npos);
    CHECK_THROWS_AS(sqrt(neg_entry), std::domain_error);
    CHECK_THROWS_AS(pow(neg_entry, 0.5), std::domain_error);
    CHECK(std::isnan(item(log(tape.scalar(std::nan(""))))));  // NaN passes through, unchanged
}

TEST_CASE("sigmoid softplus and log-sigmoid are exact at plus and minus 1000 in both precisions") {
    Tape<double> tape;
    Var<double> x = tape.leaf(Array<double>{{-1000.0, -30.0, 0.0, 30.0, 1000.0}});
    const Array<double> s = sigmoid(x).value(), sp = softplus(x).value(), ls = log_sigmoid(x).value();
    CHECK(s(0, 0) == 0.0);
    CHECK(s(0, 4) == 1.0);
    CHECK(s(0, 1) == doctest::Approx(std::exp(-30.0)).epsilon(1e-12));
    CHECK(sp(0, 0) == 0.0);
    CHECK(sp(0, 4) == 1000.0);
    CHECK(sp(0, 2) == doctest::Approx(std::log(2.0)).epsilon(1e-15));
    CHECK(ls(0, 0) == -1000.0);
    CHECK(ls(0, 4) == 0.0);
    const Array<double> gs = grad(sum(sigmoid(x)), {x})[0].value();
    const Array<double> gsp = grad(sum(softplus(x)), {x})[0].value();
    CHECK(gs(0, 0) == 0.0);
    CHECK(gs(0, 4) == 0.0);
    CHECK(gs(0, 1) == doctest::Approx(std::exp(-30.0)).epsilon(1e-10));
    CHECK(gsp(0, 0) == 0.0);
    CHECK(gsp(0, 4) == 1.0);
    for (double v : gs) CHECK(std::isfinite(v));

    Tape<float> tf;
    Var<float> xf = tf.leaf(Array<float>{{-1000.f, 1000.f}});
    const Array<float> sf = sigmoid(xf).value(), spf = softplus(xf).value();
    CHECK(sf(0, 0) == 0.f);
    CHECK(sf(0, 1) == 1.f);
    CHECK(spf(0, 1) == 1000.f);
    const Array<float> gf = grad(sum(softplus(xf)), {xf})[0].value();
    CHECK(gf(0, 0) == 0.f);
    CHECK(gf(0, 1) == 1.f);
}

TEST_CASE("float32 gives the double result to single precision") {
    const Array<double> W = uniform(8, 12, -0.5, 0.5, 7), x = uniform(12, 40, 0, 1, 8);
    const Array<double> b = uniform(8, 1, -0.1, 0.1, 9);
    Tape<double> td;
    Tape<float> tf;
    Var<double> wd = td.leaf(W);
    Var<float> wf = tf.leaf(Array<float>(xt::cast<float>(W)));
    Var<double> ld = 0.5 * sum_squares(matmul(wd, sigmoid(affine(wd, td.leaf(x), td.leaf(b))), true) - td.leaf(x));
    Var<float> lf = 0.5 * sum_squares(matmul(wf, sigmoid(affine(wf, tf.leaf(Array<float>(xt::cast<float>(x))),
                                                                tf.leaf(Array<float>(xt::cast<float>(b))))), true) -
                                      tf.leaf(Array<float>(xt::cast<float>(x))));
    CHECK(double(item(lf)) == doctest::Approx(item(ld)).epsilon(1e-5));
    const Array<double> gd = grad(ld, {wd})[0].value();
    const Array<float> gf = grad(lf, {wf})[0].value();
    CHECK(xt::amax(xt::abs(xt::cast<double>(gf) - gd))() < 1e-4 * xt::amax(xt::abs(gd))());
}
