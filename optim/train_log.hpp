// optim/train_log.hpp: the CSV log of a training run. It is kept in memory and log.csv is replaced
// whole (write_file_atomic: temporary file, fsync, rename) after the first step, every 10 s, at
// each checkpoint and at the end: a reader sees a complete file of rows 1..k, never a partial one,
// and nothing is appended in place. A crash loses at most the rows since the last write; the
// checkpoint embeds the log as of its step, and a resume rewrites log.csv from it, so the rows
// after the checkpoint are recomputed exactly rather than duplicated.
//
// Header: step,epoch,seconds,total,<term>,...       (first-order optimizers)
//         step,epoch,seconds,evaluations,total,<term>,...   (lbfgs: objective calls in the step)
// One row per completed step (1-based). epoch: the epoch the step belongs to (1-based; with the
// full batch it equals step). seconds: wall-clock time since the run began, counting earlier
// sessions of a resumed run (the one column that differs between two runs of the same seed).
// total and terms: for first-order steps, the minibatch loss at the parameters before the update;
// for L-BFGS, the full-batch loss at the accepted point. Numbers are written in the shortest form
// that reads back to the same double.
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ae {

class TrainLog {
public:
    // The columns, from the loss's term names (call once, before the first row).
    void set_columns(const std::vector<std::string>& terms, bool evaluations);
    bool has_columns() const { return !m_header.empty(); }
    const std::vector<std::string>& terms() const { return m_terms; }
    bool has_evaluations() const { return m_evaluations; }

    void add(std::size_t step, std::size_t epoch, double seconds, std::size_t evaluations, double total,
             const std::vector<double>& terms);

    // The whole file: header and rows ("" before set_columns).
    std::string text() const { return m_header + m_rows; }
    std::size_t rows() const { return m_count; }

    // Replaces the log with a saved one (a checkpoint's); `source` names it in errors.
    void assign(const std::string& csv, const std::string& source);

    // The last row's total and terms (NaN and no terms when there is no row).
    std::pair<double, std::vector<std::pair<std::string, double>>> last() const;

private:
    std::string m_header, m_rows;
    std::vector<std::string> m_terms;
    bool m_evaluations = false;
    std::size_t m_count = 0;
    double m_last_total = 0;
    std::vector<double> m_last_terms;
};

}  // namespace ae
