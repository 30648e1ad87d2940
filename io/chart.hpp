// io/chart.hpp: line charts written as SVG text (no plotting library is packaged): training
// curves (each loss term against step) and the documents' KL penalty curve.
#pragma once
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "io/file.hpp"

namespace ae {

struct Series {
    std::string name;
    std::vector<double> x, y;  // same length; non-finite points (and y <= 0 on a log axis) leave gaps
};

struct LineChart {
    std::string title, x_label = "step", y_label = "loss";
    bool log_y = false;
    double y_min = NAN, y_max = NAN;  // NaN: from the data
    std::size_t width = 800, height = 480;
    std::vector<Series> series;
};

std::string render_svg(const LineChart& chart);
void write_svg(const std::string& path, const LineChart& chart);  // atomic

// Columns of a numeric CSV file with a header row ("step,loss,reconstruction,kl,..."): the first
// column is x and every other column (or only those named in `columns`) is one series. Empty or
// unparsable cells become NaN (a gap).
LineChart chart_from_csv(const std::string& path, const std::vector<std::string>& columns = {});

// KL(rho || rho_hat) = rho log(rho / rho_hat) + (1 - rho) log((1 - rho) / (1 - rho_hat)) for rho_hat
// in (0, 1): zero at rho_hat = rho, growing without bound towards 0 and 1 (the documents' figure
// uses rho = 0.2).
LineChart kl_penalty_chart(double rho = 0.2);

}  // namespace ae
