// results/result4_k_sparse.cpp: result 4, the k-sparse autoencoder (Makhzani & Frey): for each k in
// --k, a 784-hidden model trained with the k schedule, its reconstruction error and dead units on
// the evaluation images, its filters, and a softmax on its alpha k codes.
//   flags: --hidden (1000), --epochs (10), --alpha (3), --k (25, a list), --k-start (100),
//          --center, --validation, --limit, --test-limit, --no-classifier, the minibatch flags
//          (--optimizer, --batch-size, --learning-rate, --momentum), --softmax-lambda, --softmax-iterations
#include <algorithm>
#include <cmath>

#include <xtensor/xmath.hpp>

#include "models/metrics.hpp"
#include "models/zoo.hpp"
#include "results/common.hpp"

using namespace ae;

namespace reproduce {

template <class T>
void result4_k_sparse(Context& c) {
    const std::size_t hidden = c.args.count("hidden", 1000), epochs = c.args.count("epochs", 10);
    const double alpha = c.args.num("alpha", 3);
    const std::vector<std::size_t> ks = counts(c.args.get("k", "25"));
    TrainEval<T> data = load_train_eval<T>(c);
    // --center subtracts the training images' mean pixel values. On raw MNIST every image has
    // positive pixels, so a unit pushed away from one image (as the k-th unit is when the others
    // already reconstruct it) turns away from all of them and is never chosen again: a dead unit.
    if (c.args.flag("center")) {
        const Array<T> mean = xt::mean(data.train.x, {1}, xt::keep_dims);
        data.train.x -= mean;
        data.eval.x -= mean;
    }

    const Dataset<T>&train_set = data.train, &test = data.eval;
    for (std::size_t k : ks) {
        const std::string tag = "k=" + std::to_string(k);
        KSparseOptions ko{k, alpha, std::min(hidden, std::size_t(c.args.count("k-start", 100)))};
        if (ko.k_start < k) ko.k_start = k;
        Autoencoder<T> model = k_sparse<T>({784, hidden}, ko, c.seed);
        TrainOptions o = minibatch_run(c, epochs, c.logs / ("k" + std::to_string(k)), "k-sparse " + tag);
        const TrainResult r = train(model, train_set.x, o);  // the k schedule is the model's own
        c.report.row(tag + " training", describe(r));
        c.report.row(tag + " squared error per " + data.eval_noun + " image (k units)",
                     number_text(squared_error_per_example(model.reconstruct(test.x), test.x), 5));
        // the model's target k (model.target_k()) is this k
        c.report.row(tag + " dead units (never in the top k on the " + data.eval_noun + " images)",
                     std::to_string(dead_units(model, test.x)) + " of " + std::to_string(hidden));
        save_filters(model.first_weights(), c.out / ("filters-k" + std::to_string(k) + ".png"), 100);
        if (c.args.flag("no-classifier")) continue;
        classify_codes(c, model, data, tag,
                       "softmax on alpha k = " + std::to_string(std::lround(alpha * double(k))) + " features",
                       "softmax-k" + std::to_string(k));
    }
}

template void result4_k_sparse<float>(Context&);
template void result4_k_sparse<double>(Context&);

}  // namespace reproduce
