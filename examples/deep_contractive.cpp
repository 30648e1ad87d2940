// examples/deep_contractive.cpp: a deep contractive autoencoder in a few lines of the public API:
// two tanh layers to a 64-unit code, the exact contractive penalty of the whole encoder (nested
// reverse mode), cross-entropy, weight decay; trained with train() and saved as a model file that
// `aezoo encode/show/grad/check` read. Usage: deep_contractive [OUT_DIR] (default: the current folder).
#include <cstdio>
#include <random>
#include <string>

#include "io/npy.hpp"
#include "models/model.hpp"
#include "models/terms.hpp"
#include "optim/trainer.hpp"

using namespace ae;

int main(int argc, char** argv) {
    const std::string out = argc > 1 ? std::string(argv[1]) + "/" : "";
    // 16x16 images of one horizontal and one vertical bar, in (0, 1); examples are columns.
    std::mt19937_64 rng(1);
    Array<double> x = xt::zeros<double>({std::size_t(256), std::size_t(400)});
    for (std::size_t t = 0; t < x.shape(1); ++t)
        for (std::size_t i = 0, r = rng() % 16, c = rng() % 16; i < 16; ++i) x(r * 16 + i, t) = x(i * 16 + c, t) = 1;
    x = 0.1 + 0.8 * x;

    // The model: an encoder of two tanh layers, its mirror with tied weights, three terms.
    Sequence<double> encoder = dense_stack<double>({256, 128, 64}, {Activation::tanh, Activation::tanh});
    Autoencoder<double> net("deep-contractive", encoder, mirror(encoder, "encoder", /*tied=*/true, Activation::sigmoid));
    net.add_term(make_term(net, "cross_entropy"));
    net.add_term(make_term(net, "contractive", {{"form", "exact"}, {"lambda", "0.1"}}));
    net.add_term(make_term(net, "weight_decay", {{"lambda", "1e-4"}}));

    TrainOptions o;
    o.optimizer = "adam";
    o.batch_size = 50;
    o.epochs = 10;
    o.progress = ProgressMode::quiet;
    const TrainResult r = train(net, x, o);
    std::printf("%s after %zu steps: loss %.5f\n", to_string(r.status).c_str(), r.step, r.loss);

    Model<double>(std::move(net)).save(out + "deep_contractive.npz");  // aezoo reads it
    save_examples_npy(out + "bars.npy", x);
    return 0;
}
