// io/chart.cpp: axes with round-number ticks, a legend, and one polyline per series.
#include "io/chart.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <sstream>

#include "util/text.hpp"

namespace ae {
namespace {

const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

// An SVG coordinate, to a tenth of a pixel.
std::string coordinate(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// 1, 2 or 5 times a power of ten, about range / target.
double nice_step(double range, int target) {
    const double raw = range / target, p = std::pow(10.0, std::floor(std::log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

struct Axis {
    double lo, hi;
    bool log;
    std::vector<double> ticks;
    double t(double v) const { return log ? std::log10(v) : v; }  // data -> axis coordinate
    double frac(double v) const { return (t(v) - t(lo)) / (t(hi) - t(lo)); }
};

Axis make_axis(double lo, double hi, bool log) {
    Axis a{lo, hi, log, {}};
    if (log) {
        double e0 = std::floor(std::log10(lo)), e1 = std::ceil(std::log10(hi));
        if (e1 == e0) e1 = e0 + 1;
        a.lo = std::pow(10.0, e0), a.hi = std::pow(10.0, e1);
        const bool fine = e1 - e0 <= 2;  // few decades: 2x and 5x ticks too
        const int every = int(std::ceil((e1 - e0) / 8));
        for (double e = e0; e <= e1; e += 1)
            for (double m : {1.0, 2.0, 5.0})
                if ((m == 1.0 && int(e - e0) % every == 0) || (fine && m != 1.0 && e < e1))
                    a.ticks.push_back(m * std::pow(10.0, e));
        return a;
    }
    if (hi == lo) lo -= 0.5 + std::abs(lo) * 0.05, hi += 0.5 + std::abs(hi) * 0.05;
    const double step = nice_step(hi - lo, 6);
    a.lo = std::floor(lo / step) * step, a.hi = std::ceil(hi / step) * step;
    for (double v = a.lo; v <= a.hi + step * 1e-9; v += step) a.ticks.push_back(std::abs(v) < step * 1e-9 ? 0 : v);
    return a;
}

bool usable(double x, double y, bool log_y) { return std::isfinite(x) && std::isfinite(y) && (!log_y || y > 0); }

}  // namespace

std::string render_svg(const LineChart& c) {
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (const auto& s : c.series)
        for (std::size_t k = 0; k < std::min(s.x.size(), s.y.size()); ++k)
            if (usable(s.x[k], s.y[k], c.log_y) && (std::isnan(c.y_max) || s.y[k] <= c.y_max) &&
                (std::isnan(c.y_min) || s.y[k] >= c.y_min))
                x0 = std::min(x0, s.x[k]), x1 = std::max(x1, s.x[k]), y0 = std::min(y0, s.y[k]), y1 = std::max(y1, s.y[k]);
    if (!(x0 <= x1)) x0 = 0, x1 = 1, y0 = c.log_y ? 0.1 : 0, y1 = 1;  // nothing to draw: empty axes
    if (!std::isnan(c.y_min)) y0 = c.y_min;
    if (!std::isnan(c.y_max)) y1 = c.y_max;
    if (x0 == x1) x0 -= 0.5, x1 += 0.5;
    const Axis ax = make_axis(x0, x1, false), ay = make_axis(y0, y1, c.log_y);

    const double W = double(c.width), H = double(c.height), left = 78, right = 24, top = 40, bottom = 56;
    const double pw = W - left - right, ph = H - top - bottom;
    auto px = [&](double v) { return left + ax.frac(v) * pw; };
    auto py = [&](double v) { return top + (1 - ay.frac(v)) * ph; };

    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << c.width << "\" height=\"" << c.height
      << "\" viewBox=\"0 0 " << c.width << ' ' << c.height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << W / 2 << "\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">" << escape(c.title) << "</text>\n";
    for (double t : ax.ticks)  // vertical grid lines and x tick labels
        o << "<line x1=\"" << px(t) << "\" y1=\"" << top << "\" x2=\"" << px(t) << "\" y2=\"" << top + ph
          << "\" stroke=\"#e0e0e0\"/>\n<text x=\"" << px(t) << "\" y=\"" << top + ph + 16
          << "\" text-anchor=\"middle\">" << number_text(t, 4) << "</text>\n";
    for (double t : ay.ticks)
        o << "<line x1=\"" << left << "\" y1=\"" << py(t) << "\" x2=\"" << left + pw << "\" y2=\"" << py(t)
          << "\" stroke=\"#e0e0e0\"/>\n<text x=\"" << left - 6 << "\" y=\"" << py(t) + 4
          << "\" text-anchor=\"end\">" << number_text(t, 4) << "</text>\n";
    o << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
      << "\" fill=\"none\" stroke=\"black\"/>\n"
      << "<text x=\"" << left + pw / 2 << "\" y=\"" << H - 14 << "\" text-anchor=\"middle\">" << escape(c.x_label)
      << "</text>\n<text transform=\"translate(16 " << top + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
      << escape(c.y_label) << (c.log_y ? " (log scale)" : "") << "</text>\n";

    o << "<g fill=\"none\" stroke-width=\"1.5\" stroke-linejoin=\"round\">\n";
    for (std::size_t i = 0; i < c.series.size(); ++i) {
        const Series& s = c.series[i];
        const std::size_t n = std::min(s.x.size(), s.y.size());
        const std::size_t stride = std::max<std::size_t>(1, n / 4000);  // keep files small for long runs
        std::string points;
        auto flush = [&] {
            if (!points.empty())
                o << "<polyline stroke=\"" << palette[i % 10] << "\" points=\"" << points << "\"/>\n";
            points.clear();
        };
        for (std::size_t k = 0; k < n; k += stride) {
            const double y = std::clamp(s.y[k], ay.lo, ay.hi);  // outside a fixed range: drawn on the edge
            if (!usable(s.x[k], s.y[k], c.log_y)) {
                flush();
                continue;
            }
            points += coordinate(px(s.x[k])) + "," + coordinate(py(y)) + " ";
        }
        flush();
    }
    o << "</g>\n";
    std::size_t longest = 0;
    for (const auto& s : c.series) longest = std::max(longest, s.name.size());
    const double lw = 44 + 7.0 * double(longest);  // legend, top right inside the plot
    const double lx = left + pw - lw - 4, ly = top + 10;
    if (!c.series.empty())
        o << "<rect x=\"" << lx - 8 << "\" y=\"" << ly - 6 << "\" width=\"" << lw << "\" height=\"" << 18 * c.series.size() + 8
          << "\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n";
    for (std::size_t i = 0; i < c.series.size(); ++i)
        o << "<line x1=\"" << lx << "\" y1=\"" << ly + 18 * i + 6 << "\" x2=\"" << lx + 22 << "\" y2=\""
          << ly + 18 * i + 6 << "\" stroke=\"" << palette[i % 10] << "\" stroke-width=\"2\"/>\n<text x=\"" << lx + 28
          << "\" y=\"" << ly + 18 * i + 10 << "\">" << escape(c.series[i].name) << "</text>\n";
    o << "</svg>\n";
    return o.str();
}

void write_svg(const std::string& path, const LineChart& chart) { write_file_atomic(path, render_svg(chart)); }

LineChart chart_from_csv(const std::string& path, const std::vector<std::string>& columns) {
    std::istringstream in(read_file(path));
    std::string line;
    auto split = [](const std::string& l) {
        std::vector<std::string> cells;
        std::stringstream ss(l);
        for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
        return cells;
    };
    if (!std::getline(in, line)) throw IoError(path, "empty CSV file (no header row)");
    const std::vector<std::string> header = split(line);
    if (header.size() < 2) throw IoError(path, "a CSV log needs a step column and at least one more");
    std::vector<std::vector<double>> cols(header.size());
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto cells = split(line);
        for (std::size_t k = 0; k < header.size(); ++k) {
            double v = NAN;
            if (k < cells.size()) try { v = std::stod(cells[k]); } catch (const std::exception&) {}
            cols[k].push_back(v);
        }
    }
    LineChart chart;
    chart.x_label = header[0];
    for (std::size_t k = 1; k < header.size(); ++k)
        if (columns.empty() || std::find(columns.begin(), columns.end(), header[k]) != columns.end())
            chart.series.push_back({header[k], cols[0], cols[k]});
    for (const auto& name : columns)
        if (std::find(header.begin(), header.end(), name) == header.end())
            throw IoError(path, "has no column '" + name + "'");
    return chart;
}

LineChart kl_penalty_chart(double rho) {
    if (!(rho > 0 && rho < 1)) throw std::invalid_argument("kl_penalty_chart: rho must be in (0, 1)");
    LineChart c;
    c.title = "KL(rho || rho_hat) for rho = " + number_text(rho, 4);
    c.x_label = "rho_hat";
    c.y_label = "KL penalty";
    Series s{"KL(" + number_text(rho, 4) + " || rho_hat)", {}, {}};
    for (int k = 1; k < 1000; ++k) {
        const double r = k / 1000.0;
        s.x.push_back(r);
        s.y.push_back(rho * std::log(rho / r) + (1 - rho) * std::log((1 - rho) / (1 - r)));
    }
    c.series.push_back(std::move(s));
    return c;
}

}  // namespace ae
