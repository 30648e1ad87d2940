// optim/stacked_trainer.cpp: pretraining, head, fine-tuning, each through train().
#include "optim/stacked_trainer.hpp"

#include <filesystem>
#include <stdexcept>

#include "layers/losses.hpp"

namespace ae {

namespace {

// A phase's options: its own folder under out_dir, resuming from the checkpoint found there.
TrainOptions phase(TrainOptions o, const StackedTrainOptions& s, const std::string& name, const std::string& label) {
    if (o.label.empty()) o.label = label;
    o.resume.clear();
    o.out_dir.clear();
    if (s.out_dir.empty()) return o;
    o.out_dir = (std::filesystem::path(s.out_dir) / name).string();
    const std::string checkpoint = (std::filesystem::path(o.out_dir) / checkpoint_file_name).string();
    if (s.resume && std::filesystem::exists(checkpoint)) o.resume = checkpoint;
    return o;
}

// Records a phase; false when the recipe must stop there.
bool go_on(StackedTrainResult& r, const TrainResult& phase, const std::string& name) {
    if (phase.status == TrainStatus::finished || phase.status == TrainStatus::converged) return true;
    r.status = phase.status;
    r.message = name + ": " + phase.message;
    return false;
}

}  // namespace

double classification_accuracy(const std::vector<std::size_t>& predicted, const std::vector<std::size_t>& labels) {
    if (predicted.size() != labels.size() || labels.empty())
        throw std::invalid_argument("accuracy: " + std::to_string(predicted.size()) + " predictions for " +
                                    std::to_string(labels.size()) + " labels");
    std::size_t right = 0;
    for (std::size_t t = 0; t < labels.size(); ++t) right += predicted[t] == labels[t];
    return double(right) / double(labels.size());
}

template <class T>
StackedTrainResult train_stacked(StackedAutoencoder<T>& model, const Array<T>& x,
                                 const std::vector<std::size_t>& labels, const StackedTrainOptions& options) {
    const std::size_t depth = model.layers.size();
    if (options.pretrain.size() != 1 && options.pretrain.size() != depth)
        throw std::invalid_argument("train_stacked: " + std::to_string(options.pretrain.size()) +
                                    " pretraining options for " + std::to_string(depth) + " layers (give 1 or " +
                                    std::to_string(depth) + ")");
    if (labels.size() != x.shape(1))
        throw std::invalid_argument("train_stacked: " + std::to_string(labels.size()) + " labels for " +
                                    std::to_string(x.shape(1)) + " examples");
    const Array<T> Y = one_hot<T>(labels, model.head.W.shape(0));  // throws on a label out of range
    StackedTrainResult r;
    for (std::size_t i = 0; i < depth; ++i) {
        const std::string n = "layer" + std::to_string(i + 1);
        const TrainOptions o = phase(options.pretrain[options.pretrain.size() == 1 ? 0 : i], options, n,
                                     "layer " + std::to_string(i + 1));
        const Array<T> data = model.features(x, i);  // the codes of the trained layers below
        r.pretrain.push_back(train(model.layers[i], data, o));
        if (!go_on(r, r.pretrain.back(), n)) return r;
    }
    const Array<T> top = model.features(x, depth);
    const StackedAutoencoder<T>* m = &model;
    const BatchLoss<T> head = [m](const Batch<T>& b) { return m->head_loss_fn(b.x, b.y); };
    r.head = train(model.head_parameters(), top, Y, head, phase(options.head, options, "head", "head"));
    if (!go_on(r, r.head, "head")) return r;
    r.head_accuracy = classification_accuracy(model.predict(x), labels);
    const BatchLoss<T> fine = [m](const Batch<T>& b) { return m->fine_tune_loss_fn(b.x, b.y); };
    r.fine_tune = train(model.fine_tune_parameters(), x, Y, fine, phase(options.fine_tune, options, "fine_tune", "fine-tune"));
    if (!go_on(r, r.fine_tune, "fine_tune")) return r;
    r.accuracy = classification_accuracy(model.predict(x), labels);
    return r;
}

template StackedTrainResult train_stacked(StackedAutoencoder<float>&, const Array<float>&,
                                          const std::vector<std::size_t>&, const StackedTrainOptions&);
template StackedTrainResult train_stacked(StackedAutoencoder<double>&, const Array<double>&,
                                          const std::vector<std::size_t>&, const StackedTrainOptions&);

}  // namespace ae
