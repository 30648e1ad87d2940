// optim/run_files.hpp: what a training run writes into its folder: log.csv, replaced atomically
// (while running at most every 10 s, for watching it, and whenever a checkpoint is written), and
// checkpoint.npz. A run without a folder writes nothing; on several processes only the first has one.
#pragma once
#include <chrono>
#include <string>

#include "optim/checkpoint.hpp"
#include "optim/train_log.hpp"

namespace ae {

class RunFiles {
public:
    RunFiles(std::string dir, bool checkpoints) : m_dir(std::move(dir)), m_checkpoints(checkpoints) {}
    bool writes() const { return !m_dir.empty(); }
    // Creates the folder if it is missing (throws IoError if it cannot).
    void create() const;

    // The log now (an empty one, before its first row, is not written).
    void write_log(const TrainLog& log);
    // The log if 10 s have passed since it was last written (the first call writes at once).
    void write_log_every_10s(const TrainLog& log);
    // A checkpoint (unless checkpoints are off) and the log.
    template <class T>
    void write_checkpoint(const ParamList<T>& params, const CheckpointInfo& info, const OptimizerState& state,
                          const TrainLog& log);

    // The files there are ("" for one that was not written).
    std::string log_path(const TrainLog& log) const;
    std::string checkpoint_path() const;

private:
    std::string path(const char* name) const;

    std::string m_dir;
    bool m_checkpoints;
    std::chrono::steady_clock::time_point m_last_log{};
    bool m_logged = false;
};

}  // namespace ae
