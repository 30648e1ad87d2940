// optim/recipes.cpp: pretraining, head, fine-tuning, each through train().
#include "optim/recipes.hpp"

#include <filesystem>
#include <stdexcept>

#include "models/terms.hpp"
#include "terms/losses.hpp"

namespace ae {

namespace {

// A phase's options: its own folder under out_dir, resuming from the checkpoint found there.
TrainOptions phase(TrainOptions o, const std::string& out_dir, bool resume, const std::string& name,
                   const std::string& label) {
    if (o.label.empty()) o.label = label;
    o.resume.clear();
    o.out_dir.clear();
    if (out_dir.empty()) return o;
    o.out_dir = (std::filesystem::path(out_dir) / name).string();
    const std::string checkpoint = (std::filesystem::path(o.out_dir) / checkpoint_file_name).string();
    if (resume && std::filesystem::exists(checkpoint)) o.resume = checkpoint;
    return o;
}

// Records a phase; false when the recipe must stop there.
bool go_on(StackedTrainResult& r, const TrainResult& phase, const std::string& name) {
    if (phase.status == TrainStatus::finished || phase.status == TrainStatus::converged) return true;
    r.status = phase.status;
    r.message = name + ": " + phase.message;
    return false;
}

template <class T>
Array<T> one_hot_for(const Model<T>& model, const Array<T>& x, const std::vector<std::size_t>& labels) {
    if (!model.head()) throw std::invalid_argument(model.spec().kind + ": the model has no softmax head");
    if (labels.size() != x.shape(1))
        throw std::invalid_argument(std::to_string(labels.size()) + " labels for " + std::to_string(x.shape(1)) +
                                    " examples");
    return one_hot<T>(labels, model.head()->W.shape(0));  // throws on a label out of range
}

// Names of dense stage i's parameters in the deep model and in its one-layer model.
std::vector<std::pair<std::string, std::string>> stage_names(std::size_t i, std::size_t stages, bool tied) {
    const std::string e = "encoder." + std::to_string(2 * i) + ".", d = "decoder." + std::to_string(2 * (stages - 1 - i)) + ".";
    std::vector<std::pair<std::string, std::string>> names = {{e + "W", "encoder.0.W"}, {e + "b", "encoder.0.b"}};
    if (!tied) names.push_back({d + "W", "decoder.0.W"});
    names.push_back({d + "b", "decoder.0.b"});
    return names;
}

}  // namespace


namespace {

template <class T>
std::vector<std::size_t> dense_sizes(const Autoencoder<T>& network) {
    std::vector<std::size_t> sizes = {network.visible()};
    const Sequence<T>& e = network.encoder();
    for (std::size_t i = 0; i < e.size(); ++i)
        if (const auto* d = dynamic_cast<const Dense<T>*>(&e[i])) sizes.push_back(d->out());
    return sizes;
}

template <class T>
std::vector<std::pair<std::string, std::string>> stage_names(const Autoencoder<T>& network, std::size_t i) {
    const bool tied = dynamic_cast<const TiedDense<T>*>(&network.decoder()[0]) != nullptr;
    return stage_names(i, dense_sizes(network).size() - 1, tied);
}

}  // namespace

template <class T>
Autoencoder<T> stage_autoencoder(const Model<T>& model, std::size_t i) {
    const Autoencoder<T>& net = model.network();
    const std::size_t stages = dense_sizes(net).size() - 1;
    if (i >= stages || net.encoder().size() != 2 * stages || net.decoder().size() != 2 * stages)
        throw std::invalid_argument(net.name() + ": stage " + std::to_string(i) + ": layer-wise pretraining needs an "
                                    "encoder of dense layers each followed by an activation, and its mirror");
    Sequence<T> e, d;
    e.add(net.encoder()[2 * i].clone());
    e.add(net.encoder()[2 * i + 1].clone());
    const std::size_t j = 2 * (stages - 1 - i);
    const auto& dense = dynamic_cast<const Dense<T>&>(net.encoder()[2 * i]);
    if (dynamic_cast<const TiedDense<T>*>(&net.decoder()[j])) d.add(TiedDense<T>("encoder.0.W", dense.out(), dense.in()));
    else d.add(net.decoder()[j].clone());
    d.add(net.decoder()[j + 1].clone());
    Autoencoder<T> stage(net.name(), std::move(e), std::move(d));
    for (const NamedTerm<T>& t : net.terms()) {
        if (t.text.empty()) {  // a user's function reads the pass by name: the same on the stage
            stage.add_term(t);
            continue;
        }
        try {
            stage.add_term(term_from_text(stage, t.text));
        } catch (const std::invalid_argument&) {
            // A stage whose output is not a sigmoid reconstructs with squared error.
            if (t.name != "cross_entropy") throw;
            stage.add_term(make_term(stage, "squared_error"));
        }
    }
    const ParamList<T> own = stage.parameters(), all = const_cast<Model<T>&>(model).network().parameters();
    for (const auto& [deep, one] : stage_names(net, i)) find(own, one) = find(all, deep);
    return stage;
}

template <class T>
std::vector<TrainResult> pretrain_layerwise(Model<T>& model, const Array<T>& x, const std::vector<TrainOptions>& options,
                                            const std::string& out_dir, bool resume) {
    const std::size_t stages = dense_sizes(model.network()).size() - 1;
    if (options.size() != 1 && options.size() != stages)
        throw std::invalid_argument("pretrain_layerwise: " + std::to_string(options.size()) + " options for " +
                                    std::to_string(stages) + " layers (give 1 or " + std::to_string(stages) + ")");
    const ParamList<T> all = model.network().parameters();
    std::vector<TrainResult> results;
    Array<T> data = x;
    for (std::size_t i = 0; i < stages; ++i) {
        Autoencoder<T> layer = stage_autoencoder(model, i);
        const std::string n = "layer" + std::to_string(i + 1);
        results.push_back(train(layer, data, phase(options[options.size() == 1 ? 0 : i], out_dir, resume, n,
                                                   "layer " + std::to_string(i + 1))));
        const ParamList<T> own = layer.parameters();
        for (const auto& [deep, one] : stage_names(model.network(), i)) find(all, deep) = find(own, one);
        const TrainStatus s = results.back().status;
        if (s != TrainStatus::finished && s != TrainStatus::converged) break;
        if (i + 1 < stages) data = layer.encode(data);
    }
    return results;
}

template <class T>
TrainResult train_head(Model<T>& model, const Array<T>& x, const std::vector<std::size_t>& labels,
                       const TrainOptions& options, const std::string& out_dir, bool resume) {
    const Array<T> Y = one_hot_for(model, x, labels);
    const Array<T> code = model.network().encode(x);
    const SoftmaxRegression<T>* head = model.head();
    const BatchLoss<T> loss = [head](const Batch<T>& b) { return head->loss_fn(b.x, b.y); };
    return train(model.head()->parameters(), code, Y, loss, phase(options, out_dir, resume, "head", "head"));
}

template <class T>
TrainResult fine_tune(Model<T>& model, const Array<T>& x, const std::vector<std::size_t>& labels,
                      const TrainOptions& options, const std::string& out_dir, bool resume) {
    const Array<T> Y = one_hot_for(model, x, labels);
    const Model<T>* m = &model;
    const BatchLoss<T> loss = [m](const Batch<T>& b) { return m->classifier_loss_fn(b.x, b.y); };
    return train(model.classifier_parameters(), x, Y, loss, phase(options, out_dir, resume, "fine_tune", "fine-tune"));
}

template <class T>
StackedTrainResult train_stacked(Model<T>& model, const Array<T>& x, const std::vector<std::size_t>& labels,
                                 const StackedTrainOptions& options) {
    one_hot_for(model, x, labels);  // every check before the first phase
    StackedTrainResult r;
    r.pretrain = pretrain_layerwise(model, x, options.pretrain, options.out_dir, options.resume);
    for (std::size_t i = 0; i < r.pretrain.size(); ++i)
        if (!go_on(r, r.pretrain[i], "layer" + std::to_string(i + 1))) return r;
    r.head = train_head(model, x, labels, options.head, options.out_dir, options.resume);
    if (!go_on(r, r.head, "head")) return r;
    r.head_accuracy = classification_accuracy(model.predict(x), labels);
    r.fine_tune = fine_tune(model, x, labels, options.fine_tune, options.out_dir, options.resume);
    if (!go_on(r, r.fine_tune, "fine_tune")) return r;
    r.accuracy = classification_accuracy(model.predict(x), labels);
    return r;
}

#define AEZOO_INSTANTIATE(T)                                                                                    \
    template Autoencoder<T> stage_autoencoder(const Model<T>&, std::size_t);                                   \
    template std::vector<TrainResult> pretrain_layerwise(Model<T>&, const Array<T>&, const std::vector<TrainOptions>&, \
                                                         const std::string&, bool);                             \
    template TrainResult train_head(Model<T>&, const Array<T>&, const std::vector<std::size_t>&, const TrainOptions&, \
                                    const std::string&, bool);                                                  \
    template TrainResult fine_tune(Model<T>&, const Array<T>&, const std::vector<std::size_t>&, const TrainOptions&, \
                                   const std::string&, bool);                                                   \
    template StackedTrainResult train_stacked(Model<T>&, const Array<T>&, const std::vector<std::size_t>&,      \
                                              const StackedTrainOptions&);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
