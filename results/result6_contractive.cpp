// results/result6_contractive.cpp: result 6, the contractive autoencoder (Rifai et al.) beside a
// basic one (tied, cross-entropy): the encoder's Jacobian on the evaluation images (mean ||J||_F
// and the mean squared entry the paper prints), the filters and a softmax on the codes.
//   flags: --hidden (1000), --epochs (10), --lambda (0.1), --validation, --limit, --test-limit,
//          the minibatch flags, --softmax-lambda, --softmax-iterations
#include <utility>

#include "models/metrics.hpp"
#include "models/zoo.hpp"
#include "results/common.hpp"

using namespace ae;

namespace reproduce {

template <class T>
void result6_contractive(Context& c) {
    const std::size_t hidden = c.args.count("hidden", 1000), epochs = c.args.count("epochs", 10);
    const double lambda = c.args.num("lambda", 0.1);
    const TrainEval<T> data = load_train_eval<T>(c);
    const Dataset<T>&train_set = data.train, &test = data.eval;
    ContractiveOptions co;
    co.lambda = lambda;
    BasicOptions bo;
    bo.reconstruction = Reconstruction::cross_entropy;
    bo.tied = true;
    std::vector<std::pair<std::string, Autoencoder<T>>> models;
    models.emplace_back("contractive", contractive<T>({784, hidden}, co, c.seed));
    models.emplace_back("basic", basic<T>({784, hidden}, bo, c.seed));
    for (auto& [name, model] : models) {
        const TrainResult r = train(model, train_set.x, minibatch_run(c, epochs, c.logs / name, name));
        c.report.row(name + " training", describe(r));
        const JacobianStats j = jacobian_stats(model, test.x);
        c.report.row(name + " mean ||J||_F on " + data.eval_noun + " images", number_text(j.mean_frobenius, 5));
        c.report.row(name + " mean squared Jacobian entry on " + data.eval_noun + " images (as the paper prints it)",
                     number_text(j.mean_square * 1e4, 4) + " ×10⁻⁴");
        save_filters(model.first_weights(), c.out / ("filters-" + name + ".png"), 100);
        classify_codes(c, model, data, name, "softmax", "softmax-" + name);
    }
}

template void result6_contractive<float>(Context&);
template void result6_contractive<double>(Context&);

}  // namespace reproduce
