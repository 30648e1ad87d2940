// results/result3_stacked.cpp: result 3, the stacked autoencoder of UFLDL (784-200-200, each layer a
// sparse autoencoder trained by L-BFGS, a softmax head, then fine-tuning of the whole): train and
// test accuracy before and after fine-tuning, the first layer's filters.
//   flags: --limit (60000), --test-limit (10000), --iterations (400 per layer),
//          --head-iterations (100), --fine-iterations (400)
#include <cmath>

#include "models/metrics.hpp"
#include "models/model.hpp"
#include "optim/recipes.hpp"
#include "results/common.hpp"

using namespace ae;

namespace reproduce {

template <class T>
void result3_stacked(Context& c) {
    const std::size_t n = c.args.count("limit", 60000);
    const std::size_t pre = c.args.count("iterations", 400), head_it = c.args.count("head-iterations", 100);
    const std::size_t fine = c.args.count("fine-iterations", 400);
    Dataset<T> train_set = load_idx_dataset<T>(c.mnist, Split::train, n);
    Dataset<T> test = load_idx_dataset<T>(c.mnist, Split::test, c.args.count("test-limit", 10000));
    const std::vector<std::size_t> ytr = labels_of(train_set), yte = labels_of(test);
    Model<T> model(ModelSpec{"stacked", {784, 200, 200}, {{"rho", "0.1"}, {"beta", "3"}, {"lambda", "3e-3"}}, c.seed, {}});
    StackedTrainOptions so;
    so.pretrain = {lbfgs(pre, c.seed, "", "layer")};
    so.head = lbfgs(head_it, c.seed, "", "head");
    so.fine_tune = lbfgs(fine, c.seed, "", "fine-tune");
    so.out_dir = (c.logs / "stacked").string();
    double before = NAN;
    Model<T>* m = &model;
    // Test accuracy before fine-tuning: measured just before fine-tuning's first step, when the
    // parameters are the pretrained encoders and the trained head.
    so.fine_tune.before_step = [m, &test, &yte, &before](std::size_t step, std::size_t) {
        if (step == 1 && std::isnan(before)) before = classification_accuracy(m->predict(test.x), yte);
    };
    so.fine_tune.checkpoints = false;
    for (auto& o : so.pretrain) o.checkpoints = false;
    so.head.checkpoints = false;
    const StackedTrainResult r = train_stacked(model, train_set.x, ytr, so);
    for (std::size_t i = 0; i < r.pretrain.size(); ++i) c.report.row("layer " + std::to_string(i + 1), describe(r.pretrain[i]));
    c.report.row("head", describe(r.head));
    c.report.row("fine-tuning", describe(r.fine_tune));
    c.report.row("train accuracy before / after fine-tuning", pct(r.head_accuracy) + " / " + pct(r.accuracy));
    c.report.row("TEST accuracy before fine-tuning", pct(before));
    c.report.row("TEST accuracy after fine-tuning", pct(classification_accuracy(model.predict(test.x), yte)));
    save_filters(model.network().first_weights(), c.out / "layer1-filters.png");
}

template void result3_stacked<float>(Context&);
template void result3_stacked<double>(Context&);

}  // namespace reproduce
