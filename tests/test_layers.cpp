// tests/test_layers.cpp: the zoo's building blocks: activations, dense and tied layers, corruptions,
// top-k, loss terms and named parameters.
#include <doctest/doctest.h>

#include <cmath>

#include <xtensor/xview.hpp>

#include "util/check.hpp"
#include "autodiff/ops.hpp"
#include "layers/activation.hpp"
#include "layers/dense.hpp"
#include "layers/sequence.hpp"
#include "transforms/corruption.hpp"
#include "terms/losses.hpp"
#include "layers/params.hpp"
#include "transforms/top_k.hpp"
#include "tests/zoo_helpers.hpp"

using namespace ae;
using namespace zoo_test;

TEST_CASE("activations: gradients match central differences and activation_derivative") {
    // Entries at least 0.1 away from relu's kink at 0.
    A z = random_array(4, 5, 0.1, 2.0, 1) * xt::where(random_array(4, 5, -1, 1, 2) > 0, 1.0, -1.0);
    for (Activation f : {Activation::linear, Activation::sigmoid, Activation::tanh, Activation::relu}) {
        INFO(name_of(f));
        Function F = [f](const Vars<double>& in) { return activate(in[0], f); };
        CHECK(check_gradient(project(F, {z}), {z}).metric < 1e-9);
        Tape<double> tape;
        const Var<double> zv = tape.leaf(z);
        const Var<double> h = activate(zv, f);
        CHECK(max_abs_diff(grad(sum(h), {zv})[0].value(), activation_derivative(zv, h, f).value()) < 1e-15);
    }
}

TEST_CASE("dense and tied layers: shapes and values and gradients") {
    const A W = random_array(3, 5, -1, 1, 3), b = random_array(3, 1, -1, 1, 4), c = random_array(5, 1, -1, 1, 5);
    const A x = random_array(5, 7, 0, 1, 6), h = random_array(3, 7, 0, 1, 7);
    Tape<double> tape;
    const Var<double> Wv = tape.leaf(W), bv = tape.leaf(b), cv = tape.leaf(c), xv = tape.leaf(x), hv = tape.leaf(h);
    const Var<double> y = activate(affine(Wv, xv, bv), Activation::sigmoid);
    CHECK(y.shape() == Shape{3, 7});
    CHECK(max_abs_diff(y.value(), logistic(mm(W, x) + b)) < 1e-15);
    const Var<double> r = activate(affine(Wv, hv, cv, /*tw=*/true), Activation::tanh);
    CHECK(r.shape() == Shape{5, 7});
    CHECK(max_abs_diff(r.value(), xt::tanh(mm(tr(W), h) + c)) < 1e-15);
    Function F = [](const Vars<double>& in) {
        const Var<double> code = activate(affine(in[0], in[3], in[2]), Activation::sigmoid);
        return activate(affine(in[0], code, in[1], /*tw=*/true), Activation::sigmoid);
    };
    CHECK(check_gradient(project(F, {W, c, b, x}), {W, c, b, x}).metric < 1e-9);

    // The layers: Dense reads its own W and b, TiedDense the W it names, transposed, and its own b.
    const Dense<double> dense(5, 3);
    CHECK(shape_of(dense.W) == Shape{3, 5});
    CHECK(shape_of(dense.b) == Shape{3, 1});
    CHECK(dense.text() == "dense 5 3");
    CHECK(dense.output_size(5) == 3);
    CHECK_THROWS_WITH(dense.output_size(4), "dense 5 3 takes 5 inputs, given 4");
    const TiedDense<double> tied("enc.W", 3, 5);
    CHECK(shape_of(tied.b) == Shape{5, 1});
    CHECK(tied.text() == "tied enc.W 3 5");
    CHECK(tied.output_size(3) == 5);
    CHECK_THROWS_WITH(tied.output_size(5), "tied enc.W 3 5 takes 3 inputs, given 5");
    CHECK(tied.uses() == std::vector<std::pair<std::string, Shape>>{{"enc.W", Shape{3, 5}}});
    const std::vector<std::string> names = {"enc.W", "enc.b", "dec.b"};
    const Vars<double> vars = {Wv, bv, cv};
    const Bound<double> bound(names, vars);
    CHECK(max_abs_diff(activate(dense.forward(xv, bound.in("enc")), Activation::sigmoid).value(), y.value()) == 0);
    CHECK(max_abs_diff(activate(tied.forward(hv, bound.in("dec")), Activation::tanh).value(), r.value()) == 0);
    CHECK_THROWS_WITH(bound.at("enc.c"), "no parameter called enc.c (there are: enc.W, enc.b, dec.b)");
    Function G = [&dense, &tied, &names](const Vars<double>& in) {
        const Vars<double> p = {in[0], in[2], in[1]};
        const Bound<double> on(names, p);
        const Var<double> code = Activate<double>(Activation::sigmoid).forward(dense.forward(in[3], on.in("enc")), on);
        return activate(tied.forward(code, on.in("dec")), Activation::sigmoid);
    };
    CHECK(max_abs_diff(G({Wv, cv, bv, xv}).value(), F({Wv, cv, bv, xv}).value()) == 0);
    CHECK(check_gradient(project(G, {W, c, b, x}), {W, c, b, x}).metric < 1e-9);
}

TEST_CASE("sequence: hierarchical parameter names, and a copy owns its arrays") {
    Sequence<double> s{Dense<double>(6, 4), Activate<double>(Activation::tanh), Dense<double>(4, 2),
                       Activate<double>(Activation::sigmoid)};
    CHECK(s.size() == 4);
    CHECK(s.text() == std::vector<std::string>{"dense 6 4", "tanh", "dense 4 2", "sigmoid"});
    CHECK(s.output_size(6, "encoder") == 2);
    CHECK_THROWS_WITH(s.output_size(5, "encoder"), "encoder.0 (dense 6 4 takes 6 inputs, given 5)");
    const ParamList<double> p = s.parameters("encoder");
    std::vector<std::string> names;
    for (const Named<double>& n : p) names.push_back(n.name);
    CHECK(names == std::vector<std::string>{"encoder.0.W", "encoder.0.b", "encoder.2.W", "encoder.2.b"});
    CHECK(p[0].weight);
    CHECK(!p[1].weight);
    CHECK(p[2].weight);
    CHECK(!p[3].weight);
    CHECK(shape_of(find(p, "encoder.2.W")) == Shape{2, 4});
    std::mt19937_64 rng(3);
    s.initialize(rng);
    CHECK(max_abs(find(p, "encoder.0.W")) > 0);

    Sequence<double> copy = s;
    const ParamList<double> q = copy.parameters("encoder");
    for (std::size_t i = 0; i < p.size(); ++i) {
        CHECK(q[i].name == p[i].name);
        CHECK(q[i].array != p[i].array);  // its own arrays ...
        CHECK(max_abs_diff(*q[i].array, *p[i].array) == 0);  // ... with the same values
    }
    find(q, "encoder.0.W").fill(7.0);
    CHECK(find(p, "encoder.0.W")(0, 0) != 7.0);  // writing the copy leaves the original alone
    Sequence<double> assigned;
    assigned = s;
    CHECK(assigned.parameters("encoder")[0].array != p[0].array);
    CHECK(max_abs_diff(*assigned.parameters("encoder")[0].array, *p[0].array) == 0);

    // The same layers from their text.
    const Sequence<double> read = sequence_from_text<double>(s.text());
    CHECK(read.text() == s.text());
    CHECK_THROWS_WITH(layer_from_text<double>("dense 3"), "layer 'dense 3': dense takes two positive sizes");
}

TEST_CASE("sequence in place: an activation overwrites the dense output before it, and no gradient bit changes") {
    Sequence<double> s{Dense<double>(6, 5), Activate<double>(Activation::sigmoid), Dense<double>(5, 4),
                       Activate<double>(Activation::tanh),    Dense<double>(4, 3), Activate<double>(Activation::relu),
                       Dense<double>(3, 3), Activate<double>(Activation::softplus)};
    std::mt19937_64 rng(5);
    s.initialize(rng);
    const ParamList<double> p = s.parameters("s");
    const A x = random_array(6, 7, -1, 1, 4);
    std::vector<std::string> names;
    for (const Named<double>& n : p) names.push_back(n.name);
    // The values, first- and second-order gradients and the tape's memory of one pass.
    auto run = [&](bool in_place, std::vector<A>& values, std::size_t& bytes) {
        Tape<double> tape;
        Vars<double> v;
        for (const Named<double>& n : p) v.push_back(tape.borrow(*n.array));
        const Vars<double> out = s.forward(tape.borrow(x), Bound<double>(names, v), "s", in_place);
        const Var<double> loss = sum_squares(out.back());
        const Vars<double> g = grad(loss, v, true);
        const Vars<double> gg = grad(sum_squares(g[0]) + sum_squares(g[4]), v);
        values = {loss.value()};
        for (const Var<double>& e : g) values.push_back(e.value());
        for (const Var<double>& e : gg) values.push_back(e.value());
        bytes = tape.bytes();
        if (in_place) {  // the dense outputs before sigmoid, tanh and relu are gone, softplus's is not
            CHECK_THROWS_WITH(out[0].value(), "value: this Var's value (made by affine) was overwritten in place by sigmoid, which read it last");
            CHECK_THROWS_WITH(exp(out[2]), doctest::Contains("overwritten in place by tanh"));
            CHECK_THROWS_WITH(grad(loss, {out[4]}), doctest::Contains("overwritten in place by relu"));
            CHECK(out[6].value().size() == 21);
        }
    };
    std::vector<A> kept, overwritten;
    std::size_t kept_bytes = 0, overwritten_bytes = 0;
    run(false, kept, kept_bytes);
    run(true, overwritten, overwritten_bytes);
    REQUIRE(kept.size() == overwritten.size());
    for (std::size_t i = 0; i < kept.size(); ++i) CHECK(max_abs_diff(kept[i], overwritten[i]) == 0);
    CHECK(overwritten_bytes < kept_bytes);
}

TEST_CASE("mirror: a three-layer stack's decoder, untied and tied") {
    const Sequence<double> e = dense_stack<double>({8, 6, 4, 3}, {Activation::tanh, Activation::sigmoid, Activation::linear});
    CHECK(e.text() == std::vector<std::string>{"dense 8 6", "tanh", "dense 6 4", "sigmoid", "dense 4 3", "linear"});
    const Sequence<double> d = mirror(e, "encoder", false, Activation::sigmoid);
    // Dense layers in reverse, shapes transposed; each followed by the activation of what it
    // reconstructs, the last by the output's.
    CHECK(d.text() == std::vector<std::string>{"dense 3 4", "sigmoid", "dense 4 6", "tanh", "dense 6 8", "sigmoid"});
    CHECK(d.output_size(3, "decoder") == 8);
    const Sequence<double> t = mirror(e, "encoder", true, Activation::linear);
    CHECK(t.text() == std::vector<std::string>{"tied encoder.4.W 3 4", "sigmoid", "tied encoder.2.W 4 6", "tanh",
                                               "tied encoder.0.W 6 8", "linear"});
    CHECK(t.output_size(3, "decoder") == 8);
    const auto* first = dynamic_cast<const TiedDense<double>*>(&t[0]);
    REQUIRE(first != nullptr);
    CHECK(first->weight() == "encoder.4.W");
    CHECK(first->uses() == std::vector<std::pair<std::string, Shape>>{{"encoder.4.W", Shape{3, 4}}});
    Sequence<double> tt = t;
    std::vector<std::string> names;
    for (const Named<double>& n : tt.parameters("decoder")) names.push_back(n.name);
    CHECK(names == std::vector<std::string>{"decoder.0.b", "decoder.2.b", "decoder.4.b"});  // the weights are the encoder's
    CHECK_THROWS_WITH(mirror(Sequence<double>{Activate<double>(Activation::tanh)}, "encoder", false, Activation::sigmoid),
                      "mirror: encoder.0 (tanh) is not a dense or conv layer, a pooling after one, or the activation after one");
}

TEST_CASE("uniform initialisation: entries within UFLDL's radius") {
    const double r = ufldl_radius(25, 64);
    CHECK(std::abs(r - std::sqrt(6.0) / std::sqrt(90.0)) < 1e-15);
    std::mt19937_64 rng(1);
    const A W = uniform<double>(25, 64, r, rng);
    CHECK(max_abs(W) <= r);
    CHECK(max_abs(W) > 0.9 * r);
    CHECK(std::abs(xt::mean(W)()) < 4 * r / std::sqrt(3.0 * 1600));  // 4 standard errors
}

namespace {
double fraction(const A& a) { return xt::sum(a)() / double(a.size()); }
}  // namespace

TEST_CASE("masking noise: each input set to 0 with probability q and the rest kept") {
    const A x = random_array(40, 250, 0.1, 1, 8);  // no zeros of its own
    const double q = 0.3, n = double(x.size()), se = std::sqrt(q * (1 - q) / n);
    ExampleNoise rng(9, 0);
    const Noise<double> noise = draw_noise<double>(masking_noise(q), {40, 250}, rng);
    const A y = corrupt(x, noise);
    const A zeroed = xt::where(xt::equal(y, 0.0), 1.0, 0.0);
    CHECK(std::abs(fraction(zeroed) - q) < 4 * se);
    CHECK(max_abs_diff(y * (1.0 - zeroed), x * (1.0 - zeroed)) == 0);  // the rest is untouched
    ExampleNoise again(9, 0);
    CHECK(max_abs_diff(corrupt(x, draw_noise<double>(masking_noise(q), {40, 250}, again)), y) == 0);
    ExampleNoise other(9, 0);
    CHECK(max_abs_diff(corrupt(x, draw_noise<double>(masking_noise(0), {40, 250}, other)), x) == 0);
    // Drawn per example: a shard of the batch (columns 100 to 179) gets the whole batch's columns,
    // and a second draw is new noise.
    ExampleNoise shard(9, 100);
    const Noise<double> part = draw_noise<double>(masking_noise(q), {40, 80}, shard);
    CHECK(max_abs_diff(part.keep, xt::view(noise.keep, xt::all(), xt::range(100, 180))) == 0);
    CHECK(max_abs_diff(draw_noise<double>(masking_noise(q), {40, 80}, shard).keep, part.keep) > 0);
}

TEST_CASE("gaussian noise: mean 0 and standard deviation sigma") {
    const A x = random_array(40, 250, 0, 1, 10);
    ExampleNoise rng(11, 0);
    const A e = corrupt(x, draw_noise<double>(gaussian_noise(0.2), {40, 250}, rng)) - x;
    const double n = double(e.size());
    CHECK(std::abs(xt::mean(e)()) < 4 * 0.2 / std::sqrt(n));
    CHECK(std::abs(xt::stddev(e)() - 0.2) < 4 * 0.2 / std::sqrt(2 * n));
}

TEST_CASE("salt and pepper: a fraction nu set to low or high by a fair coin") {
    const A x = random_array(40, 250, 0.2, 0.8, 12);
    const double nu = 0.2, n = double(x.size());
    ExampleNoise rng(13, 0);
    const A y = corrupt(x, draw_noise<double>(salt_and_pepper(nu, -1, 2), {40, 250}, rng));
    const A low = xt::where(xt::equal(y, -1.0), 1.0, 0.0), high = xt::where(xt::equal(y, 2.0), 1.0, 0.0);
    CHECK(std::abs(fraction(low + high) - nu) < 4 * std::sqrt(nu * (1 - nu) / n));
    CHECK(std::abs(fraction(low) - nu / 2) < 4 * std::sqrt(nu / 2 * (1 - nu / 2) / n));
    const A kept = 1.0 - low - high;
    CHECK(max_abs_diff(y * kept, x * kept) == 0);
}

TEST_CASE("corruption on the tape: constants and the gradient reaches the clean input") {
    const A x = random_array(6, 8, 0, 1, 14);
    ExampleNoise rng(15, 0);
    const Noise<double> noise = draw_noise<double>(salt_and_pepper(0.4), {6, 8}, rng);
    Tape<double> tape;
    const Var<double> xv = tape.leaf(x);
    const Var<double> y = corrupt(xv, noise);
    CHECK(max_abs_diff(y.value(), corrupt(x, noise)) == 0);
    CHECK(max_abs_diff(grad(sum(y), {xv})[0].value(), noise.keep) == 0);
}

TEST_CASE("corruption: out-of-range levels are rejected with the parameter and the range") {
    CHECK_THROWS_WITH(validate(masking_noise(1.0), "denoising"), "denoising: q = 1 is outside [0, 1)");
    CHECK_THROWS_WITH(validate(masking_noise(-0.1), "denoising"), "denoising: q = -0.1 is outside [0, 1)");
    CHECK_THROWS_WITH(validate(gaussian_noise(-2), "denoising"), "denoising: sigma = -2 is outside [0, inf)");
    CHECK_THROWS_WITH(validate(salt_and_pepper(1.5), "denoising"), "denoising: nu = 1.5 is outside [0, 1]");
    CHECK_THROWS_WITH(validate(gaussian_noise(NAN), "denoising"), "denoising: sigma = nan is outside [0, inf)");
    CHECK_NOTHROW(validate(salt_and_pepper(1.0), "denoising"));
}

TEST_CASE("top-k: keeps the k largest entries of each column") {
    const A z = random_array(8, 20, -1, 1, 16);
    for (std::size_t k : {1, 3, 8}) {
        const A mask = top_k_mask(z, k);
        for (std::size_t t = 0; t < 20; ++t) {
            double kept_min = INFINITY, dropped_max = -INFINITY, count = 0;
            for (std::size_t j = 0; j < 8; ++j) {
                if (mask(j, t) == 1) kept_min = std::min(kept_min, z(j, t)), ++count;
                else dropped_max = std::max(dropped_max, z(j, t));
            }
            CHECK(count == double(k));
            CHECK(kept_min > dropped_max);
        }
    }
    const A ties = {{1.0}, {2.0}, {2.0}, {0.5}};
    CHECK(max_abs_diff(top_k_mask(ties, 1), A{{0.0}, {1.0}, {0.0}, {0.0}}) == 0);  // lower row wins
    CHECK(top_k_gap(ties, 1) == 0);
    CHECK(top_k_gap(ties, 2) == 1.0);
    CHECK(std::isinf(top_k_gap(ties, 4)));
    CHECK_THROWS_AS(top_k_mask(ties, 5), std::invalid_argument);
}

TEST_CASE("top-k: the gradient flows only through the kept units") {
    const A z = random_array(6, 4, -1, 1, 17);
    const A mask = top_k_mask(z, 2);
    Tape<double> tape;
    const Var<double> zv = tape.leaf(z);
    const Var<double> h = zv * tape.leaf(mask);
    CHECK(max_abs_diff(grad(sum(square(h)), {zv})[0].value(), 2.0 * z * mask) < 1e-15);
}

TEST_CASE("k schedule: from k_start down to the target over the first half of the steps") {
    CHECK(k_schedule(0, 100, 100, 10) == 100);
    CHECK(k_schedule(25, 100, 100, 10) == 55);
    CHECK(k_schedule(50, 100, 100, 10) == 10);
    CHECK(k_schedule(99, 100, 100, 10) == 10);
    CHECK(k_schedule(10, 100, 5, 10) == 10);  // no schedule upwards
}

TEST_CASE("squared error and cross-entropy: values by hand and cross-entropy finite at any logit") {
    const A x = random_array(5, 4, 0, 1, 18), a = random_array(5, 4, -3, 3, 19);
    const A p = logistic(a);
    Tape<double> tape;
    const Var<double> av = tape.leaf(a), xv = tape.leaf(x);
    CHECK(std::abs(item(squared_error(av, xv)) - 0.5 * xt::sum(xt::square(a - x))() / 4) < 1e-14);
    const double naive = -xt::sum(x * xt::log(p) + (1.0 - x) * xt::log(1.0 - p))() / 4;
    const Var<double> ce = cross_entropy_logits(av, xv);
    CHECK(std::abs(item(ce) - naive) < 1e-13);
    CHECK(max_abs_diff(grad(ce, {av})[0].value(), (p - x) / 4.0) < 1e-15);
    const A extreme = {{1000.0, -1000.0}};
    const A target = {{0.0, 1.0}};
    const Var<double> e = cross_entropy_logits(tape.leaf(extreme), tape.leaf(target));
    CHECK(std::abs(item(e) - 1000.0) < 1e-9);  // (1000 + 1000) / 2 examples, no inf, no NaN
}

TEST_CASE("weight decay: lambda/2 times the sum of squared weights") {
    const A W1 = random_array(3, 4, -1, 1, 20), W2 = random_array(4, 3, -1, 1, 21);
    Tape<double> tape;
    const Var<double> a = tape.leaf(W1), b = tape.leaf(W2);
    const Var<double> wd = weight_decay(Vars<double>{a, b}, 0.1);
    CHECK(std::abs(item(wd) - 0.05 * (xt::sum(W1 * W1)() + xt::sum(W2 * W2)())) < 1e-14);
    CHECK(max_abs_diff(grad(wd, {a})[0].value(), 0.1 * W1) < 1e-15);
}

TEST_CASE("KL sparsity: a mean activation of exactly 0 or 1 is clamped and stays finite") {
    const A rho_hat = {{0.0}, {1.0}, {0.3}};
    Tape<double> tape;
    const Var<double> r = tape.leaf(rho_hat);
    const Var<double> kl = kl_sparsity(r, 0.05, 3.0);
    const A g = grad(kl, {r})[0].value();
    const double eps = std::numeric_limits<double>::epsilon(), rho = 0.05;
    auto KL = [rho](double p) { return rho * std::log(rho / p) + (1 - rho) * std::log((1 - rho) / (1 - p)); };
    CHECK(std::isfinite(item(kl)));
    CHECK(std::abs(item(kl) - 3 * (KL(eps) + KL(1 - eps) + KL(0.3))) < 1e-12 * item(kl));
    CHECK(xt::all(xt::isfinite(g)));
    CHECK(g(0, 0) < 0);  // pushes rho_hat up from 0 ...
    CHECK(g(1, 0) > 0);  // ... and down from 1
    CHECK(std::abs(g(2, 0) - 3 * (-rho / 0.3 + (1 - rho) / 0.7)) < 1e-13);  // untouched inside
    Tape<float> ftape;  // float: the clamp uses float's epsilon
    const Var<float> fr = ftape.leaf(Array<float>{{0.0f}, {1.0f}});
    const Var<float> fkl = kl_sparsity(fr, 0.05, 3.0);
    CHECK(std::isfinite(item(fkl)));
    CHECK(xt::all(xt::isfinite(grad(fkl, {fr})[0].value())));
}

TEST_CASE("squared sparsity and mean activation: values and gradients") {
    const A h = random_array(4, 6, -1, 1, 22);
    Tape<double> tape;
    const Var<double> hv = tape.leaf(h);
    CHECK(max_abs_diff(mean_activation(hv, Activation::tanh).value(), row_mean((h + 1.0) / 2.0)) < 1e-15);
    CHECK(max_abs_diff(mean_activation(hv, Activation::sigmoid).value(), row_mean(h)) < 1e-15);
    const A rho_hat = random_array(4, 1, 0, 1, 23);
    const Var<double> r = tape.leaf(rho_hat);
    const Var<double> s = squared_sparsity(r, 0.1, 2.0);
    CHECK(std::abs(item(s) - xt::sum(xt::square(rho_hat - 0.1))()) < 1e-15);
    CHECK(max_abs_diff(grad(s, {r})[0].value(), 2.0 * (rho_hat - 0.1)) < 1e-15);
}

TEST_CASE("softmax cross-entropy: the gradient is (softmax - y) / m") {
    const A logits = random_array(3, 5, -2, 2, 24);
    const A y = one_hot<double>({0, 2, 1, 1, 0}, 3);
    CHECK(y(2, 1) == 1);
    CHECK(xt::sum(y)() == 5);
    Tape<double> tape;
    const Var<double> l = tape.leaf(logits);
    const Var<double> loss = softmax_cross_entropy(l, tape.leaf(y));
    const A column_sums = xt::sum(xt::exp(logits), {0}, xt::keep_dims);  // evaluated: see zoo_helpers.hpp
    const A p = xt::exp(logits) / column_sums;
    CHECK(std::abs(item(loss) + xt::sum(y * xt::log(p))() / 5) < 1e-14);
    CHECK(max_abs_diff(grad(loss, {l})[0].value(), (p - y) / 5.0) < 1e-15);
    CHECK_THROWS_AS(one_hot<double>({0, 3}, 3), std::invalid_argument);
}

TEST_CASE("named parameters: flatten and unflatten in list order") {
    A W = {{1.0, 2.0}, {3.0, 4.0}}, b = {{5.0}, {6.0}};
    const ParamList<double> params = {{"W", &W}, {"b", &b}};
    CHECK(parameter_count(params) == 6);
    const Vector v = flatten(params);
    for (std::size_t i = 0; i < 6; ++i) CHECK(v(i) == double(i + 1));  // row-major, W then b
    unflatten(Vector(2.0 * v), params);
    CHECK(W(1, 0) == 6.0);
    CHECK(b(1, 0) == 12.0);
    CHECK(&find(params, "b") == &b);
    CHECK_THROWS_WITH(find(params, "c"), "no parameter called c (there are: W, b)");
    CHECK_THROWS_AS(unflatten(Vector::from_shape({5}), params), std::invalid_argument);
    // Gradients (owned arrays) flatten alike, into a vector that is reused when its size fits.
    Vector out = Vector::from_shape({6});
    const double* buffer = out.data();
    flatten(std::vector<A>{W, b}, out);
    CHECK(out == flatten(params));
    CHECK(out.data() == buffer);
}

TEST_CASE("range checks: open and closed ends and NaN always outside") {
    CHECK_THROWS_WITH(check_range("sparse-kl", "rho", 1.5, '(', 0, 1, ')'), "sparse-kl: rho = 1.5 is outside (0, 1)");
    CHECK_THROWS_WITH(check_range("m", "rho", 0, '(', 0, 1, ')'), "m: rho = 0 is outside (0, 1)");
    CHECK_NOTHROW(check_range("m", "q", 0, '[', 0, 1, ')'));
    CHECK_THROWS(check_range("m", "q", NAN, '[', 0, 1, ']'));
}
