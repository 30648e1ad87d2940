// examples/standalone/main.cpp: an autoencoder variant written outside aezoo, against the installed
// package: a denoising autoencoder (Gaussian noise, tied weights, squared error) with a smooth
// sparsity penalty on its code, (beta/m) sum log(1 + h^2 / eps), added as a named loss term. It
// checks the variant's gradient with the library's check_gradient, trains it briefly on synthetic
// data, and exits non-zero if the check fails or the loss does not fall.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "autodiff/functions.hpp"
#include "autodiff/gradcheck.hpp"
#include "models/denoising.hpp"
#include "models/loss.hpp"

using namespace ae;

// The variant: the zoo's denoising autoencoder plus one term. A factory, as the zoo's models are.
Autoencoder<double> sparse_denoising(std::size_t visible, std::size_t hidden, double beta, double eps,
                                     std::uint64_t seed) {
    DenoisingOptions options;
    options.corruption = gaussian_noise(0.05);
    options.reconstruction = Reconstruction::squared_error;
    Autoencoder<double> model = denoising<double>({visible, hidden}, options, seed);
    model.add_term("log_sparsity", [beta, eps](const Pass<double>& f) {
        return beta * sum(log(1.0 + square(f.h) / eps)) / double(cols(f.h));
    });
    return model;
}

// Synthetic data, examples as columns: each a random mix of 3 of 8 smooth bumps over 16 inputs,
// kept inside (0, 1).
Array<double> bumps(std::size_t m, std::uint64_t seed) {
    const std::size_t n = 16, bases = 8;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::size_t> pick(0, bases - 1);
    std::uniform_real_distribution<double> weight(0.3, 1.0);
    Array<double> x = Array<double>::from_shape({n, m});
    for (std::size_t t = 0; t < m; ++t) {
        std::vector<double> w(bases, 0.0);
        for (int j = 0; j < 3; ++j) w[pick(rng)] = weight(rng);
        for (std::size_t i = 0; i < n; ++i) {
            double v = 0;
            for (std::size_t b = 0; b < bases; ++b) {
                const double d = (double(i) - 2.0 * double(b)) / 1.5;
                v += w[b] * std::exp(-d * d);
            }
            x(i, t) = 0.1 + 0.8 * std::tanh(v);
        }
    }
    return x;
}

int main() {
    bool ok = true;

    // 1. The gradient of the whole loss (every term) by central differences, on a small problem and
    // one fixed noise seed, so every evaluation sees the same corruption.
    {
        Autoencoder<double> model = sparse_denoising(16, 6, 0.1, 0.05, 7);
        const Array<double> x = bumps(20, 3);
        const ParamList<double> params = model.parameters();
        std::vector<Array<double>> at;
        for (const auto& p : params) at.push_back(*p.array);
        const GradCheck r = check_gradient(as_function(model.loss_fn(x, /*seed=*/11)), at);
        const bool passed = r.passed(1e-8);
        std::printf("gradient check: metric %.3e, max abs error %.3e, %zu evaluations: %s\n", r.metric,
                    r.max_abs_error, r.evaluations, passed ? "passed" : "FAILED");
        ok = ok && passed;
    }

    // 2. Training: gradient descent on a reused tape, a new noise seed every step.
    {
        Autoencoder<double> model = sparse_denoising(16, 12, 0.02, 0.05, 1);
        const Array<double> x = bumps(400, 5);
        Tape<double> tape;
        const ParamList<double> params = model.parameters();
        const auto clean_loss = [&] {  // the same fixed seed before and after, for a fair comparison
            return evaluate(tape, params, model.loss_fn(x, /*seed=*/12345), /*gradient=*/false);
        };
        const Evaluation<double> first = clean_loss();
        for (std::size_t step = 0; step < 300; ++step) {
            const Evaluation<double> e = evaluate(tape, params, model.loss_fn(x, step));
            for (std::size_t i = 0; i < params.size(); ++i) *params[i].array -= 0.5 * e.gradient[i];
        }
        const Evaluation<double> last = clean_loss();
        std::printf("training: loss %.5f -> %.5f", first.total, last.total);
        for (std::size_t i = 0; i < last.terms.size(); ++i)
            std::printf("  %s %.5f -> %.5f", last.terms[i].first.c_str(), first.terms[i].second,
                        last.terms[i].second);
        // The total at least halves, and the reconstruction improves too (not the penalty alone).
        const bool fell = std::isfinite(last.total) && last.total < 0.5 * first.total &&
                          last.terms[0].second < first.terms[0].second;
        std::printf("\ntraining: %s\n", fell ? "the loss fell" : "the loss did NOT fall as it should");
        ok = ok && fell;
    }

    std::printf("%s\n", ok ? "my_variant: ok" : "my_variant: FAILED");
    return ok ? 0 : 1;
}
