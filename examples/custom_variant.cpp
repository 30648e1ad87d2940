// examples/custom_variant.cpp: a variant that is not in the zoo, in a few lines: a denoising
// autoencoder with an L1 penalty on its hidden activations, trained with the zoo's own tools (a
// plain gradient-descent loop here; flat_objective(model.parameters(), loss) feeds L-BFGS).
#include <cstdio>
#include <random>

#include "autodiff/functions.hpp"
#include "models/zoo.hpp"

using namespace ae;

// 8x8 images, each one horizontal and one vertical bar: 64 x m, examples as columns.
Array<double> bars(std::size_t m, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> pick(0, 7);
    Array<double> x = xt::zeros<double>({std::size_t(64), m});
    for (std::size_t t = 0; t < m; ++t) {
        const int row = pick(rng), col = pick(rng);
        for (int i = 0; i < 8; ++i) x(row * 8 + i, t) = x(i * 8 + col, t) = 1;
    }
    return 0.1 + 0.8 * x;  // inside (0, 1), for the cross-entropy
}

int main() {
    const Array<double> x = bars(500, 1);

    // The variant: the zoo's denoising autoencoder, plus one named loss term.
    Autoencoder<double> model = denoising<double>({64, 32}, {masking_noise(0.3)});
    const double l1 = 0.05;
    model.add_term("l1_hidden", [l1](const Pass<double>& f) {
        return l1 * sum(abs(f.h)) / double(cols(f.h));  // (l1/m) sum |h|
    });

    // Training: the loss and its gradient on a reused tape, a new corruption seed every step.
    Tape<double> tape;
    const ParamList<double> params = model.parameters();
    for (std::size_t step = 0; step <= 1000; ++step) {
        const Evaluation<double> e = evaluate(tape, params, model.loss_fn(x, /*seed=*/step));
        for (std::size_t i = 0; i < params.size(); ++i) *params[i].array -= 0.5 * e.gradient[i];
        if (step % 200 == 0) {
            std::printf("step %4zu  total %.5f", step, e.total);
            for (const auto& [name, value] : e.terms) std::printf("  %s %.5f", name.c_str(), value);
            std::printf("\n");
        }
    }
    const Array<double> h = model.encode(x);
    std::printf("mean hidden activation %.4f\n", double(xt::mean(h)()));
    return 0;
}
