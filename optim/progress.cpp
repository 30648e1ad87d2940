// optim/progress.cpp: the progress bar and the plain progress lines.
#include "optim/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "util/text.hpp"

namespace ae {

namespace {

std::string rate_str(double v) {
    if (v < 100) return number_text(v, 3);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);  // 5960, not 5.96e+03
    return buf;
}

// The terminal's width when `out` is stderr on a terminal, else 0 (no limit).
std::size_t terminal_width(const std::ostream* out) {
    if (out != &std::cerr || !isatty(STDERR_FILENO)) return 0;
    winsize w{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0) return w.ws_col;
    return 80;
}

}  // namespace

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const long s = std::lround(seconds);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

Progress::Progress(const TrainOptions& o, std::size_t steps, std::size_t examples_per_step)
    : m_out(o.progress_stream ? o.progress_stream : &std::cerr),
      m_mode(o.progress),
      m_steps(steps),
      m_batch(examples_per_step),
      m_log_every(o.log_every),
      m_width(0),
      m_label(o.label) {
    if (m_mode == ProgressMode::automatic)
        m_mode = m_out == &std::cerr && isatty(STDERR_FILENO) ? ProgressMode::bar : ProgressMode::lines;
    if (m_mode == ProgressMode::bar) m_width = terminal_width(m_out);
}

void Progress::start(std::size_t step, double seconds) {
    m_first = step;
    m_offset = seconds;
    m_start = m_last_draw = std::chrono::steady_clock::now();
}

double Progress::session_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

double Progress::elapsed() const {
    return m_offset + session_seconds();
}

std::string Progress::line(std::size_t step, std::size_t epoch, double total,
                           const std::vector<std::pair<std::string, double>>& terms, bool bar) const {
    const double secs = session_seconds();
    const double rate = secs > 0 ? double(step - m_first) / secs : NAN;
    const double left = rate > 0 ? double(m_steps - step) / rate : NAN;
    std::string speed;
    if (std::isfinite(rate)) {
        speed = "  " + rate_str(rate) + " it/s";
        if (m_batch) speed += " " + rate_str(rate * double(m_batch)) + " ex/s";
    }
    std::string loss = "  loss " + number_text(total, 4);
    for (const auto& [name, value] : terms) loss += "  " + name + " " + number_text(value, 4);
    if (bar) {  // what must stay visible first: the line is cut at the terminal's width
        const std::size_t width = 20, filled = m_steps ? std::min(width, width * step / m_steps) : width;
        return (m_label.empty() ? "" : m_label + "  ") + std::to_string(step) + "/" + std::to_string(m_steps) +
               " [" + std::string(filled, '#') + std::string(width - filled, '-') + "] " +
               std::to_string(m_steps ? 100 * step / m_steps : 100) + "%  " + format_duration(m_offset + secs) +
               "<" + format_duration(left) + speed + loss;
    }
    std::string s = (m_label.empty() ? "" : m_label + ": ") + "step " + std::to_string(step) + "/" +
                    std::to_string(m_steps);
    if (m_batch) s += " (epoch " + std::to_string(epoch) + ")";
    return s + loss + speed + "  elapsed " + format_duration(m_offset + secs) + ", left " + format_duration(left);
}

void Progress::update(std::size_t step, std::size_t epoch, double total,
                      const std::vector<std::pair<std::string, double>>& terms) {
    if (m_mode == ProgressMode::quiet) return;
    const double since = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_last_draw).count();
    const bool due = m_mode == ProgressMode::bar
                         ? !m_drawn || since >= 0.1
                         : step == m_first + 1 || (m_log_every ? step % m_log_every == 0 : since >= 5.0);
    if (due || step >= m_steps) return draw(step, epoch, total, terms);
    // Not shown now: remembered, so that finish() shows the state the run ended in.
    m_pending = true, m_step = step, m_epoch = epoch, m_total = total, m_terms = terms;
}

void Progress::draw(std::size_t step, std::size_t epoch, double total,
                    const std::vector<std::pair<std::string, double>>& terms) {
    if (m_mode == ProgressMode::bar) {
        std::string s = line(step, epoch, total, terms, true);
        if (m_width && s.size() >= m_width) s.resize(m_width - 1);  // never wrap: wrapping scrolls
        *m_out << '\r' << s << "\x1b[K" << std::flush;               // and clear what was longer
        m_drawn = true;
    } else {
        *m_out << line(step, epoch, total, terms, false) << "\n" << std::flush;
    }
    m_pending = false;
    m_last_draw = std::chrono::steady_clock::now();
}

void Progress::finish(const std::string& message) {
    if (m_mode == ProgressMode::quiet) return;
    if (m_pending) draw(m_step, m_epoch, m_total, m_terms);
    if (m_drawn) *m_out << "\n";
    m_drawn = false;
    if (!message.empty()) *m_out << (m_label.empty() ? "" : m_label + ": ") << message << "\n";
    *m_out << std::flush;
}

void Progress::note(const std::string& text) {
    if (m_mode == ProgressMode::quiet) return;
    if (m_drawn) *m_out << "\r\x1b[K";
    *m_out << (m_label.empty() ? "" : m_label + ": ") << text << "\n" << std::flush;
    m_drawn = false;
}

}  // namespace ae
