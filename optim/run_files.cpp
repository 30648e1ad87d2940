// optim/run_files.cpp
#include "optim/run_files.hpp"

#include <filesystem>

#include "io/file.hpp"
#include "optim/trainer.hpp"

namespace ae {

std::string RunFiles::path(const char* name) const { return (std::filesystem::path(m_dir) / name).string(); }

void RunFiles::create() const {
    if (!writes()) return;
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    if (ec || !std::filesystem::is_directory(m_dir))
        throw IoError(m_dir, "cannot create the output folder" + (ec ? ": " + ec.message() : ""));
}

void RunFiles::write_log(const TrainLog& log) {
    if (!writes() || !log.has_columns()) return;
    write_file_atomic(path(log_file_name), log.text());
    m_last_log = std::chrono::steady_clock::now(), m_logged = true;
}

void RunFiles::write_log_every_10s(const TrainLog& log) {
    if (!m_logged || std::chrono::steady_clock::now() - m_last_log > std::chrono::seconds(10)) write_log(log);
}

template <class T>
void RunFiles::write_checkpoint(const ParamList<T>& params, const CheckpointInfo& info, const OptimizerState& state,
                                const TrainLog& log) {
    if (!writes()) return;
    if (m_checkpoints) ae::write_checkpoint(path(checkpoint_file_name), params, info, state, log.text());
    write_log(log);
}

std::string RunFiles::log_path(const TrainLog& log) const {
    return writes() && log.has_columns() ? path(log_file_name) : "";
}

std::string RunFiles::checkpoint_path() const {
    return writes() && m_checkpoints && std::filesystem::exists(path(checkpoint_file_name)) ? path(checkpoint_file_name)
                                                                                             : "";
}

template void RunFiles::write_checkpoint(const ParamList<float>&, const CheckpointInfo&, const OptimizerState&,
                                         const TrainLog&);
template void RunFiles::write_checkpoint(const ParamList<double>&, const CheckpointInfo&, const OptimizerState&,
                                         const TrainLog&);

}  // namespace ae
