// tests/test_models.cpp: every model of the zoo: named parameters, hyper-parameter checks, the
// library's gradient check with every term on, and the flat view.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include <xtensor/xview.hpp>

#include "transforms/corruption.hpp"
#include "terms/losses.hpp"
#include "transforms/top_k.hpp"
#include "models/basic.hpp"
#include "models/contractive.hpp"
#include "models/denoising.hpp"
#include "models/k_sparse.hpp"
#include "models/sparse_kl.hpp"
#include "models/stacked.hpp"
#include "tests/zoo_helpers.hpp"

using namespace ae;
using namespace zoo_test;

namespace {

struct Case {
    std::string label;
    Autoencoder<double> model;
    std::vector<std::string> terms;
};

// Every model with every term switched on, small enough for an entry-by-entry check.
std::vector<Case> zoo(std::size_t visible, std::size_t hidden) {
    std::vector<Case> cases;
    auto add = [&](std::string label, Autoencoder<double> m, std::vector<std::string> terms) {
        cases.push_back({std::move(label), std::move(m), std::move(terms)});
    };
    add("basic sigmoid", basic<double>({visible, hidden}, {Activation::sigmoid, Reconstruction::squared_error, false, 1e-3}),
        {"squared_error", "weight_decay"});
    add("basic tied cross-entropy",
        basic<double>({visible, hidden}, {Activation::sigmoid, Reconstruction::cross_entropy, true, 1e-3}),
        {"cross_entropy", "weight_decay"});
    add("basic linear", basic<double>({visible, hidden}, {Activation::linear, Reconstruction::squared_error, false, 1e-3}),
        {"squared_error", "weight_decay"});
    add("linear", linear<double>({visible, hidden}), {"squared_error"});
    SparseKlOptions s;
    s.rho = 0.1, s.beta = 3, s.lambda = 1e-3;
    add("sparse-kl sigmoid", sparse_kl<double>({visible, hidden}, s), {"squared_error", "weight_decay", "kl_sparsity"});
    s.encoder = Activation::tanh;
    add("sparse-kl tanh", sparse_kl<double>({visible, hidden}, s), {"squared_error", "weight_decay", "kl_sparsity"});
    s.encoder = Activation::sigmoid, s.penalty = SparseKlOptions::squared;
    add("sparse squared", sparse_kl<double>({visible, hidden}, s), {"squared_error", "weight_decay", "squared_sparsity"});
    DenoisingOptions d;
    d.lambda = 1e-3;
    d.corruption = masking_noise(0.3);
    add("denoising masking", denoising<double>({visible, hidden}, d), {"cross_entropy", "weight_decay"});
    d.corruption = salt_and_pepper(0.3);
    add("denoising salt-and-pepper", denoising<double>({visible, hidden}, d), {"cross_entropy", "weight_decay"});
    d.corruption = gaussian_noise(0.2), d.reconstruction = Reconstruction::squared_error, d.decoder = Activation::linear;
    d.tied = false;
    add("denoising gaussian", denoising<double>({visible, hidden}, d), {"squared_error", "weight_decay"});
    ContractiveOptions c;
    c.lambda = 0.5;
    add("contractive closed form", contractive<double>({visible, hidden}, c), {"cross_entropy", "contractive"});
    c.form = ContractiveOptions::exact;
    add("contractive exact", contractive<double>({visible, hidden}, c), {"cross_entropy", "contractive"});
    c.form = ContractiveOptions::projected, c.probes = 3;
    add("contractive projected", contractive<double>({visible, hidden}, c), {"cross_entropy", "contractive"});
    c.form = ContractiveOptions::stochastic, c.copies = 2;
    add("contractive stochastic", contractive<double>({visible, hidden}, c), {"cross_entropy", "stochastic_contractive"});
    c.form = ContractiveOptions::closed_form, c.gamma = 0.3, c.copies = 2, c.sigma = 0.2;
    add("cae+h closed form", contractive_h<double>({visible, hidden}, c), {"cross_entropy", "contractive", "contractive_h"});
    c.form = ContractiveOptions::exact, c.tied = false;
    add("cae+h exact untied", contractive_h<double>({visible, hidden}, c), {"cross_entropy", "contractive", "contractive_h"});
    return cases;
}

void randomise_biases(Autoencoder<double>& m, std::uint64_t seed) {
    m.b1 = random_array(m.b1.shape(0), 1, -0.5, 0.5, seed);
    m.b2 = random_array(m.b2.shape(0), 1, -0.5, 0.5, seed + 1);
}

}  // namespace

TEST_CASE("models: named parameters with the documented shapes") {
    Autoencoder<double> untied = sparse_kl<double>({7, 3});
    const ParamList<double> p = untied.parameters();
    REQUIRE(p.size() == 4);
    CHECK(p[0].name == "W1");
    CHECK(p[0].array->shape() == std::array<std::size_t, 2>{3, 7});
    CHECK(p[1].name == "b1");
    CHECK(p[1].array->shape() == std::array<std::size_t, 2>{3, 1});
    CHECK(p[2].name == "W2");
    CHECK(p[2].array->shape() == std::array<std::size_t, 2>{7, 3});
    CHECK(p[3].name == "b2");
    CHECK(p[3].array->shape() == std::array<std::size_t, 2>{7, 1});
    CHECK(parameter_count(p) == 3 * 7 + 3 + 7 * 3 + 7);
    Autoencoder<double> tied = denoising<double>({7, 3});
    const ParamList<double> q = tied.parameters();
    REQUIRE(q.size() == 3);
    CHECK(q[2].name == "b2");
    // UFLDL's initialisation: U[-r, r] with r = sqrt(6 / (hidden + visible + 1)), biases 0.
    CHECK(max_abs(untied.W1) <= ufldl_radius(3, 7));
    CHECK(max_abs(untied.b1) == 0);
    CHECK(max_abs(untied.b2) == 0);
}

TEST_CASE("models: hyper-parameters out of range are rejected naming parameter value and range") {
    SparseKlOptions s;
    s.rho = 1.5;
    CHECK_THROWS_WITH(sparse_kl<double>({8, 4}, s), "sparse-kl: rho = 1.5 is outside (0, 1)");
    s.rho = 0, s.beta = 1;
    CHECK_THROWS_WITH(sparse_kl<double>({8, 4}, s), "sparse-kl: rho = 0 is outside (0, 1)");
    s.rho = 0.1, s.beta = -1;
    CHECK_THROWS_WITH(sparse_kl<double>({8, 4}, s), "sparse-kl: beta = -1 is outside [0, inf)");
    s.beta = 3, s.lambda = -1e-4;
    CHECK_THROWS_WITH(sparse_kl<double>({8, 4}, s), "sparse-kl: lambda = -0.0001 is outside [0, inf)");
    s.lambda = 0, s.encoder = Activation::relu;
    CHECK_THROWS_WITH(sparse_kl<double>({8, 4}, s),
                      "sparse-kl: hidden units must be sigmoid or tanh (a mean activation in [0, 1]), not relu");
    CHECK_THROWS_WITH(sparse_kl<double>({8, 0}), "sparse-kl: hidden = 0 is outside [1, inf)");
    CHECK_THROWS_WITH(k_sparse<double>({8, 4}, {0}), "k-sparse: k = 0 is outside [1, 4]");
    CHECK_THROWS_WITH(k_sparse<double>({8, 4}, {5}), "k-sparse: k = 5 is outside [1, 4]");
    CHECK_THROWS_WITH(k_sparse<double>({8, 4}, {2, 0.5}), "k-sparse: alpha = 0.5 is outside [1, inf)");
    CHECK_THROWS_WITH(k_sparse<double>({8, 4}, {2, 1, 6}), "k-sparse: k_start = 6 is outside [2, 4]");
    Autoencoder<double> ks = k_sparse<double>({8, 4}, {2});
    CHECK_THROWS_WITH(ks.set_k(9), "k-sparse: k = 9 is outside [1, 4]");
    DenoisingOptions d;
    d.corruption = masking_noise(1);
    CHECK_THROWS_WITH(denoising<double>({8, 4}, d), "denoising: q = 1 is outside [0, 1)");
    d.corruption = gaussian_noise(-0.1);
    CHECK_THROWS_WITH(denoising<double>({8, 4}, d), "denoising: sigma = -0.1 is outside [0, inf)");
    d.corruption = salt_and_pepper(1.2);
    CHECK_THROWS_WITH(denoising<double>({8, 4}, d), "denoising: nu = 1.2 is outside [0, 1]");
    d.corruption = Corruption{};
    CHECK_THROWS(denoising<double>({8, 4}, d));
    ContractiveOptions c;
    c.lambda = -1;
    CHECK_THROWS_WITH(contractive<double>({8, 4}, c), "contractive: lambda = -1 is outside [0, inf)");
    c.lambda = 0.1;
    CHECK_THROWS_WITH(contractive_h<double>({8, 4}, c), "cae+h: gamma = 0 is outside (0, inf)");
    c.gamma = 0.1, c.sigma = 0;
    CHECK_THROWS_WITH(contractive_h<double>({8, 4}, c), "cae+h: sigma = 0 is outside (0, inf)");
    c.sigma = 0.1, c.form = ContractiveOptions::projected, c.probes = 0;
    CHECK_THROWS_WITH(contractive<double>({8, 4}, c), "contractive: probes = 0 is outside [1, inf)");
    CHECK_THROWS_WITH(basic<double>({8, 4}, {Activation::linear, Reconstruction::cross_entropy}),
                      "basic: cross-entropy needs a sigmoid decoder, not linear");
    CHECK_THROWS_WITH(stacked_sparse<double>({8, 4}, 1), "stacked: classes = 1 is outside [2, inf)");
    std::vector<Autoencoder<double>> layers = {sparse_kl<double>({8, 4}), sparse_kl<double>({5, 3})};
    CHECK_THROWS_WITH(StackedAutoencoder<double>(layers, 3), "stacked: layer 2 has 5 inputs but layer 1 gives 4");
}

TEST_CASE("every model passes the gradient check with every term on") {
    std::vector<Case> cases = zoo(5, 4);
    const A x = random_array(5, 4, 0.05, 0.95, 40);
    std::ostringstream table;
    double worst = 0;
    std::uint64_t seed = 50;
    for (Case& c : cases) {
        randomise_biases(c.model, seed += 2);
        const LossFn<double> loss = c.model.loss_fn(x, /*seed=*/7);  // frozen noise
        const Evaluation<double> e = evaluate(c.model.parameters(), loss, false);
        std::vector<std::string> names;
        for (const auto& [name, value] : e.terms) {
            names.push_back(name);
            CHECK(value > 0);  // every term on
        }
        CHECK(names == c.terms);
        const GradCheck g = check_loss(c.model.parameters(), loss);
        INFO(c.label << ": UFLDL metric " << g.metric);
        CHECK(g.metric < 1e-9);
        table << "  " << c.label << ": " << g.metric << "\n";
        worst = std::max(worst, g.metric);
    }
    MESSAGE("gradient check, UFLDL metric per model (five-point stencil, h = 1e-3):\n" << table.str() << "  worst "
                                                                                     << worst);
}

TEST_CASE("gradient check: it catches unfrozen noise and a term with a wrong gradient") {
    Autoencoder<double> model = denoising<double>({5, 4}, {masking_noise(0.3)});
    const A x = random_array(5, 4, 0.05, 0.95, 45);
    std::uint64_t calls = 0;  // a new mask at every evaluation: the differences see other functions
    const LossFn<double> unfrozen = [&](const Vars<double>& p) { return model.loss(p, p[0].tape->borrow(x), ++calls); };
    const double metric_unfrozen = check_loss(model.parameters(), unfrozen).metric;
    CHECK(metric_unfrozen > 1e-3);
    // sum(h^2) in value, but the gradient of sum(h): the check must see it.
    model.add_term("wrong", [](const Pass<double>& f) {
        return sum(f.h) + f.h.tape->scalar(xt::sum(xt::square(f.h.value()))() - xt::sum(f.h.value())());
    });
    const double metric_wrong = check_loss(model.parameters(), model.loss_fn(x)).metric;
    CHECK(metric_wrong > 1e-3);
    MESSAGE("gradient check of broken losses: unfrozen noise " << metric_unfrozen << ", wrong term " << metric_wrong);
}

TEST_CASE("k-sparse: gradient checks at points away from top-k ties") {
    // Skip points where the k-th and (k+1)-th pre-activations are closer than the check's steps
    // can move them (2h times the largest input, plus h for the bias).
    int checked = 0, skipped = 0;
    std::ostringstream figures;
    for (std::uint64_t seed = 1; checked < 3 && seed < 40; ++seed) {
        Autoencoder<double> model = k_sparse<double>({5, 6}, {2}, seed);
        randomise_biases(model, seed + 100);
        const A x = random_array(5, 4, 0, 1, seed + 200);
        const double gap = top_k_gap<double>(mm(model.W1, x) + model.b1, 2);
        if (gap < 10 * 1e-3 * (1 + max_abs(x))) {
            ++skipped;
            continue;
        }
        const GradCheck g = check_loss(model.parameters(), model.loss_fn(x));
        INFO("seed " << seed << ", gap " << gap << ", metric " << g.metric);
        CHECK(g.metric < 1e-9);
        figures << " " << g.metric;
        ++checked;
    }
    CHECK(checked == 3);
    MESSAGE("k-sparse gradient checks (metric):" << figures.str() << "; points skipped for ties: " << skipped);
}

TEST_CASE("stacked autoencoder: head and fine-tuning losses pass the gradient check") {
    StackedAutoencoder<double> stack = stacked_sparse<double>({6, 5, 4}, 3, {0.1, 3, 1e-3}, 1e-3);
    for (Autoencoder<double>& layer : stack.layers) randomise_biases(layer, 60);
    stack.head.b = random_array(3, 1, -0.5, 0.5, 61);
    const A x = random_array(6, 5, 0, 1, 62);
    const A y = one_hot<double>({0, 1, 2, 1, 0}, 3);
    const A features = stack.features(x, 2);
    CHECK(features.shape() == std::array<std::size_t, 2>{4, 5});
    const GradCheck head = check_loss(stack.head_parameters(), stack.head_loss_fn(features, y));
    const GradCheck fine = check_loss(stack.fine_tune_parameters(), stack.fine_tune_loss_fn(x, y));
    CHECK(head.metric < 1e-9);
    CHECK(fine.metric < 1e-9);
    const Evaluation<double> e = evaluate(stack.fine_tune_parameters(), stack.fine_tune_loss_fn(x, y), false);
    REQUIRE(e.terms.size() == 2);
    CHECK(e.terms[0].first == "cross_entropy");
    CHECK(e.terms[1].first == "weight_decay");
    MESSAGE("stacked: head metric " << head.metric << ", fine-tuning metric " << fine.metric);
    // The whole stack's arrays, named for .npz.
    std::vector<std::string> names;
    for (const Named<double>& p : stack.parameters()) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"layer1.W1", "layer1.b1", "layer1.W2", "layer1.b2", "layer2.W1",
                                            "layer2.b1", "layer2.W2", "layer2.b2", "softmax.W", "softmax.b"});
    CHECK(stack.reconstruct(x).shape() == x.shape());
}

TEST_CASE("denoising: the encoder sees the corrupted copy and the loss the clean input") {
    Autoencoder<double> model = denoising<double>({6, 4}, {masking_noise(0.4)});
    randomise_biases(model, 70);
    const A x = random_array(6, 8, 0.05, 0.95, 71);
    const double loss = evaluate(model.parameters(), model.loss_fn(x, 5), false).total;
    std::mt19937_64 rng(5);  // the same draws as loss(seed = 5)
    const A x_tilde = corrupt(x, draw_noise<double>(masking_noise(0.4), {6, 8}, rng));
    CHECK(xt::sum(xt::equal(x_tilde, 0.0))() > 0);
    const A h = logistic(mm(model.W1, x_tilde) + model.b1);
    const A p = logistic(mm(tr(model.W1), h) + model.b2);
    const double by_hand = -xt::sum(x * xt::log(p) + (1.0 - x) * xt::log(1.0 - p))() / 8;
    CHECK(std::abs(loss - by_hand) < 1e-12);
    CHECK(evaluate(model.parameters(), model.loss_fn(x, 5), false).total == loss);   // same seed, same noise
    CHECK(evaluate(model.parameters(), model.loss_fn(x, 6), false).total != loss);   // a new step, new noise
    CHECK(max_abs_diff(model.encode(x), logistic(mm(model.W1, x) + model.b1)) < 1e-15);  // no noise when encoding
    // Gaussian noise and squared error, untied with a linear decoder.
    DenoisingOptions o;
    o.corruption = gaussian_noise(0.3), o.reconstruction = Reconstruction::squared_error;
    o.decoder = Activation::linear, o.tied = false;
    Autoencoder<double> g = denoising<double>({6, 4}, o);
    randomise_biases(g, 72);
    std::mt19937_64 same(11);
    const A x_noisy = corrupt(x, draw_noise<double>(gaussian_noise(0.3), {6, 8}, same));
    const A r = mm(g.W2, logistic(mm(g.W1, x_noisy) + g.b1)) + g.b2;
    const double se = 0.5 * xt::sum(xt::square(r - x))() / 8;
    CHECK(std::abs(evaluate(g.parameters(), g.loss_fn(x, 11), false).total - se) < 1e-12);
}

TEST_CASE("contractive models: closed form and nested reverse mode give one loss and one gradient") {
    for (double gamma : {0.0, 0.3}) {
        ContractiveOptions c;
        c.lambda = 0.7, c.gamma = gamma, c.copies = 3;
        Autoencoder<double> closed = contractive<double>({5, 4}, c, 3);
        c.form = ContractiveOptions::exact;
        Autoencoder<double> exact = contractive<double>({5, 4}, c, 3);
        randomise_biases(closed, 80);
        randomise_biases(exact, 80);
        const A x = random_array(5, 6, 0, 1, 81);
        const Evaluation<double> a = evaluate(closed.parameters(), closed.loss_fn(x, 9));
        const Evaluation<double> b = evaluate(exact.parameters(), exact.loss_fn(x, 9));
        INFO("gamma " << gamma);
        CHECK(std::abs(a.total - b.total) < 1e-13 * a.total);
        for (std::size_t i = 0; i < a.gradient.size(); ++i) CHECK(rel_diff(b.gradient[i], a.gradient[i]) < 1e-12);
    }
}

TEST_CASE("sparse autoencoder: saturated hidden units give a finite loss and gradient") {
    // Hidden unit 0 at exactly 1 and unit 1 at exactly 0 for every example: rho_hat = 1 and 0.
    Autoencoder<double> model = sparse_kl<double>({5, 3});
    model.b1(0, 0) = 1000, model.b1(1, 0) = -1000;
    const A x = random_array(5, 6, 0, 1, 90);
    const A h = model.encode(x);
    CHECK(xt::all(xt::equal(xt::view(h, 0, xt::all()), 1.0)));
    CHECK(xt::all(xt::equal(xt::view(h, 1, xt::all()), 0.0)));
    const Evaluation<double> e = evaluate(model.parameters(), model.loss_fn(x));
    CHECK(std::isfinite(e.total));
    for (const A& g : e.gradient) CHECK(xt::all(xt::isfinite(g)));
    Autoencoder<float> f = sparse_kl<float>({5, 3});
    f.b1(0, 0) = 1000, f.b1(1, 0) = -1000;
    const Array<float> xf = x;
    const Evaluation<float> ef = evaluate(f.parameters(), f.loss_fn(xf));
    CHECK(std::isfinite(ef.total));
    for (const Array<float>& g : ef.gradient) CHECK(xt::all(xt::isfinite(g)));
}

TEST_CASE("flat view: the L-BFGS objective writes the parameters and returns loss and gradient") {
    Autoencoder<double> model = sparse_kl<double>({6, 4}, {0.1, 3, 1e-3});
    const A x = random_array(6, 5, 0, 1, 100);
    const ParamList<double> params = model.parameters();
    const LossFn<double> loss = model.loss_fn(x);
    FlatObjective f = flat_objective(params, loss);
    const Vector theta0 = flatten(params);
    CHECK(theta0.size() == parameter_count(params));
    Vector theta = theta0 * 0.9, g;
    const double value = f(theta, g);
    CHECK(model.W1(1, 2) == 0.9 * theta0(1 * 6 + 2));  // the model follows the vector
    const Evaluation<double> e = evaluate(params, loss);
    CHECK(value == e.total);
    CHECK(g.size() == theta.size());
    CHECK(xt::amax(xt::abs(g - flatten_arrays(e.gradient)))() == 0);
    // A directional derivative of the flat objective, by central differences.
    Vector dir = flatten(params) * 0 + 1.0 / std::sqrt(double(theta.size())), unused;
    const double h = 1e-5;
    Vector plus = theta + h * dir, minus = theta - h * dir;
    const double numeric = (f(plus, unused) - f(minus, unused)) / (2 * h);
    CHECK(std::abs(numeric - xt::sum(g * dir)()) < 1e-8);
}

TEST_CASE("float models: the same loss as double to float precision") {
    Autoencoder<double> d = sparse_kl<double>({6, 4}, {0.1, 3, 1e-3}, 4);
    Autoencoder<float> f = sparse_kl<float>({6, 4}, {0.1, 3, 1e-3}, 4);
    const A x = random_array(6, 20, 0, 1, 110);
    const Array<float> xf = x;
    const double ld = evaluate(d.parameters(), d.loss_fn(x), false).total;
    const double lf = evaluate(f.parameters(), f.loss_fn(xf), false).total;
    CHECK(std::abs(ld - lf) < 1e-5 * ld);
    const double before = lf;
    const double after = descend(f.parameters(), f.loss_fn(xf), 50, 0.5);
    CHECK(after < before);
}
