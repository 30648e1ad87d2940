// optim/train_log.cpp: the CSV log: formatting rows exactly, reading a saved log back.
#include "optim/train_log.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "io/file.hpp"
#include "util/text.hpp"

namespace ae {

namespace {

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream s(line);
    while (std::getline(s, cell, sep)) out.push_back(cell);
    if (!line.empty() && line.back() == sep) out.emplace_back();
    return out;
}

double parse_double(const std::string& cell) {
    if (cell == "nan") return std::numeric_limits<double>::quiet_NaN();
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);  // reads "inf" and "-inf" too
    return end && *end == '\0' && !cell.empty() ? v : std::numeric_limits<double>::quiet_NaN();
}

const std::size_t kFixed = 4;  // step, epoch, seconds, total (plus evaluations for lbfgs)

}  // namespace

void TrainLog::set_columns(const std::vector<std::string>& terms, bool evaluations) {
    m_terms = terms;
    m_evaluations = evaluations;
    m_header = evaluations ? "step,epoch,seconds,evaluations,total" : "step,epoch,seconds,total";
    for (const std::string& t : terms) m_header += "," + t;
    m_header += "\n";
    m_rows.clear();
    m_count = 0;
}

void TrainLog::add(std::size_t step, std::size_t epoch, double seconds, std::size_t evaluations, double total,
                   const std::vector<double>& terms) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.3f", seconds);
    m_rows += std::to_string(step) + "," + std::to_string(epoch) + "," + secs;
    if (m_evaluations) m_rows += "," + std::to_string(evaluations);
    m_rows += "," + number_text(total);
    for (double t : terms) m_rows += "," + number_text(t);
    m_rows += "\n";
    ++m_count;
    m_last_total = total;
    m_last_terms = terms;
}

void TrainLog::assign(const std::string& csv, const std::string& source) {
    std::istringstream in(csv);
    std::string header;
    if (!std::getline(in, header)) {  // a run that stopped before its first step
        *this = TrainLog();
        return;
    }
    const std::vector<std::string> cols = split(header, ',');
    const bool evaluations = cols.size() > 3 && cols[3] == "evaluations";
    const std::size_t fixed = kFixed + (evaluations ? 1 : 0);
    if (cols.size() < fixed || cols[0] != "step" || cols[1] != "epoch" || cols[2] != "seconds" ||
        cols[fixed - 1] != "total")
        throw IoError(source, "the saved log's header is not a training log's: '" + header + "'");
    set_columns(std::vector<std::string>(cols.begin() + fixed, cols.end()), evaluations);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const std::vector<std::string> cells = split(line, ',');
        if (cells.size() != cols.size())
            throw IoError(source, "the saved log's row " + std::to_string(m_count + 1) + " has " +
                                      std::to_string(cells.size()) + " cells, its header " +
                                      std::to_string(cols.size()));
        m_rows += line + "\n";
        ++m_count;
        m_last_total = parse_double(cells[fixed - 1]);
        m_last_terms.clear();
        for (std::size_t i = fixed; i < cells.size(); ++i) m_last_terms.push_back(parse_double(cells[i]));
    }
}

std::pair<double, std::vector<std::pair<std::string, double>>> TrainLog::last() const {
    std::vector<std::pair<std::string, double>> terms;
    if (m_count == 0) return {std::numeric_limits<double>::quiet_NaN(), terms};
    for (std::size_t i = 0; i < m_terms.size() && i < m_last_terms.size(); ++i)
        terms.emplace_back(m_terms[i], m_last_terms[i]);
    return {m_last_total, terms};
}

}  // namespace ae
