// optim/train_options.hpp: what a training run is told (optimizer, length, batches, seed, output,
// progress) and what it reports back; the checks and the optimizer factory the trainer uses.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "optim/optimizer.hpp"
#include "parallel/communicator.hpp"
#include "util/random.hpp"

namespace ae {

// How progress is shown on the progress stream (stderr by default).
//   automatic: a bar redrawn in place when the stream is stderr and stderr is a terminal, else lines
//   bar:       the redrawn line, whatever the stream
//   lines:     a plain line every log_every steps (or every 5 s), plus the first and the last
//   quiet:     nothing
enum class ProgressMode { automatic, bar, lines, quiet };

struct TrainOptions {
    // The optimizer: "gd" (the documents' batch gradient descent), "momentum" (classical),
    // "nesterov", "adam" or "lbfgs" (after minFunc, full batch only).
    std::string optimizer = "lbfgs";
    // Unset: the optimizer's default. Setting one that the optimizer does not use is an error.
    std::optional<double> learning_rate;  // gd, momentum, nesterov: 0.1; adam: 1e-3; in (0, inf)
    std::optional<double> momentum;       // momentum, nesterov: 0.9; in [0, 1)
    double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  // adam: [0, 1), [0, 1), (0, inf)
    std::size_t lbfgs_memory = 100;                     // lbfgs: correction pairs, >= 1
    double gradient_tolerance = 1e-5;  // lbfgs stops when max |g| <= this (minFunc's optTol), >= 0
    double progress_tolerance = 1e-9;  // lbfgs stops when |f change| or max |x change| is below (progTol)

    // Length: `iterations` optimizer steps (L-BFGS iterations; first-order: minibatch updates),
    // unless epochs > 0: then the run is epochs x steps per epoch and iterations is not used.
    std::size_t iterations = 400;
    std::size_t epochs = 0;
    // 0: full batch. Otherwise each epoch visits the examples in a new order (shuffled from the
    // seed) in batches of this size; the last batch of an epoch holds the remainder (ceil(m / b)
    // steps per epoch). lbfgs needs the full batch.
    std::size_t batch_size = 0;
    // Every random choice (batch order, each step's noise seed) is derived from (seed, step), so
    // the same seed gives the same run bit for bit, and a checkpoint needs only the step.
    std::uint64_t seed = 1;

    // log.csv and checkpoint.npz go into out_dir (created if missing); "" writes nothing.
    std::string out_dir;
    std::size_t checkpoint_every = 0;  // steps between checkpoints; 0: only at the end
    // false: no checkpoint.npz (log.csv only). An L-BFGS checkpoint holds its (s, y) pairs: about
    // (2 lbfgs_memory + 3) x parameters x 8 bytes (500 MB for UFLDL's 784-196 with memory 100).
    bool checkpoints = true;
    std::string resume;                // a checkpoint.npz to continue from ("" starts afresh)

    ProgressMode progress = ProgressMode::automatic;
    std::size_t log_every = 0;     // lines mode: a line every this many steps (0: every 5 seconds)
    std::string label;             // shown before each progress line, e.g. "layer 1"
    // What else defines the run, in one line (aezoo train: the model, its options, the learning
    // rate, momentum and length): saved in checkpoints, and a resume refuses one written with another.
    std::string run;
    std::ostream* progress_stream = nullptr;  // nullptr: std::cerr

    // Called before every step with the step (1-based) and the planned steps: schedules (k).
    // It must depend on its arguments only, or a resumed run will differ.
    std::function<void(std::size_t step, std::size_t steps)> before_step;
    // Checked after every step; true stops the run with a checkpoint (e.g. set by a SIGINT handler).
    // On several processes, true on any of them stops all.
    std::function<bool()> stop_requested;

    // The processes that train together, data parallel (parallel/communicator.hpp: world() for
    // those of `mpirun -np N`); null: this process alone. Each must be given the same data and
    // options; the result is the one-process result, to the rounding of the sums.
    Communicator* communicator = nullptr;
};

// Throws std::invalid_argument naming the option, its value and what is allowed, e.g.
// "train: learning_rate = -1 is outside (0, inf)".
void validate(const TrainOptions& options);

// "auto", "bar", "lines", "quiet" (throws naming the allowed values otherwise).
ProgressMode parse_progress_mode(const std::string& name);

enum class TrainStatus {
    finished,     // ran the planned steps
    converged,    // L-BFGS stopped on its own (gradient, progress, line search): see message
    not_finite,   // a step's loss or gradient was NaN or infinite: see message; parameters are the
                  // last finite ones (the bad step was not applied)
    interrupted,  // stop_requested returned true
};
std::string to_string(TrainStatus status);

struct TrainResult {
    TrainStatus status = TrainStatus::finished;
    // Why it stopped, e.g. "step 37: the loss is not finite: kl_sparsity = nan (squared_error =
    // 0.031, weight_decay = 0.002)" or "L-BFGS: ...". Empty when finished.
    std::string message;
    std::size_t step = 0;         // steps completed, counting those before a resume
    std::size_t steps = 0;        // steps planned
    std::size_t steps_run = 0;    // steps this call ran
    std::size_t evaluations = 0;  // objective evaluations this call
    double loss = 0;              // the last logged step's total (NaN if no step was logged)
    std::vector<std::pair<std::string, double>> terms;  // and its terms
    double seconds = 0;           // this call's wall-clock time
    std::string log, checkpoint;  // the files there are ("" when out_dir is empty or none was written)
};

// Steps per epoch: 1 for the full batch, else ceil(examples / batch_size).
std::size_t steps_per_epoch(const TrainOptions& options, std::size_t examples);
// The planned number of steps.
std::size_t planned_steps(const TrainOptions& options, std::size_t examples);

// The optimizer the options name, configured from them (validate first).
template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const TrainOptions& options);

}  // namespace ae
