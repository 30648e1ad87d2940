// tests/test_trainer_log.cpp: what a training run reports: the NaN stop and its message, the CSV
// log, the progress display, the k schedule hook, and errors for bad options and checkpoints.
#include <doctest/doctest.h>

#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "autodiff/functions.hpp"
#include "models/zoo.hpp"
#include "optim/checkpoint.hpp"
#include "optim/interrupt.hpp"
#include "optim/progress.hpp"
#include "optim/train_log.hpp"
#include "optim/trainer.hpp"
#include "tests/io_test_util.hpp"

using namespace ae;
using ae::test::contains;
using ae::test::error_of;
using ae::test::get_file;
using ae::test::TempDir;

namespace {

Array<double> data(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    return ae::test::uniform<double>(rows, cols, 0.0, 1.0, seed);
}

std::vector<std::string> split_text(const std::string& s, char sep) {  // getline's split: no empty last field
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(s);
    while (std::getline(in, cell, sep)) out.push_back(cell);
    return out;
}

TrainOptions quiet(const std::string& optimizer, std::size_t iterations) {
    TrainOptions o;
    o.progress = ProgressMode::quiet;
    o.optimizer = optimizer;
    o.iterations = iterations;
    return o;
}

// The first layer's weight matrix (the old W1).
Array<double>& W1_of(Autoencoder<double>& m) { return find(m.parameters(), "encoder.0.W"); }

// A pull that moves W1 up by about the learning rate each step, and a term that stays exactly 0
// until exp overflows, where it becomes inf - inf = NaN.
Autoencoder<double> doomed() {
    Autoencoder<double> m = basic<double>({16, 4}, {}, 1);
    m.add_term("pull", [](const Pass<double>& f) -> Var<double> { return sum(f.params->at("encoder.0.W")) * -1.0; });
    m.add_term("unstable", [](const Pass<double>& f) -> Var<double> {
        const Var<double> e = sum(exp(f.params->at("encoder.0.W") * 30.0));
        return e - e;
    });
    return m;
}

}  // namespace

TEST_CASE("trainer: a term that goes NaN stops the run and the message names the step and the term") {
    const Array<double> x = data(16, 20, 4);
    TempDir dir;
    Autoencoder<double> model = doomed();
    TrainOptions o = quiet("gd", 100);
    o.learning_rate = 2;
    o.out_dir = dir.path;
    o.checkpoint_every = 5;
    const TrainResult r = train(model, x, o);
    REQUIRE(r.status == TrainStatus::not_finite);
    const std::string bad = "step " + std::to_string(r.step + 1) + ": the loss is not finite: unstable = nan (";
    CHECK(contains(r.message, bad));
    CHECK(contains(r.message, "squared_error = "));
    CHECK(contains(r.message, "pull = "));
    CHECK(r.step > 5);
    // A first-order step evaluates, then updates: the loss of step N + 1 is NaN at the parameters
    // after step N, so the model is set back to those after step N - 1, where row N was evaluated.
    Autoencoder<double> shorter = doomed();
    o.iterations = r.step - 1;
    o.out_dir.clear();
    train(shorter, x, o);
    CHECK(xt::all(xt::equal(W1_of(model), W1_of(shorter))));
    CHECK(evaluate(model.parameters(), model.loss_fn(x, 0), false).total == r.loss);
    // The log holds the finite rows; the last checkpoint is left as it was.
    const std::string csv = get_file(dir.file("log.csv"));
    CHECK(std::count(csv.begin(), csv.end(), '\n') == long(r.step + 1));
    const Checkpoint c = read_checkpoint(dir.file("checkpoint.npz"));
    CHECK(c.info.step == r.step / 5 * 5);
    CHECK(c.info.status == "running");
    MESSAGE("NaN stop: " << r.message);

    // L-BFGS, NaN at the initial point: nothing is applied.
    Autoencoder<double> broken = basic<double>({16, 4}, {}, 1);
    broken.add_term("broken", [](const Pass<double>& f) -> Var<double> { return sum(f.params->at("encoder.0.W")) * NAN; });
    const Array<double> W1 = W1_of(broken);
    TempDir first;
    TrainOptions ol = quiet("lbfgs", 10);
    ol.out_dir = first.path;
    const TrainResult rl = train(broken, x, ol);
    CHECK(rl.status == TrainStatus::not_finite);
    CHECK(rl.step == 0);
    CHECK(contains(rl.message, "step 1: the loss is not finite: broken = nan (squared_error = "));
    CHECK(xt::all(xt::equal(W1_of(broken), W1)));
    // No step was finite: no log, no checkpoint, and the result names no file.
    CHECK(rl.log.empty());
    CHECK(rl.checkpoint.empty());
    CHECK(!std::filesystem::exists(first.file("log.csv")));
    CHECK(!std::filesystem::exists(first.file("checkpoint.npz")));
}

TEST_CASE("trainer: a loss without a value stops a first-order run and L-BFGS backs away from it") {
    // -log(4 - W1): a barrier that has no value once an entry of W1 passes 4 (the tape throws
    // std::domain_error there), with a pull towards it.
    auto barred = [] {
        Autoencoder<double> m = basic<double>({16, 4}, {}, 1);
        m.add_term("pull", [](const Pass<double>& f) -> Var<double> { return sum(f.params->at("encoder.0.W")) * -1.0; });
        m.add_term("barrier", [](const Pass<double>& f) -> Var<double> {
            return sum(log(4.0 - f.params->at("encoder.0.W"))) * -1e-3;
        });
        return m;
    };
    const Array<double> x = data(16, 20, 4);
    Autoencoder<double> model = barred();
    TrainOptions o = quiet("gd", 100);
    o.learning_rate = 1;
    const TrainResult r = train(model, x, o);
    REQUIRE(r.status == TrainStatus::not_finite);
    CHECK(contains(r.message, "step " + std::to_string(r.step + 1) + ": the loss could not be evaluated: log: entry ("));
    CHECK(xt::all(xt::less(W1_of(model), 4.0)));  // set back to the last parameters with a value
    MESSAGE("undefined loss: " << r.message);
    // L-BFGS's line search treats such a point as too far and steps back.
    Autoencoder<double> second = barred();
    const TrainResult rl = train(second, x, quiet("lbfgs", 40));
    CHECK(rl.status != TrainStatus::not_finite);
    CHECK(xt::all(xt::less(W1_of(second), 4.0)));
    CHECK(xt::amax(W1_of(second))() > 3.9);
    MESSAGE("L-BFGS against the barrier: " << rl.steps_run << " iterations, " << rl.evaluations
            << " evaluations, max W1 = " << xt::amax(W1_of(second))() << ", " << to_string(rl.status));
}

TEST_CASE("trainer: log.csv holds a header and one exact row per step") {
    const Array<double> x = data(16, 30, 5);
    SparseKlOptions s;
    s.rho = 0.1, s.lambda = 1e-3;
    Autoencoder<double> model = sparse_kl<double>({16, 4}, s, 2);
    const Evaluation<double> first = evaluate(model.parameters(), model.loss_fn(x), false);
    TempDir dir;
    TrainOptions o = quiet("gd", 5);
    o.out_dir = dir.path;
    train(model, x, o);
    const std::vector<std::string> rows = split_text(get_file(dir.file("log.csv")), '\n');
    REQUIRE(rows.size() == 6);
    CHECK(rows[0] == "step,epoch,seconds,total,squared_error,weight_decay,kl_sparsity");
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const std::vector<std::string> c = split_text(rows[i], ',');
        REQUIRE(c.size() == 7);
        CHECK(c[0] == std::to_string(i));
        CHECK(c[1] == std::to_string(i));  // full batch: one step per epoch
        const double total = std::stod(c[3]), sum = std::stod(c[4]) + std::stod(c[5]) + std::stod(c[6]);
        CHECK(std::abs(total - sum) <= 1e-15 * std::abs(total));
    }
    // Row 1 is the loss at the initial parameters, written exactly; the loss falls.
    CHECK(split_text(rows[1], ',')[3] == number_text(first.total));
    CHECK(std::stod(split_text(rows[1], ',')[3]) == first.total);
    CHECK(std::stod(split_text(rows[5], ',')[3]) < first.total);

    // L-BFGS adds the evaluations of each iteration; minibatches number their epochs.
    TrainOptions l = quiet("lbfgs", 3);
    l.out_dir = dir.path;
    train(model, x, l);
    const std::vector<std::string> lrows = split_text(get_file(dir.file("log.csv")), '\n');
    CHECK(lrows[0] == "step,epoch,seconds,evaluations,total,squared_error,weight_decay,kl_sparsity");
    CHECK(std::stoi(split_text(lrows[1], ',')[3]) >= 2);  // the initial point and at least one trial
    TrainOptions m = quiet("adam", 0);
    m.batch_size = 12, m.epochs = 2;  // 30 examples: batches of 12, 12, 6
    m.out_dir = dir.path;
    train(model, x, m);
    std::string epochs;
    for (const std::string& row : split_text(get_file(dir.file("log.csv")), '\n')) epochs += split_text(row, ',')[1] + " ";
    CHECK(epochs == "epoch 1 1 1 2 2 2 ");
}

TEST_CASE("trainer: progress as plain lines and as a bar redrawn in place") {
    const Array<double> x = data(16, 30, 6);
    Autoencoder<double> model = basic<double>({16, 4}, {}, 1);
    std::ostringstream plain, bar;
    TrainOptions o = quiet("gd", 5);
    o.progress = ProgressMode::lines;
    o.log_every = 2;
    o.label = "demo";
    o.progress_stream = &plain;
    train(model, x, o);
    const std::vector<std::string> shown = split_text(plain.str(), '\n');
    REQUIRE(shown.size() == 4);  // steps 1, 2, 4 and the last
    CHECK(contains(shown[0], "demo: step 1/5  loss "));
    CHECK(contains(shown[0], "squared_error "));
    CHECK(contains(shown[2], "step 4/5"));
    CHECK(contains(shown[3], "step 5/5"));
    CHECK(contains(shown[3], "it/s"));
    CHECK(contains(shown[3], "elapsed 0:00, left 0:00"));
    o.progress = ProgressMode::bar;
    o.progress_stream = &bar;
    train(model, x, o);
    const std::string b = bar.str();
    CHECK(b.front() == '\r');
    CHECK(std::count(b.begin(), b.end(), '\n') == 1);  // one line, ended once
    CHECK(b.back() == '\n');
    CHECK(contains(b, "5/5 [####################] 100%"));
    CHECK(format_duration(3725) == "1:02:05");
    CHECK(format_duration(65) == "1:05");
}

TEST_CASE("trainer: an interrupt stops after the current step with a checkpoint") {
    const Array<double> x = data(16, 30, 6);
    Autoencoder<double> model = basic<double>({16, 4}, {}, 1);
    TempDir dir;
    TrainOptions o = quiet("adam", 10);
    o.out_dir = dir.path;
    struct sigaction old_int {}, old_term {};  // doctest's own handlers, put back at the end
    sigaction(SIGINT, nullptr, &old_int);
    sigaction(SIGTERM, nullptr, &old_term);
    o.stop_requested = stop_on_interrupt();
    o.before_step = [](std::size_t step, std::size_t) {
        if (step == 3) std::raise(SIGINT);  // as if Ctrl-C were pressed during step 3
    };
    const TrainResult r = train(model, x, o);
    CHECK(r.status == TrainStatus::interrupted);
    CHECK(r.step == 3);
    CHECK(read_checkpoint(dir.file("checkpoint.npz")).info.status == "interrupted");
    CHECK_FALSE(stop_on_interrupt()());  // cleared when installed again
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
}

TEST_CASE("trainer: the model's k schedule is set before each step, and the target k after the run") {
    const Array<double> x = data(16, 30, 7);
    KSparseOptions k;
    k.k = 2, k.k_start = 8;
    Autoencoder<double> model = k_sparse<double>({16, 8}, k, 1);
    std::vector<std::size_t> ks;
    TrainOptions o = quiet("adam", 10);
    o.before_step = [&](std::size_t, std::size_t) { ks.push_back(model.k()); };  // called after the model's at_step
    train(model, x, o);
    REQUIRE(ks.size() == 10);
    CHECK(ks.front() > ks.back());
    CHECK(ks.back() == 2);
    // From k_start = 8 at step 1 to 2 at step 6 = half the steps + 1: round(8 - 6 (s - 1) / 5).
    CHECK(ks == std::vector<std::size_t>{8, 7, 6, 4, 3, 2, 2, 2, 2, 2});
    CHECK(model.k() == 2);  // outside training: the target
}

TEST_CASE("trainer: bad options and checkpoints that do not fit throw naming what is wrong") {
    const Array<double> x = data(16, 30, 8);
    Autoencoder<double> model = basic<double>({16, 4}, {}, 1);
    auto with = [&](auto change) {
        TrainOptions o = quiet("gd", 2);
        change(o);
        return error_of([&] { train(model, x, o); });
    };
    CHECK(with([](TrainOptions& o) { o.optimizer = "sgd"; }) ==
          "train: optimizer = 'sgd' is not one of gd, momentum, nesterov, adam, lbfgs");
    CHECK(with([](TrainOptions& o) { o.learning_rate = -1; }) ==
          "train: learning_rate = -1 is outside (0, inf)");
    CHECK(contains(with([](TrainOptions& o) { o.optimizer = "adam", o.momentum = 0.9; }), "momentum is used by"));
    CHECK(with([](TrainOptions& o) { o.optimizer = "momentum", o.momentum = 1; }) ==
          "train: momentum = 1 is outside [0, 1)");
    CHECK(with([](TrainOptions& o) { o.beta1 = 1; }) == "train: beta1 = 1 is outside [0, 1)");
    CHECK(contains(with([](TrainOptions& o) { o.optimizer = "lbfgs", o.learning_rate = 0.1; }), "learning_rate"));
    CHECK(contains(with([](TrainOptions& o) { o.optimizer = "lbfgs", o.batch_size = 10; }),
                   "batch_size = 10: lbfgs trains on the full batch"));
    CHECK(with([](TrainOptions& o) { o.batch_size = 31; }) ==
          "train: batch_size = 31 is larger than the data set (30 examples)");
    CHECK(contains(with([](TrainOptions& o) { o.iterations = 0; }), "iterations = 0 and epochs = 0"));
    CHECK(contains(with([](TrainOptions& o) { o.lbfgs_memory = 0; }), "lbfgs_memory = 0"));
    CHECK(contains(error_of([] { parse_progress_mode("fancy"); }), "progress = 'fancy'"));
    CHECK(contains(error_of([&] { train(model, data(15, 30, 1), quiet("gd", 1)); }), "the data has 15 rows"));

    // Checkpoints of another model, another seed or another optimizer.
    TempDir dir;
    TrainOptions o = quiet("gd", 2);
    o.out_dir = dir.path;
    train(model, x, o);
    o.out_dir.clear();
    o.resume = dir.file("checkpoint.npz");
    Autoencoder<double> wider = basic<double>({16, 5}, {}, 1);
    CHECK(contains(error_of([&] { train(wider, x, o); }),
                   "does not match the model: parameter encoder.0.W has shape (4, 16) in the checkpoint but (5, 16) in the model"));
    Autoencoder<double> tied = basic<double>({16, 4}, {Activation::sigmoid, Reconstruction::squared_error, true}, 1);
    CHECK(contains(error_of([&] { train(tied, x, o); }), "the checkpoint has parameters encoder.0.W, encoder.0.b, decoder.0.W, decoder.0.b, the model "
                                                         "encoder.0.W, encoder.0.b, decoder.0.b"));
    o.seed = 2;
    CHECK(contains(error_of([&] { train(model, x, o); }), "written with seed = 1, this run has 2"));
    o.seed = 1, o.optimizer = "adam";
    CHECK(contains(error_of([&] { train(model, x, o); }), "written with optimizer = gd, this run has adam"));
    o.optimizer = "gd";
    CHECK(contains(error_of([&] { train(model, data(16, 30, 9), o); }),
                   "written with data = crc32 "));
    o.resume = dir.file("log.csv");
    CHECK(contains(error_of([&] { train(model, x, o); }), "log.csv"));
}
