// optim/trainer.hpp: the training loop every model uses: any optimizer, full batch or shuffled
// minibatches, a seed that makes a run reproducible bit for bit, progress, a CSV log of every
// term, an early stop that names the term that went NaN, and checkpoints that resume exactly.
//
//   Autoencoder<float> model = sparse_kl<float>(784, 196, {0.1, 3, 3e-3});
//   TrainOptions o;                        // lbfgs, 400 iterations, full batch
//   o.out_dir = "out";                     // out/log.csv, out/checkpoint.npz
//   o.checkpoint_every = 50;
//   TrainResult r = train(model, data.x, o);
//   if (r.status == TrainStatus::not_finite) std::cerr << r.message << "\n";
//
// A step: before_step(step, steps); the batch (columns of x, and of y when given); the step's
// noise seed; one optimizer iteration, evaluating through a Tape kept across steps (clear() keeps
// its buffers; the smaller last batch of an epoch has a tape of its own), so once each batch shape
// has been seen the loop allocates no arrays (a model's own noise draws aside); a CSV row;
// progress; a checkpoint when due.
//
// Data parallel: with options.communicator (parallel/communicator.hpp), every process runs this
// loop on the same data and options, evaluates its shard of each batch (optim/batches.hpp) and the
// evaluator (optim/evaluator.hpp) sums the shares, so each process takes the same steps as one
// process would, to the rounding of the sums. The first process alone writes files and shows
// progress; a NaN, an interrupt or a bad start on any process stops all of them with its message;
// any other error on one ends the job (Communicator::abort), the last checkpoint intact.
//
// Noise: first-order optimizers get a fresh noise seed each step, derive_seed(seed, 1, step).
// L-BFGS gets one for the whole run, derive_seed(seed, 1, 0): its line search and curvature
// pairs compare losses and gradients across evaluations, which only makes sense for one
// objective, so a denoising model under L-BFGS trains on one fixed corruption of the data.
//
// A NaN or infinite loss or gradient, or a loss without a value (a std::domain_error from the
// tape, e.g. log of a negative entry), never reaches the parameters. First-order: the run returns
// TrainStatus::not_finite with a message naming the step and the bad term ("step 37: the loss is
// not finite: kl_sparsity = nan (squared_error = 0.031, weight_decay = 0.002); ..."), and the
// parameters are set back to the last point whose loss was finite (a step evaluates before it
// updates, so that is where the last CSV row was evaluated). L-BFGS: its line search backs away
// from such points; only when it cannot does the run stop the same way, at the last accepted point.
// The log keeps the finite rows; no checkpoint is written, so the last one stays as it was.
// Errors in the options, the data or a checkpoint to resume from throw (std::invalid_argument,
// IoError) before any step; other exceptions from a loss propagate.
//
// Resume: options.resume = a checkpoint.npz (see optim/checkpoint.hpp). Its parameters must match
// the model's names and shapes, and its optimizer, seed, batch_size and data (a CRC-32 of x and y)
// must be this run's, else it throws saying which differs. The resumed run then gives the same
// parameters and the same log.csv (except the seconds column) as the uninterrupted one, bit for
// bit. It may be given more steps than the original; a run L-BFGS had ended (converged) is not
// continued. Other options (learning rate, ...) may change, but then the run is a different one.
// A resume on another number of processes continues the same run to the rounding of the sums,
// not bit for bit.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "models/autoencoder.hpp"
#include "optim/train_options.hpp"

namespace ae {

// What a step trains on. The arrays stay valid (and unchanged) for the whole step.
template <class T>
struct Batch {
    const Array<T>& x;   // the step's examples as columns: all of the data for the full batch
    const Array<T>& y;   // their targets' columns (e.g. one-hot labels); empty without targets
    const std::vector<std::size_t>& columns;  // which columns of the data, in batch order;
                                              // empty for the full batch (all, in order)
    std::uint64_t seed;  // the step's noise seed (see above)
    std::size_t step;    // 1-based
    // On several processes x is this process's shard: the batch's columns from `first`, of
    // `total` (on one process, 0 and all of them). The tape knows it too (Tape::shard).
    std::size_t first, total;
};

// Makes the loss of one batch; the LossFn may keep references to batch.x and batch.y.
template <class T>
using BatchLoss = std::function<LossFn<T>(const Batch<T>& batch)>;

// The general form: `params` (in the order the LossFn expects) trained on the columns of x, with
// targets y (same number of columns; pass an empty Array when there are none).
template <class T>
TrainResult train(const ParamList<T>& params, const Array<T>& x, const Array<T>& y, const BatchLoss<T>& loss,
                  const TrainOptions& options);

// An autoencoder of the zoo on data x (visible, m): its parameters() and loss_fn(batch, seed).
template <class T>
TrainResult train(Autoencoder<T>& model, const Array<T>& x, const TrainOptions& options);

// The file names used inside TrainOptions::out_dir.
inline constexpr const char* log_file_name = "log.csv";
inline constexpr const char* checkpoint_file_name = "checkpoint.npz";

}  // namespace ae
