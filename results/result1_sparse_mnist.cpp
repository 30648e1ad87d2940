// results/result1_sparse_mnist.cpp: result 1, the UFLDL sparse autoencoder on MNIST (784-196,
// rho 0.1, beta 3, lambda 3e-3, L-BFGS): its cost, terms, mean activation and filters.
//   flags: --limit (10000 training images), --hidden (196), --iterations (400)
#include <xtensor/xmath.hpp>

#include "models/zoo.hpp"
#include "results/common.hpp"

using namespace ae;

namespace reproduce {

template <class T>
void result1_sparse_mnist(Context& c) {
    const std::size_t n = c.args.count("limit", 10000), hidden = c.args.count("hidden", 196);
    const std::size_t iterations = c.args.count("iterations", 400);
    Dataset<T> d = load_idx_dataset<T>(c.mnist, Split::train, n);
    Autoencoder<T> model = sparse_kl<T>({784, hidden}, {0.1, 3, 3e-3}, c.seed);
    const TrainResult r = train(model, d.x, lbfgs(iterations, c.seed, (c.logs / "sparse").string(), "sparse AE"));
    c.report.row("training", describe(r));
    for (const auto& [name, v] : r.terms) c.report.row("term " + name, number_text(v, 6));
    c.report.row("final cost", number_text(r.loss, 6));
    const Array<T> h = model.encode(d.x);
    c.report.row("mean hidden activation (rho = 0.1)", number_text(xt::mean(h)(), 4));
    save_filters(model.first_weights(), c.out / "filters.png");
}

template void result1_sparse_mnist<float>(Context&);
template void result1_sparse_mnist<double>(Context&);

}  // namespace reproduce
