// optim/stacked_trainer.hpp: the stacked autoencoder's whole recipe (Bengio et al. 2007; UFLDL):
// greedy pretraining of each layer on the codes of the one below, then the softmax head on the top
// codes (encoders frozen), then fine-tuning of the encoders and the head together, each phase
// driven by train() with its own options.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "models/stacked.hpp"
#include "optim/trainer.hpp"

namespace ae {

struct StackedTrainOptions {
    // One per layer, or a single one used for every layer.
    std::vector<TrainOptions> pretrain{TrainOptions{}};
    TrainOptions head, fine_tune;
    // "": nothing written. Otherwise each phase writes log.csv and checkpoint.npz into its own
    // folder: out_dir/layer1, out_dir/layer2, ..., out_dir/head, out_dir/fine_tune (the phases'
    // own out_dir and resume are replaced).
    std::string out_dir;
    // Continue a recipe from the checkpoints in out_dir: a finished phase only loads its
    // parameters, an unfinished one resumes exactly, a phase without a checkpoint starts afresh.
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

// labels: one per column of x, each < the model's classes.
template <class T>
StackedTrainResult train_stacked(StackedAutoencoder<T>& model, const Array<T>& x,
                                 const std::vector<std::size_t>& labels, const StackedTrainOptions& options);

// The fraction of predictions equal to the labels.
double classification_accuracy(const std::vector<std::size_t>& predicted, const std::vector<std::size_t>& labels);

}  // namespace ae
