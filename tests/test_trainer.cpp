// tests/test_trainer.cpp: the training loop: exact resume (Adam on noisy minibatches, L-BFGS),
// seeds, a loss that falls on MNIST, the NaN stop, the CSV log, option errors, the stacked recipe.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <sstream>

#include "autodiff/autodiff.hpp"
#include "io/data.hpp"
#include "terms/losses.hpp"
#include "models/zoo.hpp"
#include "optim/checkpoint.hpp"
#include "optim/evaluator.hpp"
#include "optim/recipes.hpp"
#include "optim/trainer.hpp"
#include "tests/io_test_util.hpp"

using namespace ae;
using ae::test::contains;
using ae::test::error_of;
using ae::test::get_file;
using ae::test::TempDir;

namespace {

template <class T>
Array<T> uniform_data(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    return ae::test::uniform<T>(rows, cols, 0.0, 1.0, seed);
}

// Every parameter equal bit for bit.
template <class T>
bool same_bits(const ParamList<T>& a, const ParamList<T>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].array->shape() != b[i].array->shape() ||
            std::memcmp(a[i].array->data(), b[i].array->data(), a[i].array->size() * sizeof(T)) != 0)
            return false;
    return true;
}

// The log without its seconds column (wall-clock time is the one thing that may differ).
std::string without_seconds(const std::string& csv) {
    std::istringstream in(csv);
    std::string out;
    for (std::string line; std::getline(in, line);) {
        const auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
        out += line.substr(0, b) + line.substr(c) + "\n";
    }
    return out;
}

std::size_t lines(const std::string& s) {
    return std::size_t(std::count(s.begin(), s.end(), '\n'));
}

TrainOptions quiet(TrainOptions o = {}) {
    o.progress = ProgressMode::quiet;
    return o;
}

TrainOptions adam_minibatches() {
    TrainOptions o = quiet();
    o.optimizer = "adam";
    o.learning_rate = 0.01;
    o.batch_size = 32;  // 200 examples: 6 batches of 32 and one of 8 per epoch
    o.epochs = 3;
    o.seed = 7;
    return o;
}

Autoencoder<float> noisy_model(std::uint64_t init = 3) {
    DenoisingOptions d;
    d.corruption = masking_noise(0.3);
    d.lambda = 1e-4;
    return denoising<float>({64, 16}, d, init);
}

}  // namespace

TEST_CASE("evaluator: the gradients it hands out, moved out of the tape, are grad's to the bit") {
    Array<double> W1 = ae::test::uniform<double>(4, 5, -1, 1, 41), W2 = ae::test::uniform<double>(4, 5, -1, 1, 42),
                  W3 = ae::test::uniform<double>(5, 5, -1, 1, 43);
    const Array<double> x = uniform_data<double>(5, 6, 44);
    const ParamList<double> params{{"W1", &W1, true}, {"W2", &W2, true}, {"W3", &W3, true}};
    // W1 and W2 get one cotangent node (the sum's); W3's decay reaches it before its product's (addmm).
    const LossFn<double> loss = [&x](const Vars<double>& p) {
        const Var<double> xv = p[0].tape->borrow(x);
        Loss<double> l;
        l.add("fit", sum_squares(tanh(matmul(p[0] + p[1], xv))) + sum_squares(matmul(p[2], xv)));
        l.add("decay", 1e-2 * sum_squares(p[2]));
        return l;
    };
    const Evaluation<double> expected = evaluate(params, loss);
    Tape<double> tape;
    Evaluator<double> evaluator(params, serial());
    Gradients<double> grads;
    for (const Named<double>& n : params) grads.push_back(xt::zeros_like(*n.array));
    for (int step = 0; step < 3; ++step) {  // the buffers change hands each step
        evaluator.set_batch(loss, tape, 0, 6, 6);
        CHECK(evaluator(grads) == expected.total);
        for (std::size_t i = 0; i < 3; ++i) CHECK(grads[i] == expected.gradient[i]);
    }
}

TEST_CASE("trainer: a resumed Adam run on noisy minibatches equals the uninterrupted run bit for bit") {
    const Array<float> x = uniform_data<float>(64, 200, 1);
    TempDir whole, parts, resumed;
    Autoencoder<float> a = noisy_model();
    TrainOptions o = adam_minibatches();
    o.out_dir = whole.path;
    const TrainResult ra = train(a, x, o);
    CHECK(ra.status == TrainStatus::finished);
    CHECK(ra.step == 21);  // 3 epochs of 7 steps

    // The same run with checkpoints every 4 steps; keep a copy of the one written at step 8.
    Autoencoder<float> b = noisy_model();
    o.out_dir = parts.path;
    o.checkpoint_every = 4;
    std::size_t calls = 0;
    o.stop_requested = [&] {
        if (++calls == 8) std::filesystem::copy_file(parts.file("checkpoint.npz"), parts.file("at8.npz"));
        return false;
    };
    train(b, x, o);
    CHECK(same_bits(a.parameters(), b.parameters()));
    const Checkpoint at8 = read_checkpoint(parts.file("at8.npz"));
    CHECK(at8.info.step == 8);
    CHECK(lines(at8.log) == 9);

    // A model initialised differently, resumed from step 8: the checkpoint sets everything.
    Autoencoder<float> c = noisy_model(99);
    o.stop_requested = nullptr;
    o.checkpoint_every = 0;
    o.out_dir = resumed.path;
    o.resume = parts.file("at8.npz");
    const TrainResult rc = train(c, x, o);
    CHECK(rc.steps_run == 13);
    CHECK(rc.step == 21);
    CHECK(same_bits(a.parameters(), c.parameters()));
    const std::string log_a = get_file(whole.file("log.csv")), log_c = get_file(resumed.file("log.csv"));
    CHECK(lines(log_a) == 22);
    CHECK(without_seconds(log_a) == without_seconds(log_c));
    CHECK(rc.loss == ra.loss);
    MESSAGE("Adam, float, batches of 32 with masking noise: 21 steps in one run and 8 + 13 resumed agree bit for bit; "
            "final loss " << ra.loss);
}

namespace {

// 30 L-BFGS iterations in one run, and 12 then 18 resumed from the checkpoint of an interrupt.
template <class T>
void lbfgs_resume(const std::string& type) {
    const Array<T> x = uniform_data<T>(64, 100, 2);
    SparseKlOptions s;
    s.rho = 0.1, s.beta = 3, s.lambda = 1e-3;
    TempDir whole, cut, resumed;
    Autoencoder<T> a = sparse_kl<T>({64, 16}, s, 5);
    TrainOptions o = quiet();
    o.iterations = 30;
    o.gradient_tolerance = o.progress_tolerance = 0;  // run all 30
    o.out_dir = whole.path;
    const TrainResult ra = train(a, x, o);
    REQUIRE(ra.status == TrainStatus::finished);

    Autoencoder<T> b = sparse_kl<T>({64, 16}, s, 5);
    o.out_dir = cut.path;
    std::size_t calls = 0;
    o.stop_requested = [&] { return ++calls == 12; };
    const TrainResult rb = train(b, x, o);
    CHECK(rb.status == TrainStatus::interrupted);
    CHECK(rb.step == 12);
    CHECK(lines(get_file(cut.file("log.csv"))) == 13);

    Autoencoder<T> c = sparse_kl<T>({64, 16}, s, 6);
    o.stop_requested = nullptr;
    o.out_dir = resumed.path;
    o.resume = cut.file("checkpoint.npz");
    const TrainResult rc = train(c, x, o);
    CHECK(rc.steps_run == 18);
    CHECK(same_bits(a.parameters(), c.parameters()));
    CHECK(without_seconds(get_file(whole.file("log.csv"))) == without_seconds(get_file(resumed.file("log.csv"))));
    CHECK(rc.evaluations + rb.evaluations == ra.evaluations);
    MESSAGE("L-BFGS, full batch, " << type << ": 30 iterations (" << ra.evaluations
            << " evaluations) in one run and 12 + 18 resumed agree bit for bit; loss " << ra.loss);
}

}  // namespace

TEST_CASE("trainer: an interrupted L-BFGS run resumes to the uninterrupted result bit for bit") {
    lbfgs_resume<double>("float64");
    lbfgs_resume<float>("float32");
}

TEST_CASE("trainer: each epoch visits every example once in a new order") {
    const Array<double> x = uniform_data<double>(3, 10, 8), y = uniform_data<double>(2, 10, 9);
    Autoencoder<double> model = basic<double>({3, 2}, {}, 1);
    std::vector<std::vector<std::size_t>> seen;
    bool columns_match = true;
    const BatchLoss<double> loss = [&](const Batch<double>& b) {
        seen.push_back(b.columns);
        for (std::size_t j = 0; j < b.columns.size(); ++j)
            for (std::size_t r = 0; r < 3; ++r) columns_match &= b.x(r, j) == x(r, b.columns[j]);
        for (std::size_t j = 0; j < b.columns.size(); ++j) columns_match &= b.y(1, j) == y(1, b.columns[j]);
        return model.loss_fn(b.x, b.seed);
    };
    TrainOptions o = quiet();
    o.optimizer = "adam", o.batch_size = 4, o.epochs = 2;  // batches of 4, 4, 2
    train(model.parameters(), x, y, loss, o);
    REQUIRE(seen.size() == 6);
    CHECK(columns_match);
    CHECK(seen[2].size() == 2);
    std::vector<std::size_t> first, second;
    for (std::size_t s = 0; s < 3; ++s) first.insert(first.end(), seen[s].begin(), seen[s].end());
    for (std::size_t s = 3; s < 6; ++s) second.insert(second.end(), seen[s].begin(), seen[s].end());
    CHECK(first != second);
    std::sort(first.begin(), first.end()), std::sort(second.begin(), second.end());
    std::vector<std::size_t> all(10);
    std::iota(all.begin(), all.end(), std::size_t(0));
    CHECK(first == all);
    CHECK(second == all);
}

TEST_CASE("trainer: the same seed gives the same bits and another seed other bits") {
    const Array<float> x = uniform_data<float>(64, 200, 1);
    TempDir d1, d2, d3;
    auto run = [&](std::uint64_t seed, const std::string& dir, Autoencoder<float>& m) {
        TrainOptions o = adam_minibatches();
        o.epochs = 2;
        o.seed = seed;
        o.out_dir = dir;
        return train(m, x, o);
    };
    Autoencoder<float> a = noisy_model(), b = noisy_model(), c = noisy_model();
    run(11, d1.path, a), run(11, d2.path, b), run(12, d3.path, c);
    CHECK(same_bits(a.parameters(), b.parameters()));
    CHECK(without_seconds(get_file(d1.file("log.csv"))) == without_seconds(get_file(d2.file("log.csv"))));
    CHECK_FALSE(same_bits(a.parameters(), c.parameters()));
    CHECK(without_seconds(get_file(d1.file("log.csv"))) != without_seconds(get_file(d3.file("log.csv"))));
}

TEST_CASE("trainer: the loss falls on MNIST with L-BFGS and with Adam minibatches") {
    const std::string dir = test::shared_data_dir("mnist");
    Array<float> x;
    if (dir.empty()) {
        MESSAGE("../shared/data/mnist is absent: synthetic data instead");
        x = uniform_data<float>(784, 500, 3) * 0.5f;
    } else {
        DataOptions d;
        d.limit = 500;
        x = load_data<float>("mnist:" + dir, d).x;
    }
    REQUIRE(x.shape(1) == 500);
    SparseKlOptions s;
    s.rho = 0.1, s.beta = 3, s.lambda = 3e-3;  // UFLDL's exercise
    Autoencoder<float> model = sparse_kl<float>({784, 25}, s, 1);
    const double before = evaluate(model.parameters(), model.loss_fn(x), false).total;
    TrainOptions o = quiet();
    o.iterations = 50;
    const TrainResult r = train(model, x, o);
    CHECK(r.steps_run <= 50);
    CHECK(r.loss < before / 4);

    Autoencoder<float> second = sparse_kl<float>({784, 25}, s, 1);
    TrainOptions a = quiet();
    a.optimizer = "adam";
    a.learning_rate = 0.01;
    a.batch_size = 50;
    a.epochs = 5;
    const TrainResult ra = train(second, x, a);
    const double after = evaluate(second.parameters(), second.loss_fn(x), false).total;
    CHECK(after < before / 2);
    MESSAGE("sparse-KL 784-25 on 500 MNIST images: loss " << before << " -> " << r.loss << " after " << r.steps_run
            << " L-BFGS iterations (" << r.evaluations << " evaluations, " << r.seconds << " s); -> " << after
            << " after 5 epochs of Adam in batches of 50 (" << ra.steps_run << " steps, " << ra.seconds << " s)");
}

TEST_CASE("trainer: the stacked recipe pretrains each layer then the head then fine-tunes and resumes") {
    // Three classes in 10 dimensions around means in [0.2, 0.8], noise 0.1, clipped to [0, 1].
    const std::size_t m = 150, classes = 3;
    const Array<double> mu = uniform_data<double>(10, classes, 130) * 0.6 + 0.2;
    std::mt19937_64 rng(131);
    std::normal_distribution<double> noise(0.0, 0.1);
    std::vector<std::size_t> labels(m);
    Array<double> X = Array<double>::from_shape({10, m});
    for (std::size_t t = 0; t < m; ++t) {
        labels[t] = t % classes;
        for (std::size_t i = 0; i < 10; ++i) X(i, t) = std::clamp(mu(i, labels[t]) + noise(rng), 0.0, 1.0);
    }
    TempDir dir;
    StackedTrainOptions so;
    TrainOptions lbfgs = quiet();
    lbfgs.iterations = 100;
    so.pretrain = {lbfgs};
    so.head = so.fine_tune = lbfgs;
    so.fine_tune.optimizer = "adam";  // any optimizer per phase
    so.fine_tune.learning_rate = 0.01;
    so.fine_tune.batch_size = 30;
    so.fine_tune.epochs = 20;
    so.out_dir = dir.path;
    // Sparse layers with rho 0.1, beta 3, lambda 1e-4; the head's weight decay 1e-4.
    const std::map<std::string, std::string> options = {
        {"classes", std::to_string(classes)}, {"rho", "0.1"}, {"beta", "3"}, {"lambda", "1e-4"}, {"head-lambda", "1e-4"}};
    Model<double> stack(ModelSpec{"stacked", {10, 8, 5}, options, 1});
    REQUIRE(stack.head() != nullptr);
    const StackedTrainResult r = train_stacked(stack, X, labels, so);
    REQUIRE(r.status == TrainStatus::finished);
    REQUIRE(r.pretrain.size() == 2);
    std::ostringstream phases;
    for (const TrainResult& p : r.pretrain) phases << p.steps_run << " (" << to_string(p.status) << "), ";
    CHECK(r.head_accuracy > 0.5);  // chance is 1/3
    CHECK(r.accuracy >= 0.95);
    CHECK(r.fine_tune.steps_run == 100);
    CHECK(std::filesystem::exists(dir.file("layer2/checkpoint.npz")));
    CHECK(std::filesystem::exists(dir.file("fine_tune/log.csv")));
    MESSAGE("stacked 10-8-5-3: pretraining steps " << phases.str() << "head " << r.head.steps_run << " (accuracy "
            << r.head_accuracy << "), fine-tuning " << r.fine_tune.steps_run << " Adam steps (accuracy " << r.accuracy
            << ")");

    // Resuming a finished recipe loads every phase's parameters and runs nothing.
    so.resume = true;
    Model<double> again(ModelSpec{"stacked", {10, 8, 5}, options, 77});
    const StackedTrainResult a = train_stacked(again, X, labels, so);
    CHECK(a.fine_tune.steps_run == 0);
    CHECK(a.head.steps_run == 0);
    CHECK(same_bits(stack.parameters(), again.parameters()));
    CHECK(a.accuracy == r.accuracy);
}
