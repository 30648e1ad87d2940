// tests/test_models_conv.cpp: the zoo's conv autoencoder: its stages and mirrored decoder, every
// term it takes against central differences, and the options it refuses.
#include <doctest/doctest.h>
#include <xtensor/xview.hpp>

#include "models/registry.hpp"
#include "models/zoo.hpp"
#include "tests/helpers.hpp"
#include "tests/zoo_helpers.hpp"

using namespace ae;
using namespace zoo_test;
using test::contains;
using test::error_of;

namespace {

std::vector<std::string> term_names(const Autoencoder<double>& m) {
    std::vector<std::string> names;
    for (const NamedTerm<double>& t : m.terms()) names.push_back(t.name);
    return names;
}

}  // namespace

TEST_CASE("conv model: stages of conv, activation and pooling, the decoder their mirror") {
    ConvOptions o;
    o.kernel = 3;
    const Autoencoder<double> m = conv<double>({64, 2, 3}, o);
    CHECK(m.encoder().text() == std::vector<std::string>{"conv 1x8x8 2 kernel 3 stride 1 pad 1", "relu", "max_pool 2x8x8 2",
                                                         "conv 2x4x4 3 kernel 3 stride 1 pad 1", "relu", "max_pool 3x4x4 2"});
    CHECK(m.decoder().text() == std::vector<std::string>{"upsample 3x2x2 2", "deconv 2x4x4 3 kernel 3 stride 1 pad 1", "relu",
                                                         "upsample 2x4x4 2", "deconv 1x8x8 2 kernel 3 stride 1 pad 1", "sigmoid"});
    CHECK(m.code_size() == 12);
    CHECK(m.first_weights().shape() == std::array<std::size_t, 2>{2, 9});
    CHECK(term_names(m) == std::vector<std::string>{"cross_entropy"});
    // A colour image, no pooling, tied: the deconv reads the conv's kernels.
    o.image = {3, 5, 5};
    o.pool = 1;
    o.tied = true;
    const Autoencoder<double> c = conv<double>({75, 4}, o);
    CHECK(c.code_size() == 4 * 25);
    CHECK(c.decoder().text() == std::vector<std::string>{"deconv 3x5x5 4 kernel 3 stride 1 pad 1 tied encoder.0.W", "sigmoid"});
}

TEST_CASE("conv model: every term on passes the gradient check") {
    const A x = random_array(64, 3, 0.05, 0.95, 21);
    ConvOptions o;
    o.kernel = 3;
    o.activation = Activation::sigmoid;
    o.pooling = Pooling::average;
    o.lambda = 1e-3;
    o.beta = 0.5;
    o.rho = 0.2;
    o.corruption = masking_noise(0.2);
    o.contraction = 0.3;
    for (auto form : {ContractiveOptions::exact, ContractiveOptions::projected})
        for (bool tied : {false, true}) {
            o.form = form;
            o.tied = tied;
            INFO("form " << (form == ContractiveOptions::exact ? "exact" : "projected") << ", tied " << tied);
            Autoencoder<double> m = conv<double>({64, 2, 3}, o, 4);
            CHECK(term_names(m) == std::vector<std::string>{"cross_entropy", "weight_decay", "kl_sparsity", "contractive"});
            const LossFn<double> loss = m.loss_fn(x, /*seed=*/5);  // one fixed mask and projection
            const Evaluation<double> e = evaluate(m.parameters(), loss, false);
            for (const auto& [name, value] : e.terms) CHECK(value > 0);
            CHECK(check_loss(m.parameters(), loss).metric < 1e-9);
        }
    // relu and max pooling, the model's defaults, have kinks: a tiny two-point step stays on one side.
    ConvOptions d;
    d.kernel = 3;
    Autoencoder<double> m = conv<double>({64, 2, 3}, d, 6);
    GradCheckOptions two;
    two.stencil = GradCheckOptions::two_point;
    two.step = 1e-6;
    CHECK(check_gradient(as_function(m.loss_fn(x)), arrays_of(m.parameters()), two).metric < 1e-6);
}

TEST_CASE("conv model: built from the registry's options, refusing what does not fit by name") {
    const ModelKind& kind = model_kind("conv");
    const auto build = [&](const std::vector<std::size_t>& sizes, const std::map<std::string, std::string>& given) {
        return build_model<double>(kind, sizes, Options("conv", kind.options, given), 1);
    };
    const Autoencoder<double> m = build({64, 2}, {{"kernel", "3"}, {"pooling", "average"}, {"activation", "tanh"}, {"beta", "1"}});
    CHECK(m.encoder()[2].text() == "avg_pool 2x8x8 2");
    CHECK(m.code_activation() == Activation::tanh);  // seen through the pooling
    CHECK(term_names(m) == std::vector<std::string>{"cross_entropy", "kl_sparsity"});
    CHECK(contains(error_of([&] { build({64, 2}, {{"probes", "3"}}); }),
                   "conv: probes is given but has no effect unless contraction > 0 with form projected"));
    CHECK(contains(error_of([&] { build({64, 2}, {{"rho", "0.1"}}); }), "conv: rho is given but has no effect unless beta > 0"));
    CHECK(contains(error_of([&] { build({64, 0}, {}); }), "conv: stage 1 of 1: conv: channels must be positive"));
    CHECK(contains(error_of([&] { build({64, 2}, {{"image", "8,8"}}); }), "image must be channels,height,width, got 2 numbers"));
    CHECK(contains(error_of([&] { build({64, 2}, {{"rho", "1.5"}, {"beta", "1"}}); }), "rho = 1.5 is outside (0, 1)"));
    CHECK(contains(error_of([&] { build({64}, {}); }), "sizes must be visible, then the channels of each stage"));
    ConvOptions o;
    o.contraction = 1;
    o.form = ContractiveOptions::closed_form;
    CHECK(contains(error_of([&] { conv<double>({64, 2}, o); }), "the contractive penalty of a conv encoder is exact or projected"));
}

TEST_CASE("conv model: inference on more examples than one chunk gives each example its own result") {
    ConvOptions o;
    o.kernel = 3;
    o.switches = true;  // the unpooling reads each chunk's own encoder pass
    const Autoencoder<double> m = conv<double>({784, 16}, o, 2);
    const A x = random_array(784, 1000, 0, 1, 30);  // the model's layers hold about 42,000 entries per example
    const A whole = m.reconstruct(x), codes = m.encode(x);
    for (std::size_t j : {std::size_t(0), std::size_t(398), std::size_t(399), std::size_t(999)}) {
        const A one = xt::view(x, xt::all(), xt::range(j, j + 1));
        CHECK(max_abs_diff(m.reconstruct(one), xt::view(whole, xt::all(), xt::range(j, j + 1))) < 1e-13);
        CHECK(max_abs_diff(m.encode(one), xt::view(codes, xt::all(), xt::range(j, j + 1))) < 1e-13);
    }
}
