// results/result7_linear_pca.cpp: result 7, a linear autoencoder 784-code trained to convergence
// equals PCA: its squared error beside PCA's on training and test images, the principal angles
// between the decoder's span and the top principal directions, and reconstructions.
//   flags: --limit (10000), --test-limit (10000), --code (30), --iterations (3000)
#include <algorithm>
#include <cmath>
#include <sstream>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xview.hpp>

#include "io/whitening.hpp"
#include "models/metrics.hpp"
#include "models/zoo.hpp"
#include "results/common.hpp"

using namespace ae;

namespace reproduce {

template <class T>
void result7_linear_pca(Context& c) {
    const std::size_t n = c.args.count("limit", 10000), code = c.args.count("code", 30);
    const std::size_t iterations = c.args.count("iterations", 3000);
    Dataset<T> train_set = load_idx_dataset<T>(c.mnist, Split::train, n);
    Dataset<T> test = load_idx_dataset<T>(c.mnist, Split::test, c.args.count("test-limit", 10000));
    Autoencoder<T> model = linear<T>({784, code}, c.seed);
    TrainOptions o = lbfgs(iterations, c.seed, (c.logs / "linear").string(), "linear AE");
    o.gradient_tolerance = 1e-9;
    o.progress_tolerance = 1e-14;
    const TrainResult r = train(model, train_set.x, o);
    c.report.row("training", describe(r));
    const Pca<T> pca = fit_pca(train_set.x);
    const double ae_train = squared_error_per_example(model.reconstruct(train_set.x), train_set.x);
    const double pca_train = squared_error_per_example(pca_reconstruct(pca, train_set.x, code), train_set.x);
    const Array<T> ae_rec = model.reconstruct(test.x), pca_rec = pca_reconstruct(pca, test.x, code);
    const double ae_test = squared_error_per_example(ae_rec, test.x);
    const double pca_test = squared_error_per_example(pca_rec, test.x);
    c.report.row("squared error per training image: linear AE / PCA-" + std::to_string(code),
                 number_text(ae_train, 6) + " / " + number_text(pca_train, 6));
    c.report.row("squared error per test image: linear AE / PCA-" + std::to_string(code),
                 number_text(ae_test, 6) + " / " + number_text(pca_test, 6) + " (ratio " + number_text(ae_test / pca_test, 6) + ")");
    // Principal angles between span(W2) (the decoder's columns) and the top principal directions.
    Array<double> W2 = xt::cast<double>(find(model.parameters(), "decoder.0.W"));
    Array<double> U = xt::cast<double>(xt::view(pca.basis, xt::all(), xt::range(0, code)));
    auto qr = xt::linalg::qr(W2);
    Array<double> Q = std::get<0>(qr);
    Array<double> M = xt::linalg::dot(xt::transpose(Q), U);
    auto svd = xt::linalg::svd(M, false);
    auto s = std::get<1>(svd);
    std::vector<double> angles;
    for (double v : s) angles.push_back(std::acos(std::min(1.0, std::max(-1.0, v))) * 180 / M_PI);
    std::sort(angles.begin(), angles.end());
    std::ostringstream a;
    a << "largest " << number_text(angles.back(), 4) << " deg, median " << number_text(angles[angles.size() / 2], 4)
      << " deg, smallest " << number_text(angles.front(), 4) << " deg";
    c.report.row("principal angles span(W2) vs PCA-" + std::to_string(code), a.str());
    save_reconstructions<T>({test.x, ae_rec, pca_rec}, c.out / "reconstructions.png");
}

template void result7_linear_pca<float>(Context&);
template void result7_linear_pca<double>(Context&);

}  // namespace reproduce
