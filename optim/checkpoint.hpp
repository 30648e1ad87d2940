// optim/checkpoint.hpp: a training run's checkpoint, one .npz file written atomically (temporary
// file in the same folder, fsync, rename), holding everything an exact resume needs.
//
// Entries (NumPy can read them all: np.load("checkpoint.npz")):
//   param.<name>            each parameter, float32 or float64 as trained, shape as in the model
//   optimizer.<key>         the optimizer's state arrays (float64), e.g. optimizer.m.0 (Adam),
//                           optimizer.s (L-BFGS)
//   optimizer_scalar.<key>  its scalars, each a (1, 1) float64, e.g. optimizer_scalar.step
//   trainer                 uint8 text, "key=value" lines: format (aezoo-checkpoint-1), optimizer,
//                           seed, step, steps, batch_size, examples, data, run, evaluations, seconds,
//                           status (running, finished, converged, not_finite, interrupted)
//   log                     uint8 text: log.csv as it was at this step
// There is no random-generator state: every random choice is derived from (seed, step).
#pragma once
#include <cstdint>
#include <string>

#include "io/npz.hpp"
#include "layers/params.hpp"
#include "optim/optimizer.hpp"
#include "optim/train_options.hpp"

namespace ae {

struct CheckpointInfo {
    std::string optimizer;  // TrainOptions::optimizer
    std::uint64_t seed = 0;
    std::size_t step = 0;         // completed steps
    std::size_t steps = 0;        // planned steps
    std::size_t batch_size = 0;   // as in the options (0: full batch)
    std::size_t examples = 0;     // columns of the training data
    std::string data;             // data_fingerprint of the training data and targets
    std::string run;              // TrainOptions::run: what else defines the run (one line)
    std::size_t evaluations = 0;  // objective evaluations so far
    double seconds = 0;           // wall-clock time so far
    // "running" (written during a run), else the run's TrainStatus: "finished", "converged",
    // "not_finite", "interrupted". A converged run is not continued by a resume.
    std::string status = "running";
};

struct Checkpoint {
    CheckpointInfo info;
    OptimizerState optimizer;
    std::string log;        // the CSV text
    NpzEntries parameters;  // names without the "param." prefix, in file order
};

// Writes the checkpoint atomically (IoError on failure, `path` untouched).
template <class T>
void write_checkpoint(const std::string& path, const ParamList<T>& params, const CheckpointInfo& info,
                      const OptimizerState& optimizer, const std::string& log);

// Reads and checks a checkpoint (IoError naming the file when it is not one).
Checkpoint read_checkpoint(const std::string& path);

// Copies the checkpoint's parameters into `params`. The names and shapes must match exactly;
// otherwise IoError naming `source`, the parameter and both shapes (or the names on each side).
template <class T>
void restore_parameters(const Checkpoint& checkpoint, const ParamList<T>& params, const std::string& source);

// "crc32 5f1d2c3b of float32 (784, 500) + (10, 500)": which data a run was trained on (the
// targets y may be empty), so that a resume on other data is caught.
template <class T>
std::string data_fingerprint(const Array<T>& x, const Array<T>& y);

// For a resumed run: reads the checkpoint at `path`, checks that it was written with the same
// optimizer, seed and batch_size as `options` and on the same data (std::invalid_argument saying
// which differs otherwise), then restores the parameters (restore_parameters) and the optimizer's
// state. Returns the checkpoint (its info and log) for the trainer.
template <class T>
Checkpoint resume_checkpoint(const std::string& path, const TrainOptions& options, const Array<T>& x,
                             const Array<T>& y, const ParamList<T>& params, Optimizer<T>& optimizer);

}  // namespace ae
