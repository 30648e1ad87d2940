// tests/test_io_pictures.cpp: PNG tile grids decoded back with stb_image, and SVG charts.
#include <doctest/doctest.h>

#include <cmath>

#include <stb/stb_image.h>

#include "io/chart.hpp"
#include "io/image.hpp"
#include "tests/io_test_util.hpp"

using namespace ae;
using namespace ae::test;

namespace {

// The PNG file decoded by stb_image, as the grey image it should be.
GrayImage decode(const std::string& path) {
    int w = 0, h = 0, n = 0;
    unsigned char* p = stbi_load(path.c_str(), &w, &h, &n, 0);
    REQUIRE(p != nullptr);
    CHECK(n == 1);
    GrayImage img{std::size_t(h), std::size_t(w), std::vector<std::uint8_t>(p, p + std::size_t(w) * std::size_t(h) * n)};
    stbi_image_free(p);
    return img;
}

int count(const std::string& s, const std::string& part) {
    int n = 0;
    for (std::size_t at = s.find(part); at != std::string::npos; at = s.find(part, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("png: a filter grid has the UFLDL layout and normalisation") {
    TempDir tmp;
    // 4 units of 3x3 weights; the mean of all of W is 1, so tiles are normalised after removing 1.
    Array<double> W = Array<double>::from_shape({4, 9});
    for (std::size_t j = 0; j < 4; ++j)
        for (std::size_t i = 0; i < 9; ++i) W(j, i) = 1.0 + (double(i) - 4.0) * double(j + 1);
    GridOptions o;
    o.scale = 1;
    write_png(tmp.file("w.png"), filter_grid(W, o));
    const GrayImage img = decode(tmp.file("w.png"));
    REQUIRE(img.height == 9);  // 2 x 2 tiles of 3 + 1 border pixels, plus the outer border
    REQUIRE(img.width == 9);
    CHECK(img.at(0, 0) == 0);  // black borders, as UFLDL's display_network
    CHECK(img.at(4, 5) == 0);
    for (std::size_t j = 0; j < 4; ++j) {  // each tile spans the full contrast: -1 black .. +1 white
        const std::size_t top = 1 + (j / 2) * 4, left = 1 + (j % 2) * 4;
        CHECK(img.at(top, left) == 0);
        CHECK(img.at(top + 1, left + 1) == 128);  // weight equal to the mean: mid-grey
        CHECK(img.at(top + 2, left + 2) == 255);
        CHECK(img.at(top, left + 1) == 32);  // (i - 4)/4 = -0.75 -> 0.125 * 255
    }
    // Automatic upscaling: 25 tiles of 8x8 become 8x, 196 tiles of 28x28 stay 1x (about 400 pixels).
    CHECK(filter_grid(Array<float>(xt::ones<float>({25, 64}))).width == 1 + 5 * (8 * 8 + 1));
    CHECK(filter_grid(Array<float>(xt::ones<float>({196, 784}))).width == 1 + 14 * 29);
    const GrayImage ten = filter_grid(Array<float>(xt::ones<float>({10, 784})));  // UFLDL: 4 columns, 3 rows
    CHECK(ten.width == 1 + 4 * (28 * 3 + 1));                                    // scaled 3x
    CHECK(ten.height == 1 + 3 * (28 * 3 + 1));
    CHECK(contains(error_of([] { filter_grid(Array<double>(xt::ones<double>({3, 10}))); }), "not a square"));
}

TEST_CASE("png: inputs sit above their reconstructions with values clipped") {
    TempDir tmp;
    // 3 examples of 2x2 pixels; the "reconstruction" goes out of [0, 1] on purpose.
    const Array<double> x = {{0.0, 0.2, 1.0}, {0.4, 0.6, 0.8}, {1.0, 0.0, 0.5}, {0.1, 0.3, 0.9}};
    const Array<double> y = x * 2.0 - 0.5;
    GridOptions o;
    o.scale = 1;
    o.cols = 2;  // two bands: examples 0-1, then example 2
    write_png(tmp.file("pairs.png"), comparison_grid<double>({x, y}, o));
    const GrayImage img = decode(tmp.file("pairs.png"));
    REQUIRE(img.width == 1 + 2 * 3);
    REQUIRE(img.height == 1 + 4 * 3 + 3);  // 4 rows of tiles, a 3-pixel gap between the bands
    CHECK(img.at(0, 0) == 128);            // grey borders: dark data stays visible
    auto pixel = [&](std::size_t tile_row, std::size_t tile_col, std::size_t p) {
        const std::size_t top = 1 + tile_row * 3 + (tile_row / 2) * 3, left = 1 + tile_col * 3;
        return int(img.at(top + p / 2, left + p % 2));
    };
    for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t p = 0; p < 4; ++p) {
            const std::size_t band = j / 2, col = j % 2;
            CHECK(pixel(band * 2, col, p) == std::lround(x(p, j) * 255));  // input above...
            CHECK(pixel(band * 2 + 1, col, p) == std::lround(std::clamp(y(p, j), 0.0, 1.0) * 255));  // ...its output
        }
    CHECK(img.at(img.height - 2, img.width - 2) == 128);  // the unused slot of the last band is border grey
    CHECK(contains(error_of([&] { comparison_grid<double>({x, Array<double>(xt::zeros<double>({4, 2}))}); }),
                   "comparison_grid: shapes (4, 3) and (4, 2) differ"));
}

TEST_CASE("png: grey images read back as values in [0 1]") {
    TempDir tmp;
    GrayImage g{2, 3, {0, 51, 102, 153, 204, 255}};
    write_png(tmp.file("g.png"), g);
    const Array<double> a = read_gray_image(tmp.file("g.png"));
    CHECK(a == Array<double>{{0.0, 0.2, 0.4}, {0.6, 0.8, 1.0}});
    put_file(tmp.file("bad.png"), "\x89PNG but not really");
    CHECK(contains(error_of([&] { read_gray_image(tmp.file("bad.png")); }), tmp.file("bad.png") + ": cannot decode"));
}

TEST_CASE("svg: a training curve has axes and a legend and one line per term") {
    TempDir tmp;
    LineChart c;
    c.title = "training <sparse-kl>";
    for (const char* name : {"loss", "reconstruction", "kl"}) {
        Series s{name, {}, {}};
        for (int k = 0; k <= 100; ++k) s.x.push_back(k), s.y.push_back((name[0] == 'k' ? 0.5 : 2.0) / (1 + k));
        c.series.push_back(s);
    }
    c.series[2].y[50] = NAN;  // a gap, not a broken file
    const std::string svg = render_svg(c);
    CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(svg.find("</svg>") != std::string::npos);
    CHECK(count(svg, "<polyline") == 4);  // the NaN splits one line in two
    CHECK(contains(svg, "training &lt;sparse-kl&gt;"));
    CHECK(contains(svg, ">reconstruction</text>"));
    CHECK(contains(svg, ">100</text>"));  // an x tick at the last step
    c.log_y = true;
    const std::string log_svg = render_svg(c);
    CHECK(contains(log_svg, ">0.001</text>"));  // decades span 0.5/101 .. 2
    CHECK(contains(log_svg, "(log scale)"));
    write_svg(tmp.file("curve.svg"), c);
    CHECK(get_file(tmp.file("curve.svg")) == log_svg);

    put_file(tmp.file("log.csv"), "step,loss,kl\n0,2.5,0.1\n1,2.0,\n2,1.5,0.05\n");
    const LineChart from_csv = chart_from_csv(tmp.file("log.csv"));
    REQUIRE(from_csv.series.size() == 2);
    CHECK(from_csv.series[1].name == "kl");
    CHECK(std::isnan(from_csv.series[1].y[1]));
    CHECK(contains(error_of([&] { chart_from_csv(tmp.file("log.csv"), {"beta"}); }), "has no column 'beta'"));
}

TEST_CASE("svg: the KL penalty curve is zero at rho and grows towards 0 and 1") {
    const LineChart c = kl_penalty_chart(0.2);
    const Series& s = c.series.at(0);
    const auto k = std::size_t(std::min_element(s.y.begin(), s.y.end()) - s.y.begin());
    CHECK(s.x[k] == doctest::Approx(0.2));
    CHECK(s.y[k] == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(s.y.front() > 0.5);
    CHECK(s.y.back() > 4.0);
    CHECK(contains(render_svg(c), "rho = 0.2"));
}
