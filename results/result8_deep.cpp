// results/result8_deep.cpp: result 8, the deep autoencoder of Hinton & Salakhutdinov
// (784-1000-500-250-30, sigmoid layers and a linear code), pretrained layer by layer and fine-tuned
// whole with Adam: its squared error per test image beside PCA's with as many components, and
// reconstructions.
//   flags: --sizes (784,1000,500,250,30), --limit (60000), --test-limit (10000),
//          --pretrain-epochs (3), --epochs (10, fine-tuning), --batch-size (128), --learning-rate (1e-3)
#include <string>

#include "io/whitening.hpp"
#include "models/metrics.hpp"
#include "models/model.hpp"
#include "optim/recipes.hpp"
#include "results/common.hpp"
#include "util/options.hpp"

using namespace ae;

namespace reproduce {

template <class T>
void result8_deep(Context& c) {
    const std::vector<std::size_t> sizes = counts(c.args.get("sizes", "784,1000,500,250,30"));
    const std::size_t n = c.args.count("limit", 60000);
    const std::size_t pre_epochs = c.args.count("pretrain-epochs", 3), fine_epochs = c.args.count("epochs", 10);
    const std::size_t batch = c.args.count("batch-size", 128);
    const double lr = c.args.num("learning-rate", 1e-3);
    Dataset<T> train_set = load_idx_dataset<T>(c.mnist, Split::train, n);
    Dataset<T> test = load_idx_dataset<T>(c.mnist, Split::test, c.args.count("test-limit", 10000));
    // The deep kind: sigmoid layers and a linear code, the mirrored decoder, cross-entropy at the
    // logistic output, as Hinton & Salakhutdinov; pretrained layer by layer (each stage a slice of
    // the network with its own mirrored decoder layer), then fine-tuned whole.
    std::vector<std::string> acts(sizes.size() - 1, "sigmoid");
    acts.back() = "linear";
    Model<T> deep(ModelSpec{"deep", sizes, {{"activations", join(acts, ",")}}, c.seed, {}});
    Autoencoder<T>& net = deep.network();
    const std::vector<TrainResult> pre = pretrain_layerwise(
        deep, train_set.x, {minibatch("adam", pre_epochs, batch, lr, c.seed, "", "pretraining")}, c.logs.string());
    for (std::size_t i = 0; i < pre.size(); ++i)
        c.report.row("pretraining layer " + std::to_string(i + 1) + " " + std::to_string(sizes[i]) + "-" +
                     std::to_string(sizes[i + 1]), describe(pre[i]));
    const Pca<T> pca = fit_pca(train_set.x);
    const Array<T> pca_rec = pca_reconstruct(pca, test.x, sizes.back());
    const double pca_err = squared_error_per_example(pca_rec, test.x);
    c.report.row("squared error per test image after pretraining",
                 number_text(squared_error_per_example(net.reconstruct(test.x), test.x), 5));
    const TrainResult r = train(net, train_set.x, minibatch("adam", fine_epochs, batch, lr, c.seed,
                                                             (c.logs / "fine_tune").string(), "fine-tune"));
    c.report.row("fine-tuning", describe(r));
    const Array<T> rec = net.reconstruct(test.x);
    c.report.row("squared error per test image: deep AE / PCA-" + std::to_string(sizes.back()),
                 number_text(squared_error_per_example(rec, test.x), 5) + " / " + number_text(pca_err, 5));
    save_reconstructions<T>({test.x, rec, pca_rec}, c.out / "reconstructions.png");
}

template void result8_deep<float>(Context&);
template void result8_deep<double>(Context&);

}  // namespace reproduce
