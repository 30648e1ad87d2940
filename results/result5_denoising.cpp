// results/result5_denoising.cpp: result 5, the denoising autoencoder (Vincent et al.): for each
// masking-noise level in --noise, a 784-hidden model, its filters and a softmax on its codes.
//   flags: --hidden (500), --epochs (10), --noise (0,0.1,0.2,0.5), --validation, --limit,
//          --test-limit, the minibatch flags, --softmax-lambda, --softmax-iterations
#include <cmath>

#include "models/zoo.hpp"
#include "results/common.hpp"

using namespace ae;

namespace reproduce {

template <class T>
void result5_denoising(Context& c) {
    const std::size_t hidden = c.args.count("hidden", 500), epochs = c.args.count("epochs", 10);
    const std::vector<double> levels = numbers(c.args.get("noise", "0,0.1,0.2,0.5"));
    const TrainEval<T> data = load_train_eval<T>(c);
    const Dataset<T>& train_set = data.train;
    for (double q : levels) {
        const std::string tag = "masking " + number_text(100 * q, 3) + "%";
        const std::string file = "q" + std::to_string(std::lround(100 * q));
        DenoisingOptions dopt;
        dopt.corruption = masking_noise(q);
        Autoencoder<T> model = denoising<T>({784, hidden}, dopt, c.seed);
        const TrainResult r = train(model, train_set.x, minibatch_run(c, epochs, c.logs / file, "denoising " + tag));
        c.report.row(tag + " training", describe(r));
        save_filters(model.first_weights(), c.out / ("filters-" + file + ".png"), 100);
        classify_codes(c, model, data, tag, "softmax", "softmax-" + file);
    }
}

template void result5_denoising<float>(Context&);
template void result5_denoising<double>(Context&);

}  // namespace reproduce
