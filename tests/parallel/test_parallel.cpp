// tests/parallel/test_parallel.cpp: data parallel training gives the one-process result. Run by
// CTest under `mpirun -np 2` and `-np 3` (uneven shards): every process trains each model twice,
// alone (the reference) and with the others, and checks the two agree and that every process
// holds the same parameters, bit for bit.
//   aezoo_parallel_tests --compare a.npz b.npz 1e-12   compares two model files (tests/cli_parallel.cmake)
//   aezoo_parallel_tests --error-on-one-process       a loss without a value on one process only
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include <xtensor/xview.hpp>

#include "autodiff/functions.hpp"
#include "autodiff/grad.hpp"
#include "io/npz.hpp"
#include "models/zoo.hpp"
#include "optim/checkpoint.hpp"
#include "optim/trainer.hpp"
#include "parallel/communicator.hpp"
#include "terms/losses.hpp"
#include "../zoo_helpers.hpp"

using namespace ae;
using namespace zoo_test;

namespace {

Communicator& comm() { return world(); }

// True when every process holds these arrays' very bits.
bool same_everywhere(const ParamList<double>& params) {
    std::string mine;
    for (const auto& p : params)
        mine.append(reinterpret_cast<const char*>(p.array->data()), p.array->size() * sizeof(double));
    std::string first = mine;
    comm().broadcast(first, 0);
    return !comm().any(first != mine);
}

double max_rel_diff(const ParamList<double>& a, const ParamList<double>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, rel_diff(*a[i].array, *b[i].array));
    return worst;
}

TrainOptions quiet(TrainOptions o) {
    o.progress = ProgressMode::quiet;
    return o;
}

// Trains two copies of a model, alone and on every process, and compares.
template <class Make>
void same_as_one_process(Make make, const A& x, TrainOptions o, double tolerance = 1e-12) {
    Autoencoder<double> alone = make(), together = make();
    o = quiet(o);
    const TrainResult r1 = train(alone, x, o);
    o.communicator = &comm();
    const TrainResult rn = train(together, x, o);
    INFO(together.name() << " on " << comm().describe() << ", " << o.optimizer);
    CHECK(rn.status == r1.status);
    CHECK(rn.step == r1.step);
    CHECK(rn.evaluations == r1.evaluations);  // L-BFGS took the same line-search decisions
    CHECK(std::abs(rn.loss - r1.loss) <= tolerance * std::abs(r1.loss));
    const double d = max_rel_diff(together.parameters(), alone.parameters());
    INFO("largest relative difference " << d);
    CHECK(d <= tolerance);
    CHECK((d > 0) == (comm().size() > 1));  // a shard really was a shard
    CHECK(same_everywhere(together.parameters()));
}

}  // namespace

TEST_CASE("all_sum: the sum over processes, and its VJP sums the cotangents") {
    const double r = comm().rank(), n = comm().size();
    Tape<double> tape;
    tape.set_shard({&comm(), 0, 0});
    const Var<double> x = tape.leaf(random_array(3, 2, -1, 1, 1) + r);
    const Var<double> s = all_sum(x);
    // sum over r of (x0 + r) = n x0 + n (n - 1) / 2
    CHECK(max_abs_diff(s.value(), n * random_array(3, 2, -1, 1, 1) + n * (n - 1) / 2) < 1e-14);
    // Each process's loss sum(s^2): the total's gradient in this process's x is sum over q of 2 s = 2 n s.
    const Var<double> g = grad(sum_squares(s), {x})[0];
    CHECK(max_abs_diff(g.value(), 2 * n * s.value()) < 1e-13);
    // Recorded: its VJP is all_sum again, so a second order works across processes too.
    const Var<double> gg = grad(sum(vjp(s, {x}, s, true)[0]), {x})[0];
    CHECK(max_abs_diff(gg.value(), A(xt::ones<double>({3, 2})) * n * n) < 1e-13);
}

TEST_CASE("sparse-KL (batch mean rho_hat) with L-BFGS on the full batch") {
    const A x = random_array(16, 230, 0.05, 0.95, 3);
    TrainOptions o;
    o.iterations = 10;
    same_as_one_process([] { return sparse_kl<double>({16, 6}, {0.1, 3, 1e-3}); }, x, o);
    SparseKlOptions sq{0.1, 3, 1e-3};
    sq.penalty = SparseKlOptions::squared;
    same_as_one_process([&] { return sparse_kl<double>({16, 8, 5}, sq); }, x, o);
}

TEST_CASE("denoising with Adam on shuffled minibatches, the last of each epoch smaller") {
    const A x = random_array(16, 230, 0.05, 0.95, 4);
    TrainOptions o;
    o.optimizer = "adam", o.batch_size = 64, o.epochs = 3;  // 64, 64, 64, 38
    for (const Corruption& c : {masking_noise(0.3), gaussian_noise(0.2), salt_and_pepper(0.2)})
        same_as_one_process([&] { return denoising<double>({16, 7}, {c}); }, x, o);
}

TEST_CASE("deep, k-sparse, contractive (exact and projected) and CAE+H with first-order optimizers") {
    const A x = random_array(16, 150, 0.05, 0.95, 5);
    TrainOptions o;
    o.optimizer = "momentum", o.batch_size = 50, o.iterations = 8;
    DeepOptions d;
    d.activations = {Activation::tanh, Activation::relu, Activation::linear}, d.lambda = 1e-3;
    same_as_one_process([&] { return deep<double>({16, 10, 8, 4}, d); }, x, o);
    o.optimizer = "adam";
    same_as_one_process([] { return k_sparse<double>({16, 8}, {3, 1, 6}); }, x, o);
    ContractiveOptions c;
    c.form = ContractiveOptions::projected;
    same_as_one_process([&] { return contractive<double>({16, 8, 5}, c); }, x, o);
    c.form = ContractiveOptions::exact;
    same_as_one_process([&] { return contractive<double>({16, 6}, c); }, x, o);
    c.form = ContractiveOptions::stochastic;
    same_as_one_process([&] { return contractive<double>({16, 6}, c); }, x, o);
    ContractiveOptions h;
    h.gamma = 0.1;
    same_as_one_process([&] { return contractive_h<double>({16, 6}, h); }, x, o);
}

TEST_CASE("conv: a KL term on a pooled code and gaussian corruption") {
    const A x = random_array(64, 40, 0.05, 0.95, 6);
    ConvOptions c;
    c.kernel = 3, c.activation = Activation::sigmoid, c.beta = 0.5, c.rho = 0.1, c.corruption = gaussian_noise(0.1);
    TrainOptions o;
    o.optimizer = "adam", o.batch_size = 16, o.iterations = 4;
    same_as_one_process([&] { return conv<double>({64, 2, 3}, c); }, x, o);
    o = TrainOptions{};
    o.iterations = 5;
    same_as_one_process([&] { return conv<double>({64, 2}, c); }, x, o);  // L-BFGS (its noise fixed)
}

TEST_CASE("train(params, x, y, loss): a softmax classifier with targets") {
    const A x = random_array(10, 90, -1, 1, 7);
    std::vector<std::size_t> labels(90);
    for (std::size_t t = 0; t < labels.size(); ++t) labels[t] = (t * 7) % 4;
    const A y = one_hot<double>(labels, 4);
    auto trained = [&](Communicator* c) {
        A W = random_array(4, 10, -0.1, 0.1, 8), b = A(xt::zeros<double>({4, 1}));
        ParamList<double> params{{"W", &W}, {"b", &b}};
        const BatchLoss<double> loss = [](const Batch<double>& batch) {
            return LossFn<double>([&bx = batch.x, &by = batch.y](const Vars<double>& p) {
                Loss<double> l;
                const Var<double> xv = p[0].tape->borrow(bx), yv = p[0].tape->borrow(by);
                l.add("cross_entropy", softmax_cross_entropy(affine(p[0], xv, p[1]), yv));
                l.add("weight_decay", weight_decay<double>({p[0]}, 1e-3));
                return l;
            });
        };
        TrainOptions o = quiet({});
        o.iterations = 12, o.communicator = c;
        train(params, x, y, loss, o);
        return std::vector<A>{W, b};
    };
    const std::vector<A> one = trained(nullptr), many = trained(&comm());
    CHECK(rel_diff(many[0], one[0]) <= 1e-12);
    CHECK(rel_diff(many[1], one[1]) <= 1e-12);
}

TEST_CASE("checkpoints: the first process writes; a resume continues bit for bit, from one process too") {
    const A x = random_array(16, 120, 0.05, 0.95, 9);
    const std::string dir = "parallel_checkpoints_" + std::to_string(comm().size());
    if (comm().rank() == 0) std::filesystem::remove_all(dir);
    TrainOptions o = quiet({});
    o.optimizer = "adam", o.batch_size = 40, o.iterations = 9, o.checkpoint_every = 4, o.communicator = &comm();
    auto make = [] { return denoising<double>({16, 6}, {masking_noise(0.3)}); };
    Autoencoder<double> whole = make();
    train(whole, x, o);  // the uninterrupted run, no files
    o.out_dir = dir;
    Autoencoder<double> first = make();
    TrainOptions part = o;
    part.iterations = 4;
    const TrainResult r = train(first, x, part);
    CHECK(r.log.empty() == (comm().rank() != 0));  // only the first process wrote
    CHECK(r.checkpoint.empty() == (comm().rank() != 0));
    Autoencoder<double> resumed = make();
    o.resume = dir + "/checkpoint.npz";
    const TrainResult rr = train(resumed, x, o);
    CHECK(rr.step == 9);
    CHECK(max_rel_diff(resumed.parameters(), whole.parameters()) == 0);
    // A checkpoint written by one process, continued by all: the same run, to the sums' rounding.
    if (comm().rank() == 0) {
        std::filesystem::remove_all(dir + "_alone");
        TrainOptions alone = part;
        alone.communicator = nullptr, alone.out_dir = dir + "_alone";
        Autoencoder<double> m = make();
        train(m, x, alone);
    }
    comm().any(false);  // wait for the file
    Autoencoder<double> continued = make();
    o.resume = dir + "_alone/checkpoint.npz", o.out_dir = dir + "_continued";
    train(continued, x, o);
    CHECK(max_rel_diff(continued.parameters(), whole.parameters()) <= 1e-12);
}

TEST_CASE("collective decisions: bad input, a NaN or an interrupt on one process stop all, with the message") {
    const A x = random_array(16, 60, 0.05, 0.95, 10);
    auto make = [] { return sparse_kl<double>({16, 5}, {0.1, 3, 1e-3}); };
    TrainOptions o = quiet({});
    o.optimizer = "adam", o.iterations = 6, o.communicator = &comm();
    if (comm().size() > 1) {
        // Fewer examples in a batch than processes.
        TrainOptions tiny = o;
        tiny.batch_size = 1;
        Autoencoder<double> m = make();
        CHECK_THROWS_WITH(train(m, x, tiny), doctest::Contains("each process needs at least one example of every batch"));
        // Different data on the processes.
        Autoencoder<double> d = make();
        A mine = x;
        mine(0, 0) += comm().rank();
        CHECK_THROWS_WITH_AS(train(d, mine, o), doctest::Contains("the processes were given different data"), CollectiveError);
        // Data of other sizes: said before any check that would fail on one process only.
        Autoencoder<double> e = make();
        TrainOptions big = o;
        big.batch_size = 55;
        const A fewer = comm().rank() == 0 ? x : A(xt::view(x, xt::all(), xt::range(0, 50)));
        CHECK_THROWS_WITH_AS(train(e, fewer, big), doctest::Contains("the processes were given different data"), CollectiveError);
        // A resume file that only the first process can read names the process that cannot.
        TrainOptions missing = o;
        missing.resume = comm().rank() == 0 ? "" : "no/such/checkpoint.npz";
        Autoencoder<double> f = make();
        CHECK_THROWS_WITH_AS(train(f, x, missing), doctest::Contains("no/such/checkpoint.npz"), CollectiveError);
    }
    // A NaN in the last process's shard: every process stops at the same step, with the same message.
    A bad = x;
    bad(3, 59) = std::nan("");
    Autoencoder<double> n = make();
    const TrainResult rn = train(n, bad, o);
    CHECK(rn.status == TrainStatus::not_finite);
    CHECK(rn.step == 0);
    CHECK(rn.message.find("step 1: the loss is not finite") == 0);
    std::string message = rn.message;
    comm().broadcast(message, 0);
    CHECK(message == rn.message);
    // An interrupt seen by one process only.
    TrainOptions stop = o;
    stop.stop_requested = [n = std::size_t(0)]() mutable { return ++n == 3 && comm().rank() == comm().size() - 1; };
    Autoencoder<double> s = make();
    const TrainResult rs = train(s, x, stop);
    CHECK(rs.status == TrainStatus::interrupted);
    CHECK(rs.step == 3);
    CHECK(same_everywhere(s.parameters()));
}

namespace {

// Compares two model files' arrays: the largest relative difference, and whether it is within tolerance.
int compare(const char* a, const char* b, double tolerance) {
    const NamedArrays<double> x = load_npz<double>(a), y = load_npz<double>(b);
    double worst = 0;
    for (const auto& [name, array] : x) {
        const Array<double>& other = find_array(y, name, b);
        if (other.shape() != array.shape()) {
            std::printf("%s: shapes differ\n", name.c_str());
            return 1;
        }
        worst = std::max(worst, rel_diff(other, array));
    }
    std::printf("largest relative difference %.3g (tolerance %.3g)\n", worst, tolerance);
    return worst <= tolerance ? 0 : 1;
}

}  // namespace

// A loss with no value on the last process only (log of a negative entry in its shard), before a
// sum on the tape that the others then wait in: the job must end with the message, not hang.
int error_on_one_process() {
    A x = random_array(4, 20, 0.1, 1, 3), W = random_array(4, 4, 0.1, 1, 4);
    x(0, 19) = -1;
    ParamList<double> params{{"W", &W}};
    const BatchLoss<double> loss = [](const Batch<double>& batch) {
        return LossFn<double>([&bx = batch.x](const Vars<double>& p) {
            const Var<double> a = matmul(p[0], p[0].tape->borrow(bx));
            Loss<double> l;
            l.add("log", sum(log(p[0].tape->borrow(bx))) + sum(batch_mean(a)));
            return l;
        });
    };
    TrainOptions o = quiet({});
    o.iterations = 3, o.communicator = &comm();
    train(params, x, A(), loss, o);
    return 0;  // not reached on several processes
}

int main(int argc, char** argv) {
    if (argc == 5 && std::strcmp(argv[1], "--compare") == 0) return compare(argv[2], argv[3], std::atof(argv[4]));
    if (argc == 2 && std::strcmp(argv[1], "--error-on-one-process") == 0) return error_on_one_process();
    comm();  // MPI starts before the first test
    doctest::Context context(argc, argv);
    return context.run();
}
