// results/result2_self_taught.cpp: result 2, self-taught learning (UFLDL): a sparse autoencoder
// 784-200 on the unlabelled digits 5-9, a softmax on its features of the digits 0-4 (first half
// train, second half test), and with --raw-baseline the same softmax on the raw pixels.
//   flags: --hidden (200), --iterations (400), --unlabelled-limit (all), --softmax-iterations (100)
#include "models/zoo.hpp"
#include "results/common.hpp"

using namespace ae;

namespace reproduce {

template <class T>
void result2_self_taught(Context& c) {
    const std::size_t hidden = c.args.count("hidden", 200), iterations = c.args.count("iterations", 400);
    Dataset<T> all = load_idx_dataset<T>(c.mnist, Split::train);
    std::vector<std::size_t> unlabelled, labelled;
    for (std::size_t t = 0; t < all.labels.size(); ++t) (all.labels[t] >= 5 ? unlabelled : labelled).push_back(t);
    const std::size_t limit = c.args.count("unlabelled-limit", unlabelled.size());
    if (limit < unlabelled.size()) unlabelled.resize(limit);
    // UFLDL's split: the first half of the labelled digits 0-4 train, the second half test.
    const std::size_t half = (labelled.size() + 1) / 2;
    std::vector<std::size_t> tr(labelled.begin(), labelled.begin() + half), te(labelled.begin() + half, labelled.end());
    c.report.row("examples", std::to_string(unlabelled.size()) + " unlabelled (digits 5-9), " + std::to_string(tr.size()) +
                             " train / " + std::to_string(te.size()) + " test (digits 0-4)");
    const Array<T> xu = columns<T>(all.x, unlabelled);
    Autoencoder<T> model = sparse_kl<T>({784, hidden}, {0.1, 3, 3e-3}, c.seed);
    const TrainResult r = train(model, xu, lbfgs(iterations, c.seed, (c.logs / "sparse").string(), "sparse AE 5-9"));
    c.report.row("sparse AE training", describe(r));
    save_filters(model.first_weights(), c.out / "filters.png");
    std::vector<std::size_t> ytr, yte;
    for (std::size_t t : tr) ytr.push_back(all.labels[t]);
    for (std::size_t t : te) yte.push_back(all.labels[t]);
    const Array<T> xtr = columns<T>(all.x, tr), xte = columns<T>(all.x, te);
    const std::size_t clf_it = c.args.count("softmax-iterations", 100);
    const Accuracy a = softmax_eval(model.encode(xtr), ytr, model.encode(xte), yte, 5, 1e-4, clf_it, c.seed,
                                    (c.logs / "softmax").string());
    c.report.row("softmax on features", describe(a.run));
    c.report.row("train accuracy (features)", pct(a.train));
    c.report.row("test accuracy (features)", pct(a.test));
    if (c.args.flag("raw-baseline")) {
        const Accuracy b = softmax_eval(xtr, ytr, xte, yte, 5, 1e-4, clf_it, c.seed, (c.logs / "softmax-raw").string());
        c.report.row("test accuracy (raw pixels, same softmax)", pct(b.test));
    }
}

template void result2_self_taught<float>(Context&);
template void result2_self_taught<double>(Context&);

}  // namespace reproduce
