// tests/test_model_file.cpp: a model file rebuilds its model: every kind, its spec and its arrays.
#include <doctest/doctest.h>

#include "io/npz.hpp"
#include "models/model.hpp"
#include "tests/io_test_util.hpp"

using namespace ae;
using test::contains;
using test::error_of;

namespace {
// Rewrites a model file with entry `name` replaced by `value`, or dropped when value is empty.
void tamper(const std::string& path, const std::string& name, const Array<double>& value) {
    NpzEntries kept;
    for (auto& [n, array] : read_npz(path))
        if (n != name) kept.emplace_back(n, array);
        else if (value.size() > 0) kept.emplace_back(n, matrix_to_npy(value));
    write_file_atomic(path, serialize_npz(kept));
}
}  // namespace

TEST_CASE("model files round-trip every kind of model") {
    test::TempDir dir;
    const std::vector<ModelSpec> specs = {
        {"sparse-kl", {16, 5}, {{"rho", "0.1"}, {"lambda", "3e-3"}, {"encoder", "tanh"}}, 3},
        {"k-sparse", {16, 6}, {{"k", "2"}, {"alpha", "2"}, {"k-start", "5"}}, 4},
        {"denoising", {16, 5}, {{"corruption", "gaussian"}, {"noise", "0.2"}, {"tied", "false"}}, 5},
        {"contractive", {16, 5}, {{"lambda", "0.3"}, {"form", "exact"}}, 6},
        {"cae+h", {16, 5}, {{"gamma", "0.1"}}, 7},
        {"linear", {16, 3}, {}, 8},
        {"basic", {16, 5}, {{"units", "linear"}, {"loss", "squared-error"}}, 9},
        {"stacked", {16, 6, 4}, {{"classes", "3"}, {"head-lambda", "1e-3"}}, 10},
        {"deep", {16, 8, 4}, {{"activations", "sigmoid,tanh"}, {"tied", "true"}}, 11},
        {"conv", {16, 3, 2}, {{"kernel", "3"}, {"tied", "true"}, {"corruption", "masking"}, {"contraction", "0.1"}}, 12},
        {"conv", {16, 3, 2}, {{"kernel", "3"}, {"unpool", "switches"}}, 13},
    };
    for (const ModelSpec& spec : specs) {
        INFO(spec.kind);
        Model<double> m(spec);
        for (const Named<double>& p : m.parameters()) *p.array += 0.25;  // not the initial values
        const std::string path = dir.path + "/" + spec.kind + ".npz";
        m.save(path);
        Model<double> back = Model<double>::load(path);
        CHECK(back.describe() == m.describe());
        CHECK(to_text(back.spec()) == to_text(m.spec()));
        const ParamList<double> a = m.parameters(), b = back.parameters();
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].name == b[i].name);
            CHECK(*a[i].array == *b[i].array);
        }
        // A float32 model file reads back as double with the same values.
        Model<float> f(spec);
        f.save(path);
        CHECK(Model<double>::load(path).network().first_weights() == xt::cast<double>(f.network().first_weights()));
    }
}

TEST_CASE("model specs name what is wrong") {
    CHECK(contains(error_of([] { Model<double>({"nope", {4, 2}, {}, 1}); }), "unknown model 'nope'"));
    CHECK(contains(error_of([] { Model<double>({"linear", {4, 2}, {{"rho", "0.1"}}, 1}); }),
                   "linear: 'rho' is not one of its options (center)"));
    CHECK(contains(error_of([] { Model<double>({"k-sparse", {4, 3}, {{"k", "2"}, {"rho", "0.1"}}, 1}); }),
                   "k-sparse: 'rho' is not one of its options (center, k, alpha, k-start)"));
    CHECK(contains(error_of([] { Model<double>({"k-sparse", {4, 3}, {}, 1}); }), "k-sparse: k is required"));
    CHECK(contains(error_of([] { Model<double>({"sparse-kl", {4}, {}, 1}); }), "sizes must be visible, hidden"));
    CHECK(contains(error_of([] { Model<double>({"sparse-kl", {4, 2}, {{"beta", "3x"}}, 1}); }),
                   "beta = '3x' is not a number"));
    CHECK(contains(error_of([] { Model<double>({"k-sparse", {4, 3}, {{"k", "1.5"}}, 1}); }),
                   "k = 1.5 is not a whole number"));
    CHECK(contains(error_of([] { Model<double>({"denoising", {4, 2}, {{"corruption", "blur"}}, 1}); }),
                   "corruption = 'blur' is not one of masking, gaussian, salt-and-pepper"));
    CHECK(contains(error_of([] { parse_spec("kind sparse-kl", "f.npz"); }), "f.npz: malformed model spec line"));
}

TEST_CASE("a model file whose arrays do not fit its spec is refused") {
    test::TempDir dir;
    Model<double> m({"sparse-kl", {8, 3}, {}, 1});
    const std::string path = dir.path + "/m.npz";
    m.save(path);
    tamper(path, "encoder.0.W", xt::zeros<double>({4, 8}));
    CHECK(contains(error_of([&] { Model<double>::load(path); }), "encoder.0.W has shape (4, 8), the model needs (3, 8)"));
    tamper(path, "aezoo.spec", {});
    CHECK(contains(error_of([&] { Model<double>::load(path); }), "aezoo.spec"));
}

TEST_CASE("center = true: the networks see centred data and the mean travels in the model file") {
    test::TempDir dir;
    Model<double> m({"k-sparse", {6, 4}, {{"k", "2"}, {"center", "true"}}, 2});
    REQUIRE(m.centers());
    Array<double> x = Array<double>::from_shape({6, 5});
    for (std::size_t i = 0; i < x.size(); ++i) x.flat(i) = 0.1 * double((i * 7) % 11);  // all >= 0
    CHECK(contains(error_of([&] { m.encode(x); }), "no mean fitted"));
    m.fit_center(x);
    const Array<double> mean = xt::mean(x, {1}, xt::keep_dims), c = x - mean;
    CHECK(xt::allclose(m.centered(x), c, 0, 1e-15));
    CHECK(xt::allclose(xt::mean(m.centered(x), {1}), 0.0, 0, 1e-15));
    // encode and reconstruct go through the centring: the autoencoder itself sees x - mean.
    CHECK(m.encode(x) == m.network().encode(c));
    CHECK(xt::allclose(m.reconstruct(x), m.network().reconstruct(c) + mean, 0, 1e-15));
    const std::string path = dir.path + "/c.npz";
    m.save(path);
    const Model<double> back = Model<double>::load(path);
    CHECK(back.input_mean() == m.input_mean());
    CHECK(back.encode(x) == m.encode(x));
    // Without the option nothing changes; wrong sizes and a missing or malformed mean are named.
    Model<double> plain({"k-sparse", {6, 4}, {{"k", "2"}}, 2});
    CHECK_FALSE(plain.centers());
    CHECK(plain.encode(x) == plain.network().encode(x));
    CHECK(contains(error_of([&] { plain.fit_center(x); }), "without center = true"));
    CHECK(contains(error_of([&] { m.fit_center(Array<double>(xt::zeros<double>({5, 3}))); }),
                   "the model has 6 inputs, the mean is (5, 1)"));
    CHECK(contains(error_of([&] { m.set_input_mean(Array<double>(xt::zeros<double>({6, 2}))); }),
                   "the mean is (6, 2)"));
    CHECK(contains(error_of([] { Model<double>({"linear", {4, 2}, {{"center", "yes"}}, 1}); }),
                   "center = 'yes' is not one of true, false"));
    tamper(path, "input.mean", xt::zeros<double>({5, 1}));
    const std::string wrong = error_of([&] { Model<double>::load(path); });
    CHECK(contains(wrong, path));
    CHECK(contains(wrong, "the model has 6 inputs, the mean is (5, 1)"));
    tamper(path, "input.mean", {});
    CHECK(contains(error_of([&] { Model<double>::load(path); }), "input.mean"));
}
