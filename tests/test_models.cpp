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
#include "models/deep.hpp"
#include "models/model.hpp"
#include "models/terms.hpp"
#include "optim/recipes.hpp"
#include "tests/helpers.hpp"
#include "tests/zoo_helpers.hpp"

using namespace ae;
using namespace zoo_test;
using ae::test::contains;
using ae::test::error_of;

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

// A one-hidden-layer model's arrays by their old names: W1 = encoder.0.W, b1 = encoder.0.b,
// W2 = decoder.0.W (untied only), b2 = decoder.0.b.
template <class T>
Array<T>& W1(Autoencoder<T>& m) { return find(m.parameters(), "encoder.0.W"); }
template <class T>
Array<T>& b1(Autoencoder<T>& m) { return find(m.parameters(), "encoder.0.b"); }
template <class T>
Array<T>& W2(Autoencoder<T>& m) { return find(m.parameters(), "decoder.0.W"); }
template <class T>
Array<T>& b2(Autoencoder<T>& m) { return find(m.parameters(), "decoder.0.b"); }

void randomise_biases(Autoencoder<double>& m, std::uint64_t seed) {
    b1(m) = random_array(b1(m).shape(0), 1, -0.5, 0.5, seed);
    b2(m) = random_array(b2(m).shape(0), 1, -0.5, 0.5, seed + 1);
}

}  // namespace

TEST_CASE("models: named parameters with the documented shapes") {
    Autoencoder<double> untied = sparse_kl<double>({7, 3});
    const ParamList<double> p = untied.parameters();
    REQUIRE(p.size() == 4);
    CHECK(p[0].name == "encoder.0.W");  // W1
    CHECK(p[0].array->shape() == std::array<std::size_t, 2>{3, 7});
    CHECK(p[0].weight);
    CHECK(p[1].name == "encoder.0.b");  // b1
    CHECK(p[1].array->shape() == std::array<std::size_t, 2>{3, 1});
    CHECK(!p[1].weight);
    CHECK(p[2].name == "decoder.0.W");  // W2
    CHECK(p[2].array->shape() == std::array<std::size_t, 2>{7, 3});
    CHECK(p[2].weight);
    CHECK(p[3].name == "decoder.0.b");  // b2
    CHECK(p[3].array->shape() == std::array<std::size_t, 2>{7, 1});
    CHECK(parameter_count(p) == 3 * 7 + 3 + 7 * 3 + 7);
    CHECK(untied.visible() == 7);
    CHECK(untied.code_size() == 3);
    CHECK(untied.parameter_names() == std::vector<std::string>{"encoder.0.W", "encoder.0.b", "decoder.0.W", "decoder.0.b"});
    Autoencoder<double> tied = denoising<double>({7, 3});
    const ParamList<double> q = tied.parameters();
    REQUIRE(q.size() == 3);
    CHECK(q[0].name == "encoder.0.W");
    CHECK(q[1].name == "encoder.0.b");
    CHECK(q[2].name == "decoder.0.b");  // b2; the decoder reads encoder.0.W transposed
    CHECK(tied.decoder().text() == std::vector<std::string>{"tied encoder.0.W 3 7", "sigmoid"});
    // UFLDL's initialisation: U[-r, r] with r = sqrt(6 / (hidden + visible + 1)), biases 0.
    CHECK(max_abs(W1(untied)) <= ufldl_radius(3, 7));
    CHECK(max_abs(W1(untied)) > 0);
    CHECK(max_abs(b1(untied)) == 0);
    CHECK(max_abs(b2(untied)) == 0);
}

TEST_CASE("models: hyper-parameters out of range are rejected naming parameter value and range") {
    // The factories build their terms from the table (models/terms.hpp): a term's value is
    // checked there, and the message names the model, then the term.
    SparseKlOptions s;
    s.rho = 1.5;
    CHECK_THROWS_WITH(sparse_kl<double>({8, 4}, s), "sparse-kl: kl_sparsity: rho = 1.5 is outside (0, 1)");
    s.rho = 0, s.beta = 1;
    CHECK_THROWS_WITH(sparse_kl<double>({8, 4}, s), "sparse-kl: kl_sparsity: rho = 0 is outside (0, 1)");
    s.rho = 0.1, s.beta = -1;
    CHECK_THROWS_WITH(sparse_kl<double>({8, 4}, s), "sparse-kl: kl_sparsity: beta = -1 is outside [0, inf)");
    s.beta = 3, s.lambda = -1e-4;
    CHECK_THROWS_WITH(sparse_kl<double>({8, 4}, s), "sparse-kl: weight_decay: lambda = -0.0001 is outside [0, inf)");
    s.lambda = 0, s.encoder = Activation::relu;
    CHECK_THROWS_WITH(sparse_kl<double>({8, 4}, s),
                      "sparse-kl: kl_sparsity: the code's units must be sigmoid or tanh (a mean activation in [0, 1]), not relu");
    // Through the registry (what the command line and model files use) the model's own options are
    // checked first, named by the model alone.
    CHECK_THROWS_WITH(Model<double>(ModelSpec{"sparse-kl", {8, 4}, {{"rho", "1.5"}}, 1}),
                      "sparse-kl: rho = 1.5 is outside (0, 1)");
    CHECK_THROWS_WITH(Model<double>(ModelSpec{"sparse-kl", {8, 4}, {{"lambda", "-1e-4"}}, 1}),
                      "sparse-kl: lambda = -0.0001 is outside [0, inf)");
    CHECK_THROWS_WITH(Model<double>(ModelSpec{"sparse-kl", {8, 4}, {{"encoder", "relu"}}, 1}),
                      "sparse-kl: encoder = 'relu' is not one of sigmoid, tanh");
    CHECK_THROWS_WITH(sparse_kl<double>({8, 0}), "sparse-kl: hidden = 0 is outside [1, inf)");
    CHECK_THROWS_WITH(k_sparse<double>({8, 4}, {0}), "k-sparse: k = 0 is outside [1, 4]");
    CHECK_THROWS_WITH(k_sparse<double>({8, 4}, {5}), "k-sparse: k = 5 is outside [1, 4]");
    CHECK_THROWS_WITH(k_sparse<double>({8, 4}, {2, 0.5}), "k-sparse: alpha = 0.5 is outside [1, inf)");
    CHECK_THROWS_WITH(k_sparse<double>({8, 4}, {2, 1, 6}), "k-sparse: k-start = 6 is outside [2, 4]");  // the option's name
    Autoencoder<double> ks = k_sparse<double>({8, 4}, {2});
    CHECK_THROWS_WITH(ks.keep_top_k(9), "k-sparse: k = 9 is outside [1, 4]");
    CHECK(ks.k() == 2);  // refused: unchanged
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
    CHECK_THROWS_WITH(contractive<double>({8, 4}, c), "contractive: contractive: lambda = -1 is outside [0, inf)");
    CHECK_THROWS_WITH(Model<double>(ModelSpec{"contractive", {8, 4}, {{"lambda", "-1"}}, 1}),
                      "contractive: lambda = -1 is outside [0, inf)");
    c.lambda = 0.1;
    CHECK_THROWS_WITH(contractive_h<double>({8, 4}, c), "cae+h: gamma = 0 is outside (0, inf)");
    c.gamma = 0.1, c.sigma = 0;
    CHECK_THROWS_WITH(contractive_h<double>({8, 4}, c), "cae+h: contractive_h: sigma = 0 is outside (0, inf)");
    CHECK_THROWS_WITH(Model<double>(ModelSpec{"cae+h", {8, 4}, {{"gamma", "0.1"}, {"sigma", "0"}}, 1}),
                      "cae+h: sigma = 0 is outside (0, inf)");
    c.sigma = 0.1, c.form = ContractiveOptions::projected, c.probes = 0;
    CHECK_THROWS_WITH(contractive<double>({8, 4}, c), "contractive: contractive: probes = 0 is outside [1, inf)");
    // A count has no infinite value: "inf" (or one too large for a count) is refused, not converted.
    CHECK_THROWS(Model<double>(ModelSpec{"contractive", {8, 4}, {{"form", "projected"}, {"probes", "inf"}}, 1}));
    CHECK_THROWS_WITH(basic<double>({8, 4}, {Activation::linear, Reconstruction::cross_entropy}),
                      "basic: cross-entropy needs a sigmoid decoder, not linear");
    CHECK_THROWS_WITH(Model<double>(ModelSpec{"stacked", {8, 4}, {{"classes", "1"}}, 1}),
                      "stacked: classes = 1 is outside [2, inf)");
    // Layers that do not chain: the message names the layer and both sizes.
    CHECK_THROWS_WITH(Autoencoder<double>("stacked",
                                          Sequence<double>{Dense<double>(8, 4), Activate<double>(Activation::sigmoid),
                                                           Dense<double>(5, 3), Activate<double>(Activation::sigmoid)},
                                          Sequence<double>{Dense<double>(3, 8)}),
                      "stacked: encoder.2 (dense 5 3 takes 5 inputs, given 4)");
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
        const double gap = top_k_gap<double>(mm(W1(model), x) + b1(model), 2);
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
    Model<double> stack(ModelSpec{"stacked", {6, 5, 4},
                                  {{"classes", "3"}, {"rho", "0.1"}, {"beta", "3"}, {"lambda", "1e-3"}, {"head-lambda", "1e-3"}},
                                  1});
    REQUIRE(stack.head() != nullptr);
    // Each layer's biases b1 and b2 (encoder.2i.b and the decoder's mirror of it), as before.
    const ParamList<double> net = stack.network().parameters();
    find(net, "encoder.0.b") = random_array(5, 1, -0.5, 0.5, 60), find(net, "decoder.2.b") = random_array(6, 1, -0.5, 0.5, 61);
    find(net, "encoder.2.b") = random_array(4, 1, -0.5, 0.5, 60), find(net, "decoder.0.b") = random_array(5, 1, -0.5, 0.5, 61);
    stack.head()->b = random_array(3, 1, -0.5, 0.5, 61);
    const A x = random_array(6, 5, 0, 1, 62);
    const A y = one_hot<double>({0, 1, 2, 1, 0}, 3);
    const A features = stack.network().encode(x);
    CHECK(features.shape() == std::array<std::size_t, 2>{4, 5});
    // The code is the stage autoencoders' codes in a row, and encoder layer 2j + 1's output.
    const A first = stage_autoencoder(stack, 0).encode(x);
    CHECK(max_abs_diff(first, stack.network().encode(x, 1)) == 0);
    CHECK(max_abs_diff(stage_autoencoder(stack, 1).encode(first), features) == 0);
    CHECK(max_abs_diff(stack.network().encode(x, 3), features) == 0);
    const GradCheck head = check_loss(stack.head()->parameters(), stack.head()->loss_fn(features, y));
    const GradCheck fine = check_loss(stack.classifier_parameters(), stack.classifier_loss_fn(x, y));
    CHECK(head.metric < 1e-9);
    CHECK(fine.metric < 1e-9);
    const Evaluation<double> e = evaluate(stack.classifier_parameters(), stack.classifier_loss_fn(x, y), false);
    REQUIRE(e.terms.size() == 2);
    CHECK(e.terms[0].first == "cross_entropy");
    CHECK(e.terms[1].first == "weight_decay");
    MESSAGE("stacked: head metric " << head.metric << ", fine-tuning metric " << fine.metric);
    // What fine-tuning trains: the encoder and the head.
    std::vector<std::string> names;
    for (const Named<double>& p : stack.classifier_parameters()) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"encoder.0.W", "encoder.0.b", "encoder.2.W", "encoder.2.b", "softmax.W",
                                            "softmax.b"});
    // The whole model's arrays, named for .npz.
    names.clear();
    for (const Named<double>& p : stack.parameters()) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"encoder.0.W", "encoder.0.b", "encoder.2.W", "encoder.2.b", "decoder.0.W",
                                            "decoder.0.b", "decoder.2.W", "decoder.2.b", "softmax.W", "softmax.b"});
    CHECK(stack.reconstruct(x).shape() == x.shape());
    CHECK(max_abs_diff(stack.head()->probabilities(stack.encode(x)), stack.head()->probabilities(features)) == 0);
    // Stage i is layer i's own one-layer sparse autoencoder (what pretraining trains): its
    // parameters are the stage's, its terms the model's.
    Autoencoder<double> stage = stage_autoencoder(stack, 1);
    CHECK(stage.visible() == 5);
    CHECK(stage.code_size() == 4);
    const ParamList<double> sp = stage.parameters();
    CHECK(max_abs_diff(find(sp, "encoder.0.W"), find(net, "encoder.2.W")) == 0);
    CHECK(max_abs_diff(find(sp, "encoder.0.b"), find(net, "encoder.2.b")) == 0);
    CHECK(max_abs_diff(find(sp, "decoder.0.W"), find(net, "decoder.0.W")) == 0);
    CHECK(max_abs_diff(find(sp, "decoder.0.b"), find(net, "decoder.0.b")) == 0);
    std::vector<std::string> terms;
    for (const NamedTerm<double>& t : stage.terms()) terms.push_back(t.name);
    CHECK(terms == std::vector<std::string>{"squared_error", "weight_decay", "kl_sparsity"});
    CHECK(check_loss(stage.parameters(), stage.loss_fn(first)).metric < 1e-9);
}

TEST_CASE("denoising: the encoder sees the corrupted copy and the loss the clean input") {
    Autoencoder<double> model = denoising<double>({6, 4}, {masking_noise(0.4)});
    randomise_biases(model, 70);
    const A x = random_array(6, 8, 0.05, 0.95, 71);
    const double loss = evaluate(model.parameters(), model.loss_fn(x, 5), false).total;
    ExampleNoise rng(5, 0);  // the same draws as loss(seed = 5)
    const A x_tilde = corrupt(x, draw_noise<double>(masking_noise(0.4), {6, 8}, rng));
    CHECK(xt::sum(xt::equal(x_tilde, 0.0))() > 0);
    const A h = logistic(mm(W1(model), x_tilde) + b1(model));
    const A p = logistic(mm(tr(W1(model)), h) + b2(model));
    const double by_hand = -xt::sum(x * xt::log(p) + (1.0 - x) * xt::log(1.0 - p))() / 8;
    CHECK(std::abs(loss - by_hand) < 1e-12);
    CHECK(evaluate(model.parameters(), model.loss_fn(x, 5), false).total == loss);   // same seed, same noise
    CHECK(evaluate(model.parameters(), model.loss_fn(x, 6), false).total != loss);   // a new step, new noise
    CHECK(max_abs_diff(model.encode(x), logistic(mm(W1(model), x) + b1(model))) < 1e-15);  // no noise when encoding
    // Gaussian noise and squared error, untied with a linear decoder.
    DenoisingOptions o;
    o.corruption = gaussian_noise(0.3), o.reconstruction = Reconstruction::squared_error;
    o.decoder = Activation::linear, o.tied = false;
    Autoencoder<double> g = denoising<double>({6, 4}, o);
    randomise_biases(g, 72);
    ExampleNoise same(11, 0);
    const A x_noisy = corrupt(x, draw_noise<double>(gaussian_noise(0.3), {6, 8}, same));
    const A r = mm(W2(g), logistic(mm(W1(g), x_noisy) + b1(g))) + b2(g);
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
    b1(model)(0, 0) = 1000, b1(model)(1, 0) = -1000;
    const A x = random_array(5, 6, 0, 1, 90);
    const A h = model.encode(x);
    CHECK(xt::all(xt::equal(xt::view(h, 0, xt::all()), 1.0)));
    CHECK(xt::all(xt::equal(xt::view(h, 1, xt::all()), 0.0)));
    const Evaluation<double> e = evaluate(model.parameters(), model.loss_fn(x));
    CHECK(std::isfinite(e.total));
    for (const A& g : e.gradient) CHECK(xt::all(xt::isfinite(g)));
    Autoencoder<float> f = sparse_kl<float>({5, 3});
    b1(f)(0, 0) = 1000, b1(f)(1, 0) = -1000;
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
    Objective f = flat_objective(params, loss);
    const Vector theta0 = flatten(params);
    CHECK(theta0.size() == parameter_count(params));
    Vector theta = theta0 * 0.9, g;
    const double value = f(theta, g);
    CHECK(W1(model)(1, 2) == 0.9 * theta0(1 * 6 + 2));  // the model follows the vector
    const Evaluation<double> e = evaluate(params, loss);
    CHECK(value == e.total);
    CHECK(g.size() == theta.size());
    Vector flat_gradient;
    flatten(e.gradient, flat_gradient);
    CHECK(xt::amax(xt::abs(g - flat_gradient))() == 0);
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

TEST_CASE("deep autoencoder: three dense layers each way pass the gradient check") {
    const A x = random_array(8, 4, 0.05, 0.95, 120);
    DeepOptions tied;
    tied.tied = true, tied.lambda = 1e-3;
    DeepOptions mixed;
    mixed.activations = {Activation::tanh, Activation::sigmoid, Activation::sigmoid};
    mixed.output = Activation::linear, mixed.reconstruction = Reconstruction::squared_error;
    struct DeepCase {
        std::string label;
        Autoencoder<double> model;
        std::vector<std::string> terms;
    };
    std::vector<DeepCase> cases;
    cases.push_back({"deep", deep<double>({8, 6, 4, 3}), {"cross_entropy"}});
    cases.push_back({"deep tied, weight decay", deep<double>({8, 6, 4, 3}, tied, 2), {"cross_entropy", "weight_decay"}});
    cases.push_back({"deep tanh-sigmoid-sigmoid, linear output", deep<double>({8, 6, 4, 3}, mixed, 3), {"squared_error"}});
    Autoencoder<double> cae = deep<double>({8, 6, 4, 3}, mixed, 4);
    cae.add_term(make_term(cae, "contractive", {{"form", "exact"}, {"lambda", "0.5"}}));  // any encoder: nested reverse mode
    cases.push_back({"deep contractive exact", cae, {"squared_error", "contractive"}});
    std::uint64_t seed = 121;
    for (DeepCase& c : cases) {
        INFO(c.label);
        Autoencoder<double>& m = c.model;
        CHECK(m.visible() == 8);
        CHECK(m.code_size() == 3);
        CHECK(m.encoder().size() == 6);
        CHECK(m.decoder().size() == 6);
        for (const Named<double>& p : m.parameters())
            if (!p.weight) *p.array = random_array(p.array->shape(0), 1, -0.5, 0.5, ++seed);
        const LossFn<double> loss = m.loss_fn(x, 7);
        const Evaluation<double> e = evaluate(m.parameters(), loss, false);
        std::vector<std::string> names;
        for (const auto& [name, value] : e.terms) {
            names.push_back(name);
            CHECK(value > 0);
        }
        CHECK(names == c.terms);
        const GradCheck g = check_loss(m.parameters(), loss);
        CHECK(g.metric < 1e-9);
        MESSAGE(c.label << " 8-6-4-3: gradient check metric " << g.metric);
    }
    // Parameter names and shapes, untied and tied.
    Autoencoder<double>& untied = cases[0].model;
    std::vector<std::string> names;
    for (const Named<double>& p : untied.parameters()) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"encoder.0.W", "encoder.0.b", "encoder.2.W", "encoder.2.b", "encoder.4.W",
                                            "encoder.4.b", "decoder.0.W", "decoder.0.b", "decoder.2.W", "decoder.2.b",
                                            "decoder.4.W", "decoder.4.b"});
    CHECK(find(untied.parameters(), "encoder.2.W").shape() == std::array<std::size_t, 2>{4, 6});
    CHECK(find(untied.parameters(), "decoder.0.W").shape() == std::array<std::size_t, 2>{4, 3});
    CHECK(untied.code_activation() == Activation::linear);
    CHECK_FALSE(untied.single_dense_encoder());
    names.clear();
    for (const Named<double>& p : cases[1].model.parameters()) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"encoder.0.W", "encoder.0.b", "encoder.2.W", "encoder.2.b", "encoder.4.W",
                                            "encoder.4.b", "decoder.0.b", "decoder.2.b", "decoder.4.b"});
    // encode(x, layer): each encoder layer's output; the last is the code.
    const A z0 = untied.encode(x, 0);
    CHECK(max_abs_diff(z0, mm(find(untied.parameters(), "encoder.0.W"), x) + find(untied.parameters(), "encoder.0.b")) < 1e-15);
    CHECK(max_abs_diff(untied.encode(x, 1), logistic(z0)) < 1e-15);
    CHECK(max_abs_diff(untied.encode(x, 5), untied.encode(x)) == 0);
    CHECK_THROWS_WITH(untied.encode(x, 6), "deep: encode: layer 6 of an encoder of 6 layers (0-based)");
    CHECK(max_abs_diff(untied.decode(untied.encode(x)), untied.reconstruct(x)) == 0);
}

TEST_CASE("closed-form contractive penalties are refused on a deep encoder, naming what works") {
    Autoencoder<double> d = deep<double>({8, 6, 4});
    const std::string closed = error_of([&] { make_term(d, "contractive"); });  // form closed-form by default
    CHECK(contains(closed, "deep: contractive: the closed form applies to an encoder of one dense layer and an activation"));
    CHECK(contains(closed, "this encoder has 4 layers"));
    CHECK(contains(closed, "use form exact"));
    CHECK(contains(error_of([&] { make_term(d, "contractive_h", {{"gamma", "0.1"}}); }),
                   "deep: contractive_h: the closed form applies to an encoder of one dense layer"));
    CHECK(contains(error_of([] { contractive<double>({8, 6, 4}); }), "contractive: contractive: the closed form applies"));
    CHECK_NOTHROW(make_term(d, "contractive", {{"form", "exact"}}));
    CHECK_NOTHROW(make_term(d, "contractive", {{"form", "projected"}}));
    ContractiveOptions c;
    c.form = ContractiveOptions::exact;
    CHECK_NOTHROW(contractive<double>({8, 6, 4}, c));
}

TEST_CASE("autoencoder: layers that do not chain are refused naming the layer and both sizes") {
    CHECK_THROWS_WITH(Autoencoder<double>("chain", Sequence<double>{Dense<double>(4, 3), Dense<double>(5, 2)},
                                          Sequence<double>{Dense<double>(2, 4)}),
                      "chain: encoder.1 (dense 5 2 takes 5 inputs, given 3)");
    CHECK_THROWS_WITH(Autoencoder<double>("chain", Sequence<double>{Dense<double>(4, 3)},
                                          Sequence<double>{Activate<double>(Activation::tanh), Dense<double>(2, 4)}),
                      "chain: decoder.1 (dense 2 4 takes 2 inputs, given 3)");
    CHECK_THROWS_WITH(Autoencoder<double>("chain", Sequence<double>{Dense<double>(4, 3)}, Sequence<double>{Dense<double>(3, 5)}),
                      "chain: the decoder gives 5 outputs for 4 inputs");
    CHECK_THROWS_WITH(Autoencoder<double>("chain", Sequence<double>{Activate<double>(Activation::sigmoid), Dense<double>(4, 3)},
                                          Sequence<double>{Dense<double>(3, 4)}),
                      "chain: the encoder must start with a layer that fixes the input size (dense, conv), not sigmoid");
    CHECK(contains(error_of([] { Autoencoder<double>("chain", Sequence<double>{}, Sequence<double>{Dense<double>(3, 4)}); }),
                   "chain: an autoencoder needs an encoder and a decoder"));
    // One that fits, and data of the wrong size for it.
    Autoencoder<double> fits("chain", Sequence<double>{Dense<double>(4, 3), Activate<double>(Activation::tanh)},
                             Sequence<double>{Dense<double>(3, 4)});
    fits.add_term(make_term(fits, "squared_error"));
    CHECK(fits.visible() == 4);
    CHECK(fits.code_size() == 3);
    const A wrong = random_array(5, 2, 0, 1, 1);
    CHECK(contains(error_of([&] { evaluate(fits.parameters(), fits.loss_fn(wrong), false); }),
                   "chain: the input has 5 rows, the model 4 inputs"));
    const A right = random_array(4, 2, 0, 1, 1);
    CHECK(check_loss(fits.parameters(), fits.loss_fn(right)).metric < 1e-9);
    Autoencoder<double> empty("empty", Sequence<double>{Dense<double>(4, 3)}, Sequence<double>{Dense<double>(3, 4)});
    CHECK_THROWS_WITH(evaluate(empty.parameters(), empty.loss_fn(right), false), "empty: the model has no loss terms");
}

TEST_CASE("autoencoder: a tie to a missing or wrong-shaped weight is refused") {
    const auto encoder = [] { return Sequence<double>{Dense<double>(4, 3), Activate<double>(Activation::sigmoid)}; };
    CHECK_THROWS_WITH(Autoencoder<double>("tie", encoder(), Sequence<double>{TiedDense<double>("encoder.1.W", 3, 4)}),
                      "tie: tied encoder.1.W 3 4 ties to encoder.1.W, which is not a weight of this model");
    CHECK_THROWS_WITH(Autoencoder<double>("tie", encoder(), Sequence<double>{TiedDense<double>("encoder.0.b", 3, 4)}),
                      "tie: tied encoder.0.b 3 4 ties to encoder.0.b, which is not a weight of this model");
    CHECK_THROWS_WITH(Autoencoder<double>("tie",
                                          Sequence<double>{Dense<double>(4, 3), Activate<double>(Activation::sigmoid),
                                                           Dense<double>(3, 3), Activate<double>(Activation::sigmoid)},
                                          Sequence<double>{TiedDense<double>("encoder.2.W", 3, 4)}),
                      "tie: tied encoder.2.W 3 4 needs encoder.2.W of shape (3, 4), it is (3, 3)");
    // The right tie: the decoder reads encoder.0.W transposed and owns only its bias.
    Autoencoder<double> tied("tie", encoder(),
                             Sequence<double>{TiedDense<double>("encoder.0.W", 3, 4), Activate<double>(Activation::sigmoid)});
    tied.add_term(make_term(tied, "cross_entropy"));
    CHECK(tied.parameter_names() == std::vector<std::string>{"encoder.0.W", "encoder.0.b", "decoder.0.b"});
    const A x = random_array(4, 3, 0.05, 0.95, 2);
    b2(tied) = random_array(4, 1, -0.5, 0.5, 3);
    const A h = logistic(mm(W1(tied), x) + b1(tied));
    CHECK(max_abs_diff(tied.reconstruct(x), logistic(mm(tr(W1(tied)), h) + b2(tied))) < 1e-15);
    CHECK(check_loss(tied.parameters(), tied.loss_fn(x)).metric < 1e-9);
}

TEST_CASE("k-sparse: the model's own k schedule, step by step") {
    // k = 3 from k_start = 9 over the first half of 10 steps: round(9 - 6 (step - 1) / 5) for steps
    // 1..5, then 3; step 0 (not training) is the target.
    Autoencoder<double> model = k_sparse<double>({8, 10}, {3, 1, 9}, 4);
    CHECK(model.k() == 3);
    CHECK(model.target_k() == 3);
    CHECK(model.k_start() == 9);
    std::vector<std::size_t> ks;
    for (std::size_t step = 1; step <= 10; ++step) {
        model.at_step(step, 10);
        ks.push_back(model.k());
        CHECK(model.target_k() == 3);
    }
    CHECK(ks == std::vector<std::size_t>{9, 8, 7, 5, 4, 3, 3, 3, 3, 3});
    model.at_step(0, 10);
    CHECK(model.k() == 3);
    // The step's k is the loss's: at step 1 the loss is that of the same model keeping 9 units.
    const A x = random_array(8, 6, -1, 1, 5);
    Autoencoder<double> nine = k_sparse<double>({8, 10}, {9}, 4);
    model.at_step(1, 10);
    CHECK(evaluate(model.parameters(), model.loss_fn(x), false).total ==
          evaluate(nine.parameters(), nine.loss_fn(x), false).total);
    model.at_step(0, 10);
    CHECK(evaluate(model.parameters(), model.loss_fn(x), false).total !=
          evaluate(nine.parameters(), nine.loss_fn(x), false).total);
    // Without k_start there is no schedule.
    Autoencoder<double> fixed = k_sparse<double>({8, 10}, {3});
    fixed.at_step(1, 10);
    CHECK(fixed.k() == 3);
}

TEST_CASE("terms: the table's terms by name and options, and a user's term reading the pass by name") {
    SparseKlOptions s;
    s.rho = 0.1, s.lambda = 1e-3;
    Autoencoder<double> model = sparse_kl<double>({6, 4}, s, 2);
    randomise_biases(model, 5);
    const A x = random_array(6, 5, 0, 1, 6);
    CHECK(model.terms().size() == 3);
    CHECK(model.terms()[2].text == "kl_sparsity rho 0.1 beta 3");
    const NamedTerm<double> kl = make_term(model, "kl_sparsity", {{"rho", "0.1"}, {"beta", "3"}});
    CHECK(kl.name == "kl_sparsity");
    CHECK(kl.text == "kl_sparsity rho 0.1 beta 3");
    CHECK(term_from_text(model, "kl_sparsity beta 3 rho 0.1").text == kl.text);
    CHECK_THROWS_WITH(make_term(model, "kl_sparsity", {{"rho", "1.5"}}), "sparse-kl: kl_sparsity: rho = 1.5 is outside (0, 1)");
    CHECK_THROWS_WITH(make_term(model, "kl_sparsity", {{"lambda", "1"}}),
                      "sparse-kl: kl_sparsity: 'lambda' is not one of its options (rho, beta)");
    CHECK_THROWS_WITH(make_term(model, "nope"),
                      "unknown loss term 'nope'; the terms are squared_error, cross_entropy, weight_decay, kl_sparsity, "
                      "squared_sparsity, contractive, stochastic_contractive, contractive_h");
    CHECK_THROWS_WITH(make_term(model, "contractive_h"), "sparse-kl: contractive_h: gamma is required (gamma: number in (0, inf), required: weight)");
    CHECK_THROWS_WITH(model.add_term(kl), "sparse-kl: a second term called kl_sparsity");
    Autoencoder<double> lin = linear<double>({6, 4});
    CHECK_THROWS_WITH(make_term(lin, "cross_entropy"), "linear: cross-entropy needs a sigmoid decoder, not linear");
    CHECK_THROWS_WITH(make_term(lin, "squared_sparsity"),
                      "linear: squared_sparsity: the code's units must be sigmoid or tanh (a mean activation in [0, 1]), not linear");

    // The same penalties by hand from the pass: what every term sees, by name.
    const Autoencoder<double>* self = &model;
    bool probed = false;
    model.add_term("my_decay", [](const Pass<double>& f) -> Var<double> {
        return weight_decay(Vars<double>{f.params->at("encoder.0.W"), f.params->at("decoder.0.W")}, 1e-3);
    });
    model.add_term("my_kl", [](const Pass<double>& f) -> Var<double> {
        return kl_sparsity(mean_activation(f.code.layers[1], Activation::sigmoid), 0.1, 3.0);
    });
    model.add_term("probe", [&](const Pass<double>& f) -> Var<double> {
        if (probed) return f.x.tape->scalar(0.0);  // once is enough (the gradient check calls it often)
        const Var<double>& W = f.params->at("encoder.0.W");
        CHECK(f.model == self);
        CHECK(max_abs_diff(f.x.value(), x) == 0);
        CHECK(max_abs_diff(f.x_in.value(), x) == 0);  // no corruption
        REQUIRE(f.code.layers.size() == 2);
        CHECK(!f.code.mask);  // no top-k
        CHECK(max_abs_diff(f.code.layers[0].value(), mm(W.value(), x) + f.params->at("encoder.0.b").value()) < 1e-15);
        CHECK(max_abs_diff(f.h.value(), logistic(f.code.layers[0].value())) < 1e-15);
        REQUIRE(f.decoder.size() == 2);
        CHECK(max_abs_diff(f.logits().value(), f.decoder[0].value()) == 0);
        CHECK(max_abs_diff(f.x_hat.value(), logistic(f.logits().value())) < 1e-15);
        CHECK(f.weights.size() == 2);
        CHECK(max_abs_diff(f.encode(f.x_in).h.value(), f.h.value()) == 0);
        CHECK_THROWS_WITH(f.params->at("W1"), "no parameter called W1 (there are: encoder.0.W, encoder.0.b, decoder.0.W, decoder.0.b)");
        probed = true;
        return f.x.tape->scalar(0.0);
    });
    const Evaluation<double> e = evaluate(model.parameters(), model.loss_fn(x));
    CHECK(probed);
    REQUIRE(e.terms.size() == 6);
    CHECK(e.terms[3].first == "my_decay");
    CHECK(e.terms[3].second == e.terms[1].second);  // weight_decay, exactly
    CHECK(std::abs(e.terms[4].second - e.terms[2].second) < 1e-15 * e.terms[2].second);  // kl_sparsity
    CHECK(e.terms[2].second > 0);
    CHECK(check_loss(model.parameters(), model.loss_fn(x)).metric < 1e-9);
    // A user's function cannot be written to a model file, and says so.
    CHECK(contains(error_of([&] { model.text(); }), "the term my_decay is a function of its own"));
}
