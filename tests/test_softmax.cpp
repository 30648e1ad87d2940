// tests/test_softmax.cpp: softmax regression, the suite's evaluation classifier: its gradient
// against central differences, and a separable toy problem learned perfectly with the trainer.
#include <doctest/doctest.h>

#include <random>

#include "terms/losses.hpp"
#include "models/softmax.hpp"
#include "optim/recipes.hpp"
#include "optim/trainer.hpp"

using namespace ae;

TEST_CASE("softmax regression: the gradient of cross-entropy plus weight decay matches central differences") {
    const std::size_t features = 5, classes = 4, m = 7;
    SoftmaxRegression<double> model(features, classes, 0.3, 11);
    std::mt19937_64 rng(5);
    std::normal_distribution<double> n(0, 1);
    for (auto& v : model.b) v = n(rng);  // non-zero biases, so their gradient is checked too
    Array<double> x({features, m});
    for (auto& v : x) v = n(rng);
    std::vector<std::size_t> labels;
    for (std::size_t t = 0; t < m; ++t) labels.push_back(t % classes);
    const Array<double> y = one_hot<double>(labels, classes);
    const GradCheck r = check_gradient(as_function(model.loss_fn(x, y)), {model.W, model.b});
    MESSAGE("softmax gradient check: metric " << r.metric << ", max abs error " << r.max_abs_error);
    CHECK(r.passed(1e-9));
    CHECK(r.metric < 1e-9);
}

TEST_CASE("softmax regression: trained with L-BFGS through train(), it separates three clusters perfectly") {
    const std::size_t features = 2, classes = 3, per = 40;
    std::mt19937_64 rng(3);
    std::normal_distribution<double> n(0, 0.3);
    const double centres[3][2] = {{-2, 0}, {2, 0}, {0, 3}};
    Array<double> x({features, classes * per});
    std::vector<std::size_t> labels;
    for (std::size_t c = 0; c < classes; ++c)
        for (std::size_t i = 0; i < per; ++i) {
            const std::size_t t = labels.size();
            x(0, t) = centres[c][0] + n(rng);
            x(1, t) = centres[c][1] + n(rng);
            labels.push_back(c);
        }
    const Array<double> y = one_hot<double>(labels, classes);
    SoftmaxRegression<double> model(features, classes, 1e-4, 1);
    const SoftmaxRegression<double>* p = &model;
    TrainOptions o;
    o.iterations = 100;
    o.progress = ProgressMode::quiet;
    const TrainResult r = train<double>(model.parameters(), x, y,
                                        [p](const Batch<double>& b) { return p->loss_fn(b.x, b.y); }, o);
    CHECK((r.status == TrainStatus::finished || r.status == TrainStatus::converged));
    const double accuracy = classification_accuracy(model.predict(x), labels);
    MESSAGE("softmax toy problem: accuracy " << accuracy << " after " << r.steps_run << " L-BFGS iterations, loss " << r.loss);
    CHECK(accuracy == 1.0);
    const Array<double> prob = model.probabilities(x);
    for (std::size_t t = 0; t < prob.shape(1); ++t) {
        double s = 0;
        for (std::size_t c = 0; c < classes; ++c) s += prob(c, t);
        CHECK(s == doctest::Approx(1.0));
    }
}
