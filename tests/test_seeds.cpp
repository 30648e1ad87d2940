// tests/test_seeds.cpp: the tape against the documents' own hand derivations (shared/seeds): the
// sparse autoencoder's deltas, dOmega/drho_hat, mlpack's published costs, and the contractive
// penalty (three ways, its closed-form gradient, and the stochastic term's limit).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "terms/contractive.hpp"
#include "terms/losses.hpp"
#include "layers/activation.hpp"
#include "layers/params.hpp"
#include "models/sparse_kl.hpp"
#include "tests/zoo_helpers.hpp"

using namespace ae;
using namespace zoo_test;

namespace {

struct Hand {
    double J;
    A W1, b1, W2, b2;
};

// Seeds 000/002/004: delta3 = -(y - a3) f'(z3), delta2 = (W2^T delta3 + beta dOmega/drho_hat) f'(z2),
// grad W = delta a^T / m + lambda W, grad b = mean delta. tanh hidden units use rho_hat = mean((a + 1)/2),
// whose derivative brings a factor 1/2 to the sparsity part.
// W1, b1, W2, b2: the one-hidden-layer autoencoder's encoder.0.W, encoder.0.b, decoder.0.W, decoder.0.b.
Hand hand_backprop(const A& W1, const A& b1, const A& W2, const A& b2, const A& x, const SparseKlOptions& o) {
    const double m = double(x.shape(1)), rho = o.rho, beta = o.beta, lambda = o.lambda;
    const bool tanh_units = o.encoder == Activation::tanh;
    const A z2 = mm(W1, x) + b1;
    const A a2 = tanh_units ? A(xt::tanh(z2)) : logistic(z2);
    const A f2 = tanh_units ? A(1.0 - a2 * a2) : A(a2 * (1.0 - a2));
    const A a3 = logistic(mm(W2, a2) + b2);
    const A rho_hat = row_mean(tanh_units ? A((a2 + 1.0) / 2.0) : a2);
    const A dOmega = -rho / rho_hat + (1.0 - rho) / (1.0 - rho_hat);
    const A delta3 = -(x - a3) * a3 * (1.0 - a3);
    const A delta2 = (mm(tr(W2), delta3) + beta * (tanh_units ? 0.5 : 1.0) * dOmega) * f2;
    Hand h;
    h.J = 0.5 * xt::sum(xt::square(a3 - x))() / m +
          lambda / 2 * (xt::sum(xt::square(W1))() + xt::sum(xt::square(W2))()) +
          beta * xt::sum(rho * xt::log(rho / rho_hat) + (1 - rho) * xt::log((1 - rho) / (1 - rho_hat)))();
    h.W2 = mm(delta3, tr(a2)) / m + lambda * W2;
    h.b2 = row_mean(delta3);
    h.W1 = mm(delta2, tr(x)) / m + lambda * W1;
    h.b1 = row_mean(delta2);
    return h;
}

}  // namespace

TEST_CASE("sparse autoencoder: tape gradients equal the documents' hand deltas to 1e-12") {
    int cases = 0;
    double worst = 0;
    for (std::uint64_t seed : {1, 2, 3})
        for (double lambda : {0.0, 1e-3})
            for (double beta : {0.0, 3.0})
                for (Activation f : {Activation::sigmoid, Activation::tanh}) {
                    SparseKlOptions o;
                    o.rho = 0.1, o.beta = beta, o.lambda = lambda, o.encoder = f;
                    Autoencoder<double> model = sparse_kl<double>({6, 4}, o, seed);
                    const ParamList<double> params = model.parameters();
                    CHECK(params.size() == 4);
                    A& W1 = find(params, "encoder.0.W");
                    A& b1 = find(params, "encoder.0.b");
                    A& W2 = find(params, "decoder.0.W");
                    A& b2 = find(params, "decoder.0.b");
                    CHECK(params[0].array == &W1);  // the gradient's order: W1, b1, W2, b2
                    CHECK(params[1].array == &b1);
                    CHECK(params[2].array == &W2);
                    CHECK(params[3].array == &b2);
                    W1 = random_array(4, 6, -1, 1, seed + 10);
                    b1 = random_array(4, 1, -0.5, 0.5, seed + 11);
                    W2 = random_array(6, 4, -1, 1, seed + 12);
                    b2 = random_array(6, 1, -0.5, 0.5, seed + 13);
                    const A x = random_array(6, 5, 0, 1, seed + 20);
                    const Evaluation<double> e = evaluate(model.parameters(), model.loss_fn(x));
                    const Hand h = hand_backprop(W1, b1, W2, b2, x, o);
                    INFO("seed " << seed << " lambda " << lambda << " beta " << beta << " " << name_of(f));
                    CHECK(e.terms.size() == 3);
                    CHECK(std::abs(e.total - h.J) < 1e-12);
                    CHECK(max_abs_diff(e.gradient[0], h.W1) < 1e-12);
                    CHECK(max_abs_diff(e.gradient[1], h.b1) < 1e-12);
                    CHECK(max_abs_diff(e.gradient[2], h.W2) < 1e-12);
                    CHECK(max_abs_diff(e.gradient[3], h.b2) < 1e-12);
                    CHECK(max_abs(h.W1) > 1e-3);  // a real comparison, not zeros against zeros
                    worst = std::max({worst, std::abs(e.total - h.J), max_abs_diff(e.gradient[0], h.W1),
                                      max_abs_diff(e.gradient[1], h.b1), max_abs_diff(e.gradient[2], h.W2),
                                      max_abs_diff(e.gradient[3], h.b2)});
                    ++cases;
                }
    CHECK(cases == 24);
    MESSAGE("hand deltas: largest difference over 24 cases (cost and every gradient entry) " << worst);
}

TEST_CASE("KL penalty: dOmega/drho_hat equals the documents' formula on its own") {
    const A rho_hat = random_array(7, 1, 0.01, 0.99, 5);
    double worst = 0;
    for (double rho : {0.01, 0.05, 0.2})
        for (double beta : {1.0, 3.0}) {
            Tape<double> tape;
            const Var<double> r = tape.leaf(rho_hat);
            const Var<double> omega = kl_sparsity(r, rho, beta);
            const A g = grad(omega, {r})[0].value();
            const A expected = beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat));
            const double value =
                beta * xt::sum(rho * xt::log(rho / rho_hat) + (1 - rho) * xt::log((1 - rho) / (1 - rho_hat)))();
            CHECK(rel_diff(g, expected) < 1e-12);
            CHECK(std::abs(item(omega) - value) < 1e-12 * value);
            worst = std::max(worst, rel_diff(g, expected));
        }
    MESSAGE("dOmega/drho_hat: largest relative difference " << worst);
    // The minimum: Omega = 0 and dOmega/drho_hat = 0 at rho_hat = rho.
    Tape<double> tape;
    const Var<double> r = tape.leaf(A(xt::full_like(rho_hat, 0.05)));
    const Var<double> omega = kl_sparsity(r, 0.05, 3.0);
    CHECK(std::abs(item(omega)) < 1e-15);
    CHECK(max_abs(grad(omega, {r})[0].value()) < 1e-13);
}

TEST_CASE("sparse autoencoder: mlpack's six published cost values to 1e-10") {
    // mlpack's SparseAutoencoderFunction test: 5 visible, 3 hidden, lambda = beta = 0, every
    // parameter 1, 0 or -1. Examples are columns: in the first set example j has every component
    // 0.1 j; the second set is its transpose (example j is 0.1, 0.2, ..., 0.5).
    A data1 = A::from_shape({5, 5});
    for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 5; ++j) data1(i, j) = 0.1 * double(j + 1);
    const A data2 = tr(data1);
    const double expected[2][3] = {{1.190472606540, 0.15, 0.048800332266}, {1.197585812647, 0.15, 0.063466617408}};
    const double values[3] = {1, 0, -1};
    SparseKlOptions o;
    o.beta = 0, o.lambda = 0;
    std::ostringstream figures;
    for (int set = 0; set < 2; ++set)
        for (int v = 0; v < 3; ++v) {
            Autoencoder<double> model = sparse_kl<double>({5, 3}, o);
            for (const Named<double>& p : model.parameters()) p.array->fill(values[v]);
            const A& data = set == 0 ? data1 : data2;
            const double cost = evaluate(model.parameters(), model.loss_fn(data), false).total;
            INFO("set " << set + 1 << ", parameters " << values[v] << ": " << cost);
            CHECK(std::abs(cost - expected[set][v]) < 1e-10 * expected[set][v]);
            figures << "  set " << set + 1 << ", parameters " << values[v] << ": " << std::setprecision(13) << cost
                    << " (relative error " << std::setprecision(3) << std::abs(cost - expected[set][v]) / expected[set][v]
                    << ")\n";
        }
    MESSAGE("mlpack's costs:\n" << figures.str());
}

namespace {

// A dense encoder h = f(W x + b) on the inputs {W, b, x}, and its contractive penalty three ways.
const std::size_t kHidden = 3, kVisible = 5, kExamples = 4;

std::vector<A> encoder_problem(std::uint64_t seed) {
    return {random_array(kHidden, kVisible, -1.5, 1.5, seed), random_array(kHidden, 1, -0.5, 0.5, seed + 1),
            random_array(kVisible, kExamples, 0, 1, seed + 2)};
}

// Every sign vector of the hidden units, the same for every example: their mean v v^T is exactly I.
std::vector<A> all_sign_probes() {
    std::vector<A> probes;
    for (unsigned s = 0; s < (1u << kHidden); ++s) {
        A v = A::from_shape({kHidden, kExamples});
        for (std::size_t j = 0; j < kHidden; ++j)
            for (std::size_t t = 0; t < kExamples; ++t) v(j, t) = (s >> j) & 1 ? 1.0 : -1.0;
        probes.push_back(v);
    }
    return probes;
}

Function penalty(const std::string& form, Activation f, const std::vector<A>& probes = {}) {
    return [form, f, probes](const Vars<double>& in) {
        const Var<double> z = affine(in[0], in[2], in[1]);
        const Var<double> h = activate(z, f);
        if (form == "closed") return contractive_dense(activation_derivative(z, h, f), in[0], 1.0);
        if (form == "exact") return contractive_exact(h, in[2], 1.0);
        return contractive_projected(h, in[2], probes, 1.0);
    };
}

}  // namespace

TEST_CASE("contractive penalty: closed form equals the Jacobian norm built entry by entry") {
    const std::vector<A> at = encoder_problem(3);
    const A& W = at[0];
    const A h = logistic(mm(W, at[2]) + at[1]);
    double norm = 0;  // (1/m) sum_t sum_j sum_i (dh_j/dx_i)^2 with dh_j/dx_i = h_j (1 - h_j) W_ji
    for (std::size_t t = 0; t < kExamples; ++t)
        for (std::size_t j = 0; j < kHidden; ++j)
            for (std::size_t i = 0; i < kVisible; ++i) norm += std::pow(h(j, t) * (1 - h(j, t)) * W(j, i), 2);
    norm /= double(kExamples);
    CHECK(std::abs(value_grad(penalty("closed", Activation::sigmoid), at).value - norm) < 1e-14 * norm);
    CHECK(norm > 1e-3);
}

TEST_CASE("contractive penalty: nested reverse mode and sign-set projections equal the closed form") {
    for (Activation f : {Activation::sigmoid, Activation::tanh}) {
        const std::vector<A> at = encoder_problem(7);
        const ValueGrad closed = value_grad(penalty("closed", f), at);
        const ValueGrad exact = value_grad(penalty("exact", f), at);
        const ValueGrad signs = value_grad(penalty("projected", f, all_sign_probes()), at);
        INFO(name_of(f) << ": closed " << closed.value << ", exact " << exact.value << ", signs " << signs.value);
        CHECK(std::abs(exact.value - closed.value) < 1e-12 * closed.value);
        CHECK(std::abs(signs.value - closed.value) < 1e-12 * closed.value);
        for (std::size_t i = 0; i < 3; ++i) {  // gradients in W, b and x
            CHECK(rel_diff(exact.grad[i], closed.grad[i]) < 1e-12);
            CHECK(rel_diff(signs.grad[i], closed.grad[i]) < 1e-12);
        }
        const double metric = check_gradient(penalty("exact", f), at).metric;
        CHECK(metric < 1e-9);  // and the nested one is right
        MESSAGE(name_of(f) << " encoder: ||J||^2 " << closed.value << "; exact - closed " << exact.value - closed.value
                           << ", sign set - closed " << signs.value - closed.value << "; gradient relative differences "
                           << rel_diff(exact.grad[0], closed.grad[0]) << " (exact, W) and "
                           << rel_diff(signs.grad[0], closed.grad[0]) << " (signs, W); nested gradient check " << metric);
    }
}

TEST_CASE("contractive penalty: the closed form's gradient equals its hand derivation") {
    // Omega = (1/m) sum_t sum_j d_jt^2 S_j with d = h (1 - h), S_j = sum_i W_ji^2, dd/dz = d (1 - 2h):
    // dOmega/dW_ji = (1/m) [sum_t 2 d_jt^2 (1 - 2 h_jt) S_j x_it + 2 W_ji sum_t d_jt^2]
    // dOmega/db_j  = (1/m) sum_t 2 d_jt^2 (1 - 2 h_jt) S_j
    // dOmega/dx_it = (1/m) sum_j 2 d_jt^2 (1 - 2 h_jt) S_j W_ji
    const std::vector<A> at = encoder_problem(11);
    const A &W = at[0], &b = at[1], &x = at[2];
    const double m = double(kExamples);
    const A h = logistic(mm(W, x) + b);
    const A d = h * (1.0 - h);
    const A S = xt::sum(W * W, {1}, xt::keep_dims);
    const A G = 2.0 * d * d * (1.0 - 2.0 * h) * S;  // dOmega/dz times m
    const A D2 = xt::sum(d * d, {1}, xt::keep_dims);  // evaluated: a lazy reducer broadcasts wrongly here
    const A gW = (mm(G, tr(x)) + 2.0 * W * D2) / m;
    const A gb = xt::sum(G, {1}, xt::keep_dims) / m;
    const A gx = mm(tr(W), G) / m;
    const ValueGrad closed = value_grad(penalty("closed", Activation::sigmoid), at);
    CHECK(rel_diff(closed.grad[0], gW) < 1e-12);
    CHECK(rel_diff(closed.grad[1], gb) < 1e-12);
    CHECK(rel_diff(closed.grad[2], gx) < 1e-12);
    MESSAGE("closed-form gradient vs hand derivation: relative differences W " << rel_diff(closed.grad[0], gW) << ", b "
                                                                             << rel_diff(closed.grad[1], gb) << ", x "
                                                                             << rel_diff(closed.grad[2], gx));
}

TEST_CASE("contractive penalty: random projections are unbiased in value and gradient") {
    // One Rademacher probe per draw; P draws. Each mean must lie within 4 standard errors of the
    // exact value (a wrong scale or a missing term would sit hundreds of standard errors away).
    const std::vector<A> at = encoder_problem(13);
    const ValueGrad exact = value_grad(penalty("exact", Activation::sigmoid), at);
    const std::size_t P = 1000;
    ExampleNoise rng(99, 0);
    std::vector<ValueGrad> draws;
    for (std::size_t p = 0; p < P; ++p)
        draws.push_back(value_grad(penalty("projected", Activation::sigmoid,
                                           rademacher_probes<double>({kHidden, kExamples}, 1, rng)), at));
    auto within = [&](auto get, double truth) {  // |mean - truth| / standard error
        double s = 0, s2 = 0;
        for (const ValueGrad& d : draws) s += get(d), s2 += get(d) * get(d);
        const double mean = s / double(P), var = (s2 / double(P) - mean * mean) * double(P) / double(P - 1);
        const double se = std::sqrt(var / double(P));
        if (se == 0) return std::abs(mean - truth) < 1e-12 ? 0.0 : INFINITY;  // an entry with no noise
        return std::abs(mean - truth) / se;
    };
    const double zv = within([](const ValueGrad& d) { return d.value; }, exact.value);
    INFO("value: " << zv << " standard errors from the exact penalty " << exact.value);
    CHECK(zv < 4);
    double worst = 0;
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t k = 0; k < exact.grad[i].size(); ++k)
            worst = std::max(worst, within([i, k](const ValueGrad& d) { return d.grad[i].data()[k]; },
                                           exact.grad[i].data()[k]));
    INFO("worst gradient entry: " << worst << " standard errors");
    CHECK(worst < 4.5);
    MESSAGE("random projections, 1000 single-probe draws: value " << zv << " standard errors from exact, worst gradient entry "
                                                               << worst);
}

TEST_CASE("stochastic contractive term: E||h(x) - h(x + eps)||^2 / sigma^2 tends to ||J||_F^2") {
    // One example, N Gaussian perturbations evaluated as N columns. E[d] = ||J||^2 + O(sigma^2) and
    // Var[d] = 2 ||J J^T||_F^2 + O(sigma^2): the tolerance is 4 standard errors, the standard error
    // estimated from the N samples.
    const A W = random_array(kHidden, kVisible, -1.5, 1.5, 17), b = random_array(kHidden, 1, -0.5, 0.5, 18);
    const A x = random_array(kVisible, 1, 0, 1, 19);
    const std::size_t N = 20000;
    const A X = xt::repeat(x, N, 1);
    ExampleNoise rng(23, 0);
    const A unit = gaussian_perturbations<double>({kVisible, N}, 1.0, 1, rng)[0];
    Tape<double> tape;
    const Var<double> Wv = tape.borrow(W), bv = tape.borrow(b), Xv = tape.borrow(X);
    const Var<double> h = sigmoid(affine(Wv, Xv, bv));
    const double J2 = item(contractive_dense(h * (1.0 - h), Wv, 1.0));  // ||J(x)||_F^2, every column equal
    for (double sigma : {1e-1, 1e-2, 1e-3}) {
        const Var<double> h_tilde = sigmoid(affine(Wv, Xv + tape.leaf(A(sigma * unit)), bv));
        const double estimate = item(stochastic_contractive(h, {h_tilde}, 1.0)) / (sigma * sigma);
        const A d = xt::sum(xt::square(h.value() - h_tilde.value()), {0}, xt::keep_dims) / (sigma * sigma);  // one per sample
        const double se = std::sqrt(xt::variance(d)() / double(N));
        const double error = std::abs(estimate - J2);
        INFO("sigma " << sigma << ": estimate " << estimate << ", ||J||^2 " << J2 << ", standard error " << se);
        if (sigma <= 1e-2) CHECK(error < 4 * se);
        MESSAGE("sigma " << sigma << ": E||h(x) - h(x + eps)||^2 / sigma^2 = " << estimate << ", ||J||_F^2 = " << J2
                         << ", difference " << error << " = " << error / se << " standard errors (" << N << " samples)");
        CHECK(se < 0.05 * J2);
    }
    // A wrong penalty is far outside: sigma = 1 is no longer the small-noise limit.
    const Var<double> far = sigmoid(affine(Wv, Xv + tape.leaf(A(3.0 * unit)), bv));
    CHECK(std::abs(item(stochastic_contractive(h, {far}, 1.0)) / 9.0 - J2) > 0.2 * J2);
}

TEST_CASE("CAE+H: nested reverse mode equals the dense closed form") {
    const std::vector<A> at = encoder_problem(29);
    ExampleNoise rng(31, 0);
    const std::vector<A> eps = gaussian_perturbations<double>({kVisible, kExamples}, 0.3, 3, rng);
    Function exact = [&eps](const Vars<double>& in) {
        Encoder<double> encode = [&in](const Var<double>& x) { return sigmoid(affine(in[0], x, in[1])); };
        return contractive_h_exact(encode, in[2], eps, 1.0);
    };
    Function closed = [&eps](const Vars<double>& in) {
        auto d = [&in](const Var<double>& x) {
            const Var<double> h = sigmoid(affine(in[0], x, in[1]));
            return h * (1.0 - h);
        };
        Vars<double> d_tilde;
        for (const A& e : eps) d_tilde.push_back(d(in[2] + in[2].tape->leaf(e)));
        return contractive_h_dense(d(in[2]), d_tilde, in[0], 1.0);
    };
    const ValueGrad a = value_grad(exact, at), c = value_grad(closed, at);
    CHECK(c.value > 1e-4);
    CHECK(std::abs(a.value - c.value) < 1e-12 * c.value);
    for (std::size_t i = 0; i < 3; ++i) CHECK(rel_diff(a.grad[i], c.grad[i]) < 1e-12);
    const double metric = check_gradient(closed, at).metric;
    CHECK(metric < 1e-9);
    MESSAGE("CAE+H: value " << c.value << ", nested - closed " << a.value - c.value << ", gradient relative difference (W) "
                            << rel_diff(a.grad[0], c.grad[0]) << ", closed-form gradient check " << metric);
}
