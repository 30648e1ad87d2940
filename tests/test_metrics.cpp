// tests/test_metrics.cpp: the figures trained models are measured by.
#include <doctest/doctest.h>

#include "models/metrics.hpp"
#include "models/zoo.hpp"
#include "tests/zoo_helpers.hpp"

using namespace ae;
using zoo_test::A;
using zoo_test::random_array;

TEST_CASE("metrics: the Jacobian's closed form equals nested reverse mode; reconstruction error; dead units") {
    const A x = random_array(7, 9, 0.05, 0.95, 3);
    // One dense layer: closed form. The same network with an extra linear identity-free layer is
    // not single-dense, so jacobian_stats takes the nested path; compare on a deep model by hand.
    Autoencoder<double> one = contractive<double>({7, 4}, {});
    const JacobianStats closed = jacobian_stats(one, x);
    // By hand: J_t = diag(h(1 - h)) W.
    const A& W = find(one.parameters(), "encoder.0.W");
    const A h = one.encode(x);
    double frob = 0, sq = 0;
    for (std::size_t t = 0; t < 9; ++t) {
        double n2 = 0;
        for (std::size_t j = 0; j < 4; ++j)
            for (std::size_t i = 0; i < 7; ++i) {
                const double e = h(j, t) * (1 - h(j, t)) * W(j, i);
                n2 += e * e;
            }
        frob += std::sqrt(n2);
        sq += n2;
    }
    CHECK(closed.mean_frobenius == doctest::Approx(frob / 9).epsilon(1e-13));
    CHECK(closed.mean_square == doctest::Approx(sq / (9 * 4 * 7)).epsilon(1e-13));
    // Nested reverse mode on a deep encoder, against the closed form of its two dense layers:
    // J = diag(f2') W2 diag(f1') W1.
    Autoencoder<double> two = deep<double>({7, 5, 3}, {{Activation::sigmoid, Activation::tanh}});
    const JacobianStats nested = jacobian_stats(two, x);
    const A& W1 = find(two.parameters(), "encoder.0.W");
    const A& W2 = find(two.parameters(), "encoder.2.W");
    const A a1 = two.encode(x, 1), a2 = two.encode(x, 3);
    double f2 = 0;
    for (std::size_t t = 0; t < 9; ++t) {
        double n2 = 0;
        for (std::size_t k = 0; k < 3; ++k)
            for (std::size_t i = 0; i < 7; ++i) {
                double e = 0;
                for (std::size_t j = 0; j < 5; ++j) e += W2(k, j) * a1(j, t) * (1 - a1(j, t)) * W1(j, i);
                e *= 1 - a2(k, t) * a2(k, t);
                n2 += e * e;
            }
        f2 += std::sqrt(n2);
    }
    CHECK(nested.mean_frobenius == doctest::Approx(f2 / 9).epsilon(1e-12));

    CHECK(squared_error_per_example(A{{1, 2}, {3, 4}}, A{{1, 0}, {0, 4}}) == doctest::Approx((4 + 9) / 2.0));
    CHECK_THROWS_WITH_AS(squared_error_per_example(A{{1}}, A{{1, 2}}), doctest::Contains("(1, 1) and (1, 2)"), ShapeError);

    // k = 1 of 6 units on 9 examples: at least 3 units are chosen by no example.
    Autoencoder<double> k = k_sparse<double>({7, 6}, {1, 1, 0});
    const std::size_t dead = dead_units(k, x);
    const A z = k.encode(x, k.encoder().size() - 1);
    std::size_t used = 0;
    for (std::size_t j = 0; j < 6; ++j) {
        bool chosen = false;
        for (std::size_t t = 0; t < 9; ++t) {
            std::size_t above = 0;
            for (std::size_t r = 0; r < 6; ++r) above += z(r, t) > z(j, t);
            chosen = chosen || above == 0;
        }
        used += chosen;
    }
    CHECK(dead == 6 - used);
    CHECK_THROWS_WITH(dead_units(one, x), doctest::Contains("keeps no top k"));
    CHECK(classification_accuracy({1, 2, 3, 4}, {1, 0, 3, 0}) == 0.5);
}
