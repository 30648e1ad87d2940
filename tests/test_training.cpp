// tests/test_training.cpp: models that must learn something: k-sparse with k = hidden is the
// linear tied autoencoder, the linear autoencoder finds the principal subspace, and the stacked
// autoencoder goes through pretraining, a softmax head and fine-tuning. The loops are plain
// gradient descent (zoo_helpers.hpp's descend), standing in for the optimiser engineer's trainers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xview.hpp>

#include "terms/losses.hpp"
#include "transforms/top_k.hpp"
#include "models/basic.hpp"
#include "models/k_sparse.hpp"
#include "models/model.hpp"
#include "optim/recipes.hpp"
#include "tests/zoo_helpers.hpp"

using namespace ae;
using namespace zoo_test;

TEST_CASE("k-sparse: with k equal to the hidden size it is the linear tied autoencoder") {
    Autoencoder<double> ks = k_sparse<double>({7, 4}, {4}, 3);
    Autoencoder<double> lin = basic<double>({7, 4}, {Activation::linear, Reconstruction::squared_error, /*tied=*/true}, 3);
    const ParamList<double> kp = ks.parameters(), lp = lin.parameters();
    find(kp, "encoder.0.b") = find(lp, "encoder.0.b") = random_array(4, 1, -0.5, 0.5, 1);
    find(kp, "decoder.0.b") = find(lp, "decoder.0.b") = random_array(7, 1, -0.5, 0.5, 2);
    CHECK(max_abs_diff(find(kp, "encoder.0.W"), find(lp, "encoder.0.W")) == 0);  // same seed, same initialisation
    const A x = random_array(7, 9, -1, 1, 3);
    const Evaluation<double> a = evaluate(ks.parameters(), ks.loss_fn(x));
    const Evaluation<double> b = evaluate(lin.parameters(), lin.loss_fn(x));
    CHECK(a.total == b.total);
    for (std::size_t i = 0; i < 3; ++i) CHECK(max_abs_diff(a.gradient[i], b.gradient[i]) == 0);
    CHECK(max_abs_diff(ks.encode(x), lin.encode(x)) == 0);
    // And with k < hidden it is not: the selection changes the loss and zeroes unselected units.
    ks.keep_top_k(1);
    CHECK(evaluate(ks.parameters(), ks.loss_fn(x), false).total != b.total);
    const A codes = ks.reconstruct(x);
    CHECK(max_abs_diff(codes, lin.reconstruct(x)) > 1e-3);
}

TEST_CASE("k-sparse: unselected units get no gradient and encode keeps alpha k and the schedule sets k") {
    KSparseOptions o;
    o.k = 2, o.alpha = 2, o.k_start = 6;
    Autoencoder<double> model = k_sparse<double>({8, 6}, o, 5);
    model.at_step(1, 100);
    CHECK(model.k() == 6);  // the schedule starts at k_start
    model.at_step(51, 100);  // step 51 of 100 (1-based): half the steps done
    CHECK(model.k() == 2);
    model.at_step(0, 0);  // not training: the target
    CHECK(model.k() == 2);
    const A x = random_array(8, 10, -1, 1, 6);
    const A codes = model.encode(x);
    for (std::size_t t = 0; t < 10; ++t) CHECK(xt::sum(xt::not_equal(xt::view(codes, xt::all(), t), 0.0))() == 4);
    // k = 1 on one example: only the selected unit's row of W1 (encoder and tied decoder) and
    // bias get a gradient.
    model.keep_top_k(1);
    const A one = xt::view(x, xt::all(), xt::range(0, 1));
    const ParamList<double> params = model.parameters();
    const A mask = top_k_mask<double>(mm(find(params, "encoder.0.W"), one) + find(params, "encoder.0.b"), 1);
    const Evaluation<double> e = evaluate(model.parameters(), model.loss_fn(one));
    for (std::size_t j = 0; j < 6; ++j) {
        const double row = xt::amax(xt::abs(xt::view(e.gradient[0], j, xt::all())))();
        if (mask(j, 0) == 1) CHECK(row > 1e-6);
        else CHECK(row == 0);
        CHECK((e.gradient[1](j, 0) == 0) == (mask(j, 0) == 0));
    }
}

namespace {

// Data with a clear spectrum: 6 dimensions, variances 9, 6, 4 | 0.3, 0.2, 0.1 along random
// orthogonal directions, around a non-zero mean; m examples as columns.
A spectral_data(std::size_t m) {
    const A R = std::get<0>(xt::linalg::svd(random_array(6, 6, -1, 1, 120)));  // a random rotation
    const A scales = {{3.0}, {std::sqrt(6.0)}, {2.0}, {std::sqrt(0.3)}, {std::sqrt(0.2)}, {std::sqrt(0.1)}};
    std::mt19937_64 rng(121);
    std::normal_distribution<double> normal;
    A Z = A::from_shape({6, m});
    for (double& z : Z) z = normal(rng);
    const A mean = random_array(6, 1, -2, 2, 122);
    const A scaled = Z * scales;
    return mm(R, scaled) + mean;
}

}  // namespace

TEST_CASE("linear autoencoder: it learns the principal subspace (PCA)") {
    const std::size_t m = 200, k = 3;
    const A X = spectral_data(m);
    // PCA by SVD of the centred data: eigenvalues of the covariance (1/m) Xc Xc^T are s^2 / m.
    const A mean = row_mean(X);
    const A Xc = X - mean;
    const auto [U, s, Vt] = xt::linalg::svd(Xc, /*full_matrices=*/false);
    const A Uk = xt::view(U, xt::all(), xt::range(0, k));
    double discarded = 0;
    for (std::size_t i = k; i < 6; ++i) discarded += s(i) * s(i) / double(m);

    Autoencoder<double> model = linear<double>({6, k}, 7);
    const LossFn<double> loss = model.loss_fn(X);

    // The documents' optimum W1 = Uk^T, W2 = Uk (biases centre the data) is a stationary point
    // whose error (1/m) sum ||x - x_hat||^2 is the sum of the discarded eigenvalues.
    Autoencoder<double> pca = model;
    const ParamList<double> pp = pca.parameters();
    find(pp, "encoder.0.W") = tr(Uk), find(pp, "decoder.0.W") = Uk;
    find(pp, "encoder.0.b") = -mm(tr(Uk), mean), find(pp, "decoder.0.b") = mean;
    const Evaluation<double> at_pca = evaluate(pca.parameters(), pca.loss_fn(X));
    CHECK(std::abs(2 * at_pca.total - discarded) < 1e-12 * discarded);
    for (const A& g : at_pca.gradient) CHECK(max_abs(g) < 1e-12);

    // Training from UFLDL's random initialisation, by gradient descent with momentum.
    const double before = evaluate(model.parameters(), loss, false).total;
    const double after = descend(model.parameters(), loss, 1500, 0.02, 0.9);
    const Evaluation<double> e = evaluate(model.parameters(), loss);
    double gmax = 0;
    for (const A& g : e.gradient) gmax = std::max(gmax, max_abs(g));

    // Principal angles between span(W2) and span(Uk): sin(theta) are the singular values of
    // (I - Uk Uk^T) Q with Q an orthonormal basis of span(W2).
    const A Q = xt::view(std::get<0>(xt::linalg::svd(find(model.parameters(), "decoder.0.W"), false)), xt::all(), xt::range(0, k));
    const A residual = Q - mm(Uk, mm(tr(Uk), Q));
    const auto sines = std::get<1>(xt::linalg::svd(residual, false, true));
    const double theta = std::asin(std::min(1.0, double(xt::amax(sines)())));
    const double error = 2 * after;  // (1/m) sum ||x - x_hat||^2
    MESSAGE("linear AE: loss " << before << " -> " << after << ", largest principal angle " << theta
                               << " rad, error " << error << " vs discarded eigenvalues " << discarded
                               << " (relative " << std::abs(error - discarded) / discarded << "), max gradient " << gmax);
    CHECK(theta < 1e-3);
    CHECK(std::abs(error - discarded) < 1e-6 * discarded);
}

namespace {

double accuracy(const std::vector<std::size_t>& predicted, const std::vector<std::size_t>& labels) {
    std::size_t right = 0;
    for (std::size_t t = 0; t < labels.size(); ++t) right += predicted[t] == labels[t];
    return double(right) / double(labels.size());
}

}  // namespace

TEST_CASE("stacked autoencoder: greedy pretraining then a softmax head then fine-tuning") {
    // Three classes in 10 dimensions around means in [0.2, 0.8], noise 0.1, clipped to [0, 1].
    const std::size_t m = 150, classes = 3;
    const A mu = random_array(10, classes, 0.2, 0.8, 130);
    std::mt19937_64 rng(131);
    std::normal_distribution<double> noise(0.0, 0.1);
    std::vector<std::size_t> labels(m);
    A X = A::from_shape({10, m});
    for (std::size_t t = 0; t < m; ++t) {
        labels[t] = t % classes;
        for (std::size_t i = 0; i < 10; ++i) X(i, t) = std::clamp(mu(i, labels[t]) + noise(rng), 0.0, 1.0);
    }
    const A Y = one_hot<double>(labels, classes);
    // Sparse layers with rho 0.1, beta 3, lambda 1e-4; the head's weight decay 1e-4.
    Model<double> stack(ModelSpec{"stacked", {10, 8, 5},
                                  {{"classes", std::to_string(classes)}, {"rho", "0.1"}, {"beta", "3"},
                                   {"lambda", "1e-4"}, {"head-lambda", "1e-4"}},
                                  1});
    REQUIRE(stack.head() != nullptr);
    const std::size_t stages = 2;

    // Greedy layer-wise pretraining: layer i (its own one-layer autoencoder) learns to reconstruct
    // the codes of layer i - 1; its trained parameters go back into the deep network.
    std::ostringstream layers;
    A data = X;
    const ParamList<double> net = stack.network().parameters();
    for (std::size_t i = 0; i < stages; ++i) {
        Autoencoder<double> layer = stage_autoencoder(stack, i);
        const double before = evaluate(layer.parameters(), layer.loss_fn(data), false).total;
        const double after = descend(layer.parameters(), layer.loss_fn(data), 400, 0.5, 0.9);
        INFO("layer " << i + 1 << ": " << before << " -> " << after);
        layers << " layer " << i + 1 << " " << before << " -> " << after << ";";
        CHECK(after < 0.7 * before);
        const ParamList<double> own = layer.parameters();
        const std::string e = "encoder." + std::to_string(2 * i) + ".", d = "decoder." + std::to_string(2 * (stages - 1 - i)) + ".";
        find(net, e + "W") = find(own, "encoder.0.W"), find(net, e + "b") = find(own, "encoder.0.b");
        find(net, d + "W") = find(own, "decoder.0.W"), find(net, d + "b") = find(own, "decoder.0.b");
        data = layer.encode(data);
    }
    // The softmax head on the top codes, the encoders frozen.
    const A features = stack.network().encode(X);
    CHECK(max_abs_diff(features, data) < 1e-15);  // the deep encoder is the pretrained layers in a row
    SoftmaxRegression<double>& head = *stack.head();
    const double head_before = evaluate(head.parameters(), head.loss_fn(features, Y), false).total;
    const double head_after = descend(head.parameters(), head.loss_fn(features, Y), 400, 0.5, 0.9);
    const double pretrained = accuracy(stack.predict(X), labels);
    // Fine-tuning: encoders and head together, on the classification loss.
    const LossFn<double> fine = stack.classifier_loss_fn(X, Y);
    const double fine_before = evaluate(stack.classifier_parameters(), fine, false).total;
    CHECK(std::abs(fine_before - head_after) < 1e-2 * head_after);  // the same loss, one step later
    const double fine_after = descend(stack.classifier_parameters(), fine, 400, 0.5, 0.9);
    const double tuned = accuracy(stack.predict(X), labels);
    MESSAGE("stacked: pretraining" << layers.str() << " head " << head_before << " -> " << head_after << " (accuracy " << pretrained
                             << "), fine-tuning " << fine_before << " -> " << fine_after << " (accuracy " << tuned << ")");
    CHECK(head_after < 0.9 * head_before);  // sparse codes (rho = 0.1) are small: the head alone learns slowly
    CHECK(pretrained > 0.6);                 // but well above chance (1/3)
    CHECK(fine_after < fine_before);
    CHECK(tuned >= 0.95);
    CHECK(tuned >= pretrained);
}
