// tests/test_optim.cpp: the first-order optimizers (exact updates, convergence, resume,
// hyper-parameter checks) and every optimizer, L-BFGS included, through one Optimizer interface.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xmath.hpp>

#include "optim/adam.hpp"
#include "optim/gradient_descent.hpp"
#include "optim/lbfgs_optimizer.hpp"

using namespace ae;

namespace {

// f = ½ Σ a ⊙ (W − C)² over two parameter arrays, a in [1, κ].
template <class T>
struct ArrayQuadratic {
    Array<T> a1{{1, 2, 3}, {4, 5, 6}}, c1{{0.5, -1, 2}, {1.5, 0, -0.25}};
    Array<T> a2{{1, 10, 100}}, c2{{-2, 3, 1}};
    double condition() const { return 100; }
    double operator()(const Array<T>& w1, const Array<T>& w2, Array<T>& g1, Array<T>& g2) const {
        g1 = a1 * (w1 - c1);
        g2 = a2 * (w2 - c2);
        return 0.5 * double(xt::sum(g1 * (w1 - c1))() + xt::sum(g2 * (w2 - c2))());
    }
    double error(const Array<T>& w1, const Array<T>& w2) const {
        return std::max(double(xt::amax(xt::abs(w1 - c1))()), double(xt::amax(xt::abs(w2 - c2))()));
    }
};

// Runs `steps` iterations of opt from zero parameters through the Optimizer interface.
template <class T>
double train(Optimizer<T>& opt, int steps, Array<T>& w1, Array<T>& w2) {
    const ArrayQuadratic<T> q;
    for (int k = 0; k < steps; ++k) {
        const IterationInfo info =
            opt.iterate({{"w1", &w1}, {"w2", &w2}}, [&](Gradients<T>& g) { return q(w1, w2, g[0], g[1]); });
        if (info.stop) break;
    }
    return q.error(w1, w2);
}

}  // namespace

TEST_CASE("gradient descent updates W by W - lr grad exactly") {
    // Dyadic values: every product and sum is exact, so any correct evaluation order agrees.
    Array<double> W{{0.5, -1.25}, {2.0, 0.75}}, b{{0.25}, {-0.5}};
    const Array<double> gW{{1.0, -0.5}, {0.25, 2.0}}, gb{{-1.0}, {0.5}};
    const Array<double> gW2{{0.5, 0.5}, {-1.0, 0.25}}, gb2{{2.0}, {0.0}};
    const double lr = 0.125, mu = 0.5;
    SUBCASE("plain") {
        GradientDescent<double> gd({lr});
        const double* data = W.data();
        gd.step({{"W", &W}, {"b", &b}}, {gW, gb});
        CHECK(W == Array<double>{{0.5 - lr * 1.0, -1.25 + lr * 0.5},
                                 {2.0 - lr * 0.25, 0.75 - lr * 2.0}});
        CHECK(b == Array<double>{{0.25 + lr}, {-0.5 - lr * 0.5}});
        CHECK(W.data() == data);  // in place
    }
    SUBCASE("classical momentum over two steps") {
        GradientDescent<double> gd({lr, mu});
        const Array<double> W0 = W;
        gd.step({{"W", &W}, {"b", &b}}, {gW, gb});
        gd.step({{"W", &W}, {"b", &b}}, {gW2, gb2});
        const Array<double> v1 = -lr * gW, v2 = mu * v1 - lr * gW2;
        CHECK(W == Array<double>(W0 + v1 + v2));
    }
    SUBCASE("Nesterov momentum over two steps") {
        GradientDescent<double> gd({lr, mu, true});
        const Array<double> W0 = W;
        gd.step({{"W", &W}, {"b", &b}}, {gW, gb});
        gd.step({{"W", &W}, {"b", &b}}, {gW2, gb2});
        const Array<double> v1 = -lr * gW, v2 = mu * v1 - lr * gW2;
        CHECK(W == Array<double>(W0 + (mu * v1 - lr * gW) + (mu * v2 - lr * gW2)));
    }
    SUBCASE("float") {
        Array<float> Wf{{0.5f, -1.25f}}, gf{{1.0f, -0.5f}};
        GradientDescent<float>({lr}).step({{"W", &Wf}}, {gf});
        CHECK(Wf == Array<float>{{0.375f, -1.1875f}});
    }
}

TEST_CASE("adam matches Kingma and Ba's Algorithm 1 on a small example") {
    const AdamOptions o{0.01, 0.8, 0.95, 1e-3};  // non-default values, so each one matters
    Array<double> W{{0.3, -0.7, 1.1}};
    const std::vector<Array<double>> grads{
        {{0.2, -1.5, 0.01}}, {{-0.4, 0.3, 0.02}}, {{1.0, 0.0, -2.0}}};
    Adam<double> adam(o);
    long double w[3] = {0.3L, -0.7L, 1.1L}, m[3] = {}, v[3] = {};
    for (std::size_t t = 1; t <= grads.size(); ++t) {
        adam.step({{"W", &W}}, {grads[t - 1]});
        for (int i = 0; i < 3; ++i) {  // the paper's lines, in long double
            const long double g = grads[t - 1](0, i);
            m[i] = o.beta1 * m[i] + (1 - o.beta1) * g;
            v[i] = o.beta2 * v[i] + (1 - o.beta2) * g * g;
            const long double m_hat = m[i] / (1 - std::pow((long double)o.beta1, t));
            const long double v_hat = v[i] / (1 - std::pow((long double)o.beta2, t));
            w[i] -= o.learning_rate * m_hat / (std::sqrt(v_hat) + o.epsilon);
            CHECK(std::abs(W(0, i) - double(w[i])) <= 1e-15);
        }
    }
    CHECK(adam.steps() == 3);
}

TEST_CASE("adam and momentum converge on a quadratic with condition number 100") {
    SUBCASE("momentum 0.9 and Nesterov reach 1e-10 in 600 steps where plain descent does not") {
        const double lr = 1.0 / 100;  // 1 / largest curvature
        for (bool nesterov : {false, true}) {
            Array<double> w1 = xt::zeros<double>({2, 3}), w2 = xt::zeros<double>({1, 3});
            GradientDescent<double> opt({lr, 0.9, nesterov});
            const double err = train(opt, 600, w1, w2);
            MESSAGE("momentum 0.9", std::string(nesterov ? " (Nesterov)" : ""),
                    ": max error after 600 steps ", err);
            CHECK(err <= 1e-10);
        }
        Array<double> w1 = xt::zeros<double>({2, 3}), w2 = xt::zeros<double>({1, 3});
        GradientDescent<double> plain({lr});
        const double err = train(plain, 600, w1, w2);
        MESSAGE("plain gradient descent: max error after 600 steps ", err);
        CHECK(err > 1e-3);  // so the momentum result is owed to the momentum
    }
    SUBCASE("adam reaches 1e-9 in 3000 steps") {
        Array<double> w1 = xt::zeros<double>({2, 3}), w2 = xt::zeros<double>({1, 3});
        Adam<double> adam({0.01});
        const double err = train(adam, 3000, w1, w2);
        MESSAGE("Adam lr 0.01: max error after 3000 steps ", err);
        CHECK(err <= 1e-9);
    }
    SUBCASE("adam in float reaches 2e-5 in 3000 steps") {
        Array<float> w1 = xt::zeros<float>({2, 3}), w2 = xt::zeros<float>({1, 3});
        Adam<float> adam({0.01});
        const double err = train(adam, 3000, w1, w2);
        MESSAGE("Adam float lr 0.01: max error after 3000 steps ", err);
        CHECK(err <= 2e-5);  // float resolution near |c| = 3 is 2.4e-7
    }
    SUBCASE("lbfgs through the Optimizer interface reaches 1e-10") {
        Array<double> w1 = xt::zeros<double>({2, 3}), w2 = xt::zeros<double>({1, 3});
        LbfgsOptions o;
        o.gradient_tolerance = 1e-12;
        o.progress_tolerance = 0;
        LbfgsOptimizer<double> opt(o);
        const double err = train(opt, 50, w1, w2);
        MESSAGE("L-BFGS via Optimizer: ", opt.solver().iterations(), " iterations, max error ", err,
                "; ", opt.solver().stop_reason());
        CHECK(opt.solver().stop() == LbfgsStop::gradient);
        CHECK(err <= 1e-10);
    }
}

namespace {

// 7 steps, checkpoint, a fresh optimizer restored from the state, 6 more steps; versus 13 steps.
template <class T>
void check_resume(const std::function<std::unique_ptr<Optimizer<T>>()>& make) {
    Array<T> a1 = xt::zeros<T>({2, 3}), a2 = xt::zeros<T>({1, 3});
    auto straight = make();
    train(*straight, 13, a1, a2);

    Array<T> b1 = xt::zeros<T>({2, 3}), b2 = xt::zeros<T>({1, 3});
    auto first = make();
    train(*first, 7, b1, b2);
    Array<T> c1 = b1, c2 = b2;  // a fresh run without the state, to show the state matters
    auto second = make();
    second->set_state(first->state());
    train(*second, 6, b1, b2);
    CHECK(b1 == a1);
    CHECK(b2 == a2);
    auto fresh = make();
    train(*fresh, 6, c1, c2);
    CHECK(c1 != a1);
}

}  // namespace

TEST_CASE("optimizer state save and restore continues bit for bit") {
    SUBCASE("adam double") {
        check_resume<double>([] { return std::make_unique<Adam<double>>(); });
    }
    SUBCASE("adam float") {
        check_resume<float>([] { return std::make_unique<Adam<float>>(AdamOptions{0.05}); });
    }
    SUBCASE("momentum float") {
        check_resume<float>([] {
            return std::make_unique<GradientDescent<float>>(GradientDescentOptions{0.005, 0.9});
        });
    }
    SUBCASE("nesterov double") {
        check_resume<double>([] {
            return std::make_unique<GradientDescent<double>>(
                GradientDescentOptions{0.005, 0.9, true});
        });
    }
    SUBCASE("lbfgs float through the Optimizer interface") {
        check_resume<float>([] { return std::make_unique<LbfgsOptimizer<float>>(); });
    }
    SUBCASE("adam state names") {
        Array<double> w1 = xt::zeros<double>({2, 3}), w2 = xt::zeros<double>({1, 3});
        Adam<double> adam;
        train(adam, 2, w1, w2);
        const OptimizerState s = adam.state();
        CHECK(s.scalars.at("step") == 2);
        CHECK(s.arrays.size() == 4);
        CHECK(s.arrays.at("v.1").shape(1) == 3);
    }
}

TEST_CASE("invalid hyper-parameters throw naming the parameter value and range") {
    using doctest::Contains;
    CHECK_THROWS_WITH_AS(Adam<double>({-1.0}),
                         Contains("Adam: learning_rate = -1 is outside (0, inf)"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(Adam<float>({1e-3, 1.0}),
                         Contains("beta1 = 1 is outside [0, 1)"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(Adam<double>({1e-3, 0.9, std::nan("")}), Contains("beta2 = nan"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(Adam<double>({1e-3, 0.9, 0.999, 0.0}), Contains("epsilon = 0"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(GradientDescent<double>({0.0}),
                         Contains("GradientDescent: learning_rate = 0"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(GradientDescent<float>({0.1, 1.0}),
                         Contains("momentum = 1 is outside [0, 1)"),
                         std::invalid_argument);

    Adam<double> adam;
    CHECK_THROWS_WITH_AS(adam.set_learning_rate(-2), Contains("learning_rate = -2"),
                         std::invalid_argument);
    CHECK(adam.options().learning_rate == 1e-3);  // unchanged
}

TEST_CASE("first-order optimizers reject mismatched lists and stop on a NaN loss") {
    Array<double> W = xt::ones<double>({2, 2}), G = xt::ones<double>({2, 2}),
                  V = xt::ones<double>({3, 2});
    Adam<double> adam;
    const ParamList<double> w{{"encoder.0.W", &W}};
    CHECK_THROWS_WITH_AS(adam.step(w, {V}), doctest::Contains("Adam: parameter encoder.0.W and its gradient"), ShapeError);
    CHECK_THROWS_AS(adam.step(w, {G, G}), std::invalid_argument);
    adam.step(w, {G});
    // not the shape the state was made for
    CHECK_THROWS_WITH_AS(adam.step({{"V", &V}}, {V}), doctest::Contains("Adam: parameter V and its state"), ShapeError);

    const Array<double> before = W;
    const IterationInfo info =
        adam.iterate(w, [](Gradients<double>&) { return std::nan(""); });
    CHECK(info.stop);
    CHECK(info.stop_reason.find("Adam: the loss is not finite") != std::string::npos);
    CHECK(W == before);
}
