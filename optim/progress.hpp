// optim/progress.hpp: what a training run shows while it runs: on a terminal one line redrawn in
// place (step, bar, loss and each term, speed, elapsed, time left), elsewhere plain log lines.
#pragma once
#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "optim/train_options.hpp"

namespace ae {

class Progress {
public:
    // examples_per_step: the batch size, for examples/s (0: show steps/s only).
    Progress(const TrainOptions& options, std::size_t steps, std::size_t examples_per_step);

    // The run (re)starts after `step` completed steps, `seconds` of them already spent.
    void start(std::size_t step, double seconds);
    // After each completed step. Draws when due (bar: at most 10 times a second; lines: every
    // log_every steps or 5 s, and the first step of the session), always at the last step.
    void update(std::size_t step, std::size_t epoch, double total,
                const std::vector<std::pair<std::string, double>>& terms);
    // Ends the redrawn line (one newline), then prints `message` on its own line if not empty.
    void finish(const std::string& message);
    // A line of its own (clears a bar being drawn first).
    void note(const std::string& line);

    double elapsed() const;  // seconds, counting earlier sessions
    ProgressMode mode() const { return m_mode; }

private:
    std::string line(std::size_t step, std::size_t epoch, double total,
                     const std::vector<std::pair<std::string, double>>& terms, bool bar) const;
    void draw(std::size_t step, std::size_t epoch, double total,
              const std::vector<std::pair<std::string, double>>& terms);
    double session_seconds() const;

    std::ostream* m_out;
    ProgressMode m_mode;
    std::size_t m_steps, m_batch, m_log_every, m_width;
    std::string m_label;
    std::size_t m_first = 0;  // completed steps when this session started
    double m_offset = 0;
    std::chrono::steady_clock::time_point m_start, m_last_draw;
    bool m_drawn = false;  // a bar line is on screen, not yet ended
    bool m_pending = false;  // a step not drawn yet (bar), kept below
    std::size_t m_step = 0, m_epoch = 0;
    double m_total = 0;
    std::vector<std::pair<std::string, double>> m_terms;
};

// "1:05:03", "4:07", "0:09": hours only when needed.
std::string format_duration(double seconds);

}  // namespace ae
