// tests/test_layers_conv.cpp: conv, deconv, pooling and upsampling as layers: names, shapes, text,
// the mirrored decoder, a conv autoencoder's gradients (first order, and second order through the
// exact contractive penalty), and refusals that name the layer and the shapes.
#include <doctest/doctest.h>

#include "models/terms.hpp"
#include "tests/helpers.hpp"
#include "tests/zoo_helpers.hpp"

using namespace ae;
using namespace zoo_test;
using test::contains;
using test::error_of;

namespace {

// 1x8x8 -> conv 4 (3x3, pad 1) -> tanh -> pool 2 -> 4x4x4 -> conv 6 (3x3, pad 1) -> tanh -> pool 2 -> 6x2x2.
Sequence<double> small_encoder(Pooling pooling) {
    return Sequence<double>{Conv<double>({1, 8, 8, 3, 1, 1}, 4), Activate<double>(Activation::tanh),
                            Pool<double>(pooling, {4, 8, 8, 2, 2, 0}), Conv<double>({4, 4, 4, 3, 1, 1}, 6),
                            Activate<double>(Activation::tanh), Pool<double>(pooling, {6, 4, 4, 2, 2, 0})};
}

Autoencoder<double> small_model(Pooling pooling, bool tied) {
    Sequence<double> e = small_encoder(pooling);
    Sequence<double> d = mirror(e, "encoder", tied, Activation::sigmoid);
    Autoencoder<double> model("conv", std::move(e), std::move(d), 3);
    add_reconstruction(model, Reconstruction::cross_entropy);
    return model;
}

std::vector<std::string> lines(const Sequence<double>& s) { return s.text(); }

}  // namespace

TEST_CASE("conv layers: names, shapes, the mirrored decoder and the text round trip") {
    Autoencoder<double> model = small_model(Pooling::max, false);
    CHECK(model.visible() == 64);
    CHECK(model.code_size() == 24);
    CHECK(model.parameter_names() == std::vector<std::string>{"encoder.0.W", "encoder.0.b", "encoder.3.W", "encoder.3.b",
                                                              "decoder.1.W", "decoder.1.b", "decoder.4.W", "decoder.4.b"});
    CHECK(find(model.parameters(), "encoder.3.W").shape() == std::array<std::size_t, 2>{6, 36});
    CHECK(lines(model.decoder()) == std::vector<std::string>{"upsample 6x2x2 2", "deconv 4x4x4 6 kernel 3 stride 1 pad 1",
                                                             "tanh", "upsample 4x4x4 2",
                                                             "deconv 1x8x8 4 kernel 3 stride 1 pad 1", "sigmoid"});
    const Autoencoder<double> tied = small_model(Pooling::average, true);
    CHECK(tied.decoder()[1].text() == "deconv 4x4x4 6 kernel 3 stride 1 pad 1 tied encoder.3.W");
    CHECK(tied.encoder()[2].text() == "avg_pool 4x8x8 2");
    for (const Sequence<double>* s : {&model.encoder(), &model.decoder(), &tied.decoder()})
        CHECK(lines(sequence_from_text<double>(lines(*s))) == lines(*s));
    CHECK(layer_from_text<double>("conv 3x32x32 16 kernel 4 stride 2 pad 1")->output_size(3 * 32 * 32) == 16 * 16 * 16);
}

TEST_CASE("a deconv tied to a conv is that conv's adjoint, biases aside") {
    const Window w{2, 6, 6, 3, 1, 1};
    Conv<double> conv(w, 3);
    std::mt19937_64 rng(5);
    conv.initialize(rng);
    const A x = random_array(w.rows(), 4, -1, 1, 6), y = random_array(3 * w.out_pixels(), 4, -1, 1, 7);
    Tape<double> tape;
    const std::vector<std::string> names{"enc.W", "enc.b", "dec.b"};
    const A zero_c = xt::zeros<double>({std::size_t(3), std::size_t(1)}), zero_x = xt::zeros<double>({std::size_t(2), std::size_t(1)});
    const Vars<double> p{tape.borrow(conv.W), tape.borrow(zero_c), tape.borrow(zero_x)};
    const Bound<double> bound(names, p);
    const ConvTranspose<double> deconv(w, 3, "enc.W");
    const double a = xt::sum(conv.forward(tape.leaf(x), bound.in("enc")).value() * y)();
    const double b = xt::sum(x * deconv.forward(tape.leaf(y), bound.in("dec")).value())();
    CHECK(std::abs(a - b) <= 1e-13 * std::abs(a));
}

TEST_CASE("conv autoencoder: the loss's gradient against central differences, average and max pooling, untied and tied") {
    const A x = random_array(64, 3, 0, 1, 8);
    for (bool tied : {false, true}) {
        INFO("tied " << tied);
        Autoencoder<double> avg = small_model(Pooling::average, tied);
        CHECK(check_loss(avg.parameters(), avg.loss_fn(x)).metric < 1e-8);
        // Max pooling has kinks where two window entries tie: a two-point stencil with a small step
        // stays on one side of them.
        Autoencoder<double> max = small_model(Pooling::max, tied);
        GradCheckOptions o;
        o.stencil = GradCheckOptions::two_point;
        o.step = 1e-6;
        CHECK(check_gradient_directional(as_function(max.loss_fn(x)), arrays_of(max.parameters()), 16, o).metric < 1e-6);
    }
}

TEST_CASE("conv autoencoder: the exact contractive penalty (a gradient of a gradient through convolution and pooling)") {
    const A x = random_array(64, 2, 0, 1, 9);
    Autoencoder<double> model = small_model(Pooling::average, false);
    model.add_term(make_term(model, "contractive", {{"form", "exact"}, {"lambda", "0.5"}}));
    CHECK(check_gradient_directional(as_function(model.loss_fn(x)), arrays_of(model.parameters()), 8).metric < 1e-8);
    // The penalty itself against ||J||_F^2 / m from central differences of the code.
    Tape<double> tape;
    const ParamList<double> params = model.parameters();
    const Vars<double> p = enter(tape, params);
    const Loss<double> loss = model.loss(p, tape.leaf(x));
    double numeric = 0;
    for (std::size_t i = 0; i < 64; ++i)
        for (std::size_t t = 0; t < 2; ++t) {
            A up = x, down = x;
            up(i, t) += 1e-5;
            down(i, t) -= 1e-5;
            const A d = (model.encode(up) - model.encode(down)) / 2e-5;
            numeric += xt::sum(d * d)();
        }
    const double penalty = item(loss.term("contractive"));
    CHECK(penalty == doctest::Approx(0.5 * numeric / 2).epsilon(1e-6));
}

TEST_CASE("unpooling puts each value back where its max pool took it from, and needs that pool") {
    const Sequence<double> e = small_encoder(Pooling::max);
    const Sequence<double> d = mirror(e, "encoder", false, Activation::sigmoid, /*switches=*/true);
    CHECK(lines(d) == std::vector<std::string>{"unpool 6x2x2 2 at encoder.5", "deconv 4x4x4 6 kernel 3 stride 1 pad 1",
                                               "tanh", "unpool 4x4x4 2 at encoder.2",
                                               "deconv 1x8x8 4 kernel 3 stride 1 pad 1", "sigmoid"});
    CHECK(lines(sequence_from_text<double>(lines(d))) == lines(d));
    Autoencoder<double> model("conv", e, d, 3);
    add_reconstruction(model, Reconstruction::cross_entropy);
    const A x = random_array(64, 3, 0, 1, 8);
    Tape<double> tape;
    const ParamList<double> params = model.parameters();
    const Vars<double> p = enter(tape, params);
    const Bound<double> bound(model.parameter_names(), p);
    ExampleNoise rng(1, 0);
    const Pass<double> f = model.forward(bound, tape.leaf(x), rng);
    // The code unpooled: the tanh before the last pooling where that pooling took its maximum, 0 elsewhere.
    const A mask = max_pool_mask(f.code.layers[4], {6, 4, 4, 2, 2, 0}).value();
    CHECK(xt::sum(mask)() == 6 * 2 * 2 * 3);  // one entry per window and example
    CHECK(f.decoder[0].value() == f.code.layers[4].value() * mask);
    CHECK(model.reconstruct(x) == f.x_hat.value());
    CHECK(contains(error_of([&] { model.decode(model.encode(x)); }),
                   "unpool 6x2x2 2 at encoder.5: no pass through encoder.5 to take the positions from"));
    for (bool tied : {false, true}) {  // max pooling's kinks: a two-point stencil with a small step
        Autoencoder<double> m("conv", e, mirror(e, "encoder", tied, Activation::sigmoid, true), 4);
        add_reconstruction(m, Reconstruction::cross_entropy);
        GradCheckOptions o;
        o.stencil = GradCheckOptions::two_point;
        o.step = 1e-6;
        CHECK(check_gradient_directional(as_function(m.loss_fn(x)), arrays_of(m.parameters()), 16, o).metric < 1e-6);
    }
    // Unpooling without its pool: at an activation, or with another window; switches of an average pooling.
    std::vector<std::string> at_tanh = lines(d);
    at_tanh[0] = "unpool 6x2x2 2 at encoder.4";
    CHECK(contains(error_of([&] { Autoencoder<double>("conv", e, sequence_from_text<double>(at_tanh)); }),
                   "conv: decoder.0 (unpool 6x2x2 2 at encoder.4) unpools at encoder.4, which is not a max pooling of "
                   "this encoder over 6x4x4, kernel 2, stride 2, pad 0"));
    CHECK(contains(error_of([&] { mirror(small_encoder(Pooling::average), "encoder", false, Activation::sigmoid, true); }),
                   "mirror: encoder.5 (avg_pool 6x4x4 2) is not a max pooling: it has no positions to unpool at"));
    CHECK(contains(error_of([&] { layer_from_text<double>("unpool 6x2x2 2 encoder.5"); }), "expected unpool CxHxW K at LAYER"));
}

TEST_CASE("conv layers: shapes that do not chain, bad windows and bad lines are refused naming the layer") {
    CHECK(contains(error_of([] { Conv<double>({1, 4, 4, 7, 1, 0}, 2); }),
                   "conv (1x4x4, kernel 7, stride 1, pad 0): the kernel is larger than the padded image 4x4"));
    CHECK(contains(error_of([] { Conv<double>({1, 28, 28, 5, 2, 0}, 2); }), "the stride does not tile the padded image 28x28"));
    CHECK(contains(error_of([] { Pool<double>(Pooling::max, {1, 28, 28, 3, 3, 0}); }),
                   "max_pool (1x28x28, kernel 3, stride 3, pad 0): the stride does not tile"));
    // Channel counts that do not chain, and an image that does not match the rows given.
    CHECK(error_of([] {
              Autoencoder<double>("c", Sequence<double>{Conv<double>({1, 8, 8, 3, 1, 1}, 4), Conv<double>({3, 8, 8, 3, 1, 1}, 2)},
                                  Sequence<double>{Dense<double>(128, 64)});
          }) == "c: encoder.1 (conv 3x8x8 2 kernel 3 stride 1 pad 1 takes 192 inputs (3x8x8 images), given 256)");
    CHECK(error_of([] {
              Autoencoder<double>("c", Sequence<double>{Conv<double>({1, 8, 8, 3, 1, 1}, 4)},
                                  Sequence<double>{Upsample<double>({4, 8, 8, 2, 2, 0})});
          }) == "c: decoder.0 (upsample 4x4x4 2 takes 64 inputs (4x4x4 images), given 256)");
    Autoencoder<double> model = small_model(Pooling::max, false);
    CHECK(contains(error_of([&] { model.reconstruct(random_array(63, 2, 0, 1, 1)); }), "63"));
    for (const char* line : {"conv 1x28x28 32 kernel 5 stride 1", "conv 1x28 32 kernel 5 stride 1 pad 2",
                             "conv 1x28x28 0 kernel 5 stride 1 pad 2", "deconv 1x28x28 32 kernel 5 stride 1 pad 2 tied",
                             "max_pool 1x28x28", "upsample 1x14x14 two", "conv 1x28x28 32 kern 5 stride 1 pad 2"}) {
        INFO(std::string(line));
        CHECK(contains(error_of([&] { layer_from_text<double>(line); }), std::string("layer '") + line + "'"));
    }
    CHECK(contains(error_of([] { layer_from_text<double>("conv 1x0x28 32 kernel 5 stride 1 pad 2"); }),
                   "layer 'conv 1x0x28 32 kernel 5 stride 1 pad 2': image '1x0x28' is not CHANNELSxHEIGHTxWIDTH"));
}
