// optim/recipes.hpp: training recipes over any model of dense layers, each phase driven by train():
// greedy layer-wise pretraining (Bengio et al. 2007; Hinton & Salakhutdinov 2006), a softmax head
// on the frozen code, and supervised fine-tuning of encoder and head together. The stacked
// autoencoder is these three in a row (train_stacked).
#pragma once
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "models/metrics.hpp"
#include "models/model.hpp"
#include "optim/trainer.hpp"

namespace ae {

// Dense layer i of the encoder and its mirror in the decoder, trained as a one-layer autoencoder
// (stage_autoencoder) on the codes of the trained layers below; the trained weights are copied back. One options per
// layer, or one for all. out_dir (when not empty) gets layer1/, layer2/, ... with each phase's
// log.csv and checkpoint.npz; resume continues from the checkpoints there (a finished phase only
// loads its parameters).
template <class T>
std::vector<TrainResult> pretrain_layerwise(Model<T>& model, const Array<T>& x, const std::vector<TrainOptions>& options,
                                            const std::string& out_dir = "", bool resume = false);

// Dense stage i (0-based) of the model as the one-layer autoencoder that pretraining trains: the
// encoder's dense layer i and its activation, the decoder's mirror of it, and the model's own terms
// (a stage whose output is not a sigmoid reconstructs with squared error instead of cross-entropy),
// holding copies of the stage's parameters.
template <class T> Autoencoder<T> stage_autoencoder(const Model<T>& model, std::size_t i);

// The head on the code of the frozen encoder; labels one per column of x. Folder out_dir/head.
template <class T>
TrainResult train_head(Model<T>& model, const Array<T>& x, const std::vector<std::size_t>& labels,
                       const TrainOptions& options, const std::string& out_dir = "", bool resume = false);

// Encoder and head together on the classifier's loss. Folder out_dir/fine_tune.
template <class T>
TrainResult fine_tune(Model<T>& model, const Array<T>& x, const std::vector<std::size_t>& labels,
                      const TrainOptions& options, const std::string& out_dir = "", bool resume = false);

struct StackedTrainOptions {
    std::vector<TrainOptions> pretrain{TrainOptions{}};  // one per layer, or one for every layer
    TrainOptions head, fine_tune;
    std::string out_dir;  // "": nothing written; else layer1/, ..., head/, fine_tune/
    bool resume = false;
};

struct StackedTrainResult {
    std::vector<TrainResult> pretrain;  // one per layer that ran
    TrainResult head, fine_tune;
    // Training-set accuracy after the head phase and after fine-tuning (NaN if not reached).
    double head_accuracy = NAN, accuracy = NAN;
    // finished, or the status and message of the first phase that stopped the recipe (a phase
    // that ends not_finite or interrupted; converged is fine and the recipe goes on).
    TrainStatus status = TrainStatus::finished;
    std::string message;
};

// Pretraining, head, fine-tuning. The model needs a head (model.set_head, or the stacked kind).
template <class T>
StackedTrainResult train_stacked(Model<T>& model, const Array<T>& x, const std::vector<std::size_t>& labels,
                                 const StackedTrainOptions& options);


}  // namespace ae
