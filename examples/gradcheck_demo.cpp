// examples/gradcheck_demo.cpp: the UFLDL gradient-checking warm-up, then first- and second-order
// checks of a small sparse-autoencoder-like loss, printed as the UFLDL metric.
#include <cstdio>

#include "autodiff/autodiff.hpp"
#include "autodiff/gradcheck.hpp"

using namespace ae;

int main() {
    // UFLDL: h(x) = x1^2 + 3 x1 x2 at (4, 10) has gradient (38, 12).
    Function h = [](const Vars<double>& in) {
        Var<double> x1 = sum_to(matmul(in[0].tape->leaf(Array<double>{{1.0, 0.0}}), in[0]), {1, 1});
        Var<double> x2 = sum_to(matmul(in[0].tape->leaf(Array<double>{{0.0, 1.0}}), in[0]), {1, 1});
        return square(x1) + 3.0 * x1 * x2;
    };
    const Array<double> x = {{4.0}, {10.0}};
    Tape<double> tape;
    Var<double> xv = tape.leaf(x);
    Array<double> g = grad(h({xv}), {xv})[0].value();
    GradCheckOptions ufldl{GradCheckOptions::two_point, 1e-4};
    GradCheck warmup = check_gradient(h, {x}, ufldl);
    std::printf("UFLDL warm-up: gradient (%.6f, %.6f), expected (38, 12); metric %.3g\n", g(0, 0), g(1, 0),
                warmup.metric);

    // A one-hidden-layer sigmoid autoencoder loss, in primitives.
    Function loss = [](const Vars<double>& p) {
        const Var<double>&W1 = p[0], &b1 = p[1], &W2 = p[2], &b2 = p[3], &x = p[4];
        Var<double> h = sigmoid(affine(W1, x, b1));
        Var<double> x_hat = sigmoid(affine(W2, h, b2));
        return 0.5 * sum_squares(x_hat - x) / double(cols(x)) + 1e-3 * (sum_squares(W1) + sum_squares(W2));
    };
    auto r = [](std::size_t n, std::size_t m, double s) {
        Array<double> a = Array<double>::from_shape({n, m});
        for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = s * std::sin(1.7 * double(i) + 0.3 * double(n));
        return a;
    };
    const std::vector<Array<double>> at = {r(3, 5, 0.5), r(3, 1, 0.1), r(5, 3, 0.5), r(5, 1, 0.1), r(5, 4, 1.0)};
    GradCheck first = check_gradient(loss, at);
    GradCheck directional = check_gradient_directional(loss, at, 16);
    GradCheck second = check_second_order(loss, at);
    std::printf("autoencoder loss: first order %.3g, 16 random directions %.3g, second order %.3g\n",
                first.metric, directional.metric, second.metric);
    const bool ok = warmup.passed(1e-9) && first.passed(1e-9) && directional.passed(1e-9) && second.passed(1e-8);
    std::printf("%s\n", ok ? "all checks passed" : "CHECK FAILED");
    return ok ? 0 : 1;
}
