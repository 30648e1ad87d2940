// tests/test_io_patches.cpp: patch sampling, UFLDL's normalisation, PCA, and PCA/ZCA whitening.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

#include "io/image.hpp"
#include "io/patches.hpp"
#include "io/whitening.hpp"
#include "tests/io_test_util.hpp"
#include "tests/skip.hpp"

using namespace ae;
using namespace ae::test;

namespace {

// An image whose every pixel value is distinct, so a patch tells where it came from.
Array<double> numbered_image(std::size_t h, std::size_t w, double offset) {
    Array<double> im = Array<double>::from_shape({h, w});
    for (std::size_t r = 0; r < h; ++r)
        for (std::size_t c = 0; c < w; ++c) im(r, c) = offset + double(r * w + c) / double(h * w * 4);
    return im;
}

Array<double> covariance(const Array<double>& x) {
    const Array<double> mean = xt::mean(x, {1}, xt::keep_dims);
    const Array<double> xc = x - mean;
    Array<double> cov = Array<double>::from_shape({x.shape(0), x.shape(0)});
    for (std::size_t i = 0; i < x.shape(0); ++i)
        for (std::size_t j = 0; j < x.shape(0); ++j) cov(i, j) = xt::sum(xt::row(xc, i) * xt::row(xc, j))() / double(x.shape(1));
    return cov;
}

double max_abs(const Array<double>& a) { return xt::amax(xt::abs(a))(); }

// Correlated Gaussian data: x = A z + mu with a random mixing A (n x n), m examples.
Array<double> correlated(std::size_t n, std::size_t m, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g;
    Array<double> A = Array<double>::from_shape({n, n}), z = Array<double>::from_shape({n, m});
    for (double& v : A) v = g(rng);
    for (double& v : z) v = g(rng);
    Array<double> x = xt::zeros<double>({n, m});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < n; ++k) xt::row(x, i) += A(i, k) * xt::row(z, k);
    return x + 3.0;
}

}  // namespace

TEST_CASE("patches: each patch is a square of one image and the seed fixes them") {
    const std::vector<Array<double>> images = {numbered_image(12, 10, 0.0), numbered_image(9, 15, 0.5)};
    const Array<float> p = sample_patches<float>(images, 4, 200, 42);
    REQUIRE(shape_of(p) == Shape{16, 200});
    bool all_found = true;
    int from_second = 0;
    for (std::size_t j = 0; j < 200; ++j) {
        const std::size_t which = p(0, j) >= 0.5f ? 1 : 0;
        from_second += int(which);
        const Array<double>& im = images[which];
        // The first value names the top-left pixel; the rest must be the square below and right of it.
        const double v = (double(p(0, j)) - 0.5 * double(which)) * double(im.size() * 4);
        const std::size_t k = std::size_t(std::lround(v)), top = k / im.shape(1), left = k % im.shape(1);
        all_found &= top + 4 <= im.shape(0) && left + 4 <= im.shape(1);
        for (std::size_t r = 0; r < 4 && all_found; ++r)
            for (std::size_t c = 0; c < 4; ++c) all_found &= p(r * 4 + c, j) == float(im(top + r, left + c));
    }
    CHECK(all_found);
    CHECK(from_second > 60);  // both images used (uniform choice: about 100 of 200)
    CHECK(from_second < 140);
    CHECK(sample_patches<float>(images, 4, 200, 42) == p);
    CHECK(sample_patches<float>(images, 4, 200, 43) != p);
    CHECK(contains(error_of([&] { sample_patches<float>(images, 10, 5, 1); }), "smaller than a patch of side 10"));
}

TEST_CASE("patches: UFLDL normalisation lands in [0.1 0.9] around 0.5") {
    std::mt19937_64 rng(3);
    std::normal_distribution<double> g(0.3, 0.2);
    Array<double> x = Array<double>::from_shape({16, 2000});
    for (double& v : x) v = g(rng);
    x(0, 0) = 50.0;  // an outlier beyond 3 standard deviations is clipped, not stretched to
    const Array<double> before = x;
    normalize_patches_ufldl(x);
    CHECK(xt::amin(x)() >= 0.1);
    CHECK(xt::amax(x)() <= 0.9);
    CHECK(x(0, 0) == doctest::Approx(0.9));
    CHECK(xt::mean(x)() == doctest::Approx(0.5).epsilon(0.01));
    // A patch with nothing clipped keeps its shape: mean exactly 0.5, values affine in the input.
    const std::size_t j = 7;
    const Array<double> col = xt::view(x, xt::all(), xt::range(j, j + 1));
    CHECK(xt::mean(col)() == doctest::Approx(0.5).epsilon(1e-12));
    const double slope = (x(1, j) - x(2, j)) / (before(1, j) - before(2, j));
    CHECK((x(3, j) - 0.5) == doctest::Approx(slope * (before(3, j) - xt::mean(xt::view(before, xt::all(), j))())));
    Array<float> flat = xt::ones<float>({4, 3});  // constant data: no spread, everything mid-range
    normalize_patches_ufldl(flat);
    CHECK(flat == Array<float>(xt::full_like(flat, 0.5f)));
}

TEST_CASE("whitening: PCA and ZCA make the covariance the identity") {
    const Array<double> x = correlated(6, 4000, 5);
    const Pca<double> pca = fit_pca(x);
    CHECK(std::is_sorted(pca.variances.rbegin(), pca.variances.rend()));
    const Array<double> I = xt::eye<double>(6);
    const Array<double> cov = covariance(x);
    double trace = 0;
    for (std::size_t i = 0; i < 6; ++i) trace += cov(i, i);
    CHECK(std::accumulate(pca.variances.begin(), pca.variances.end(), 0.0) == doctest::Approx(trace));
    CHECK(max_abs(covariance(pca_whiten(pca, x, 1e-12)) - I) < 1e-6);
    const Array<double> zca = zca_whiten(pca, x, 1e-12);
    CHECK(max_abs(covariance(zca) - I) < 1e-6);
    // With epsilon the variances become λ / (λ + ε): below 1, decorrelated all the same.
    const Array<double> reg = covariance(pca_whiten(pca, x, 0.5));
    for (std::size_t i = 0; i < 6; ++i) CHECK(reg(i, i) == doctest::Approx(pca.variances[i] / (pca.variances[i] + 0.5)));
    CHECK(max_abs(reg - xt::diag(xt::diagonal(reg))) < 1e-9);
    // The PCA baseline: all components give x back, none gives the mean.
    CHECK(max_abs(pca_reconstruct(pca, x, 6) - x) < 1e-9);
    CHECK(max_abs(pca_reconstruct(pca, x, 0) - xt::broadcast(pca.mean, x.shape())) < 1e-12);
    CHECK(shape_of(pca_encode(pca, x, 2)) == Shape{2, 4000});
    const Pca<float> pf = fit_pca(Array<float>(xt::cast<float>(x)));  // float data: double inside
    CHECK(max_abs(covariance(xt::cast<double>(zca_whiten(pf, Array<float>(xt::cast<float>(x)), 1e-9))) - I) < 1e-4);
}

TEST_CASE("patches: pictures in a folder give normalised and whitened patches") {
    TempDir tmp;
    std::mt19937_64 rng(9);
    for (const char* name : {"a.png", "b.png"}) {  // smooth gradients with noise, as photographs have
        GrayImage g{40, 50, {}};
        for (std::size_t r = 0; r < 40; ++r)
            for (std::size_t c = 0; c < 50; ++c) g.pixels.push_back(std::uint8_t((r * 3 + c * 2 + rng() % 40) % 256));
        write_png(tmp.file(name), g);
    }
    put_file(tmp.file("notes.txt"), "not a picture");
    CHECK(list_image_files(tmp.path).size() == 2);
    PatchOptions o;
    o.side = 6;
    o.count = 3000;
    const Array<double> x = load_patches<double>(tmp.path, o);
    CHECK(shape_of(x) == Shape{36, 3000});
    CHECK(xt::amin(x)() >= 0.1);
    CHECK(xt::amax(x)() <= 0.9);
    CHECK(load_patches<double>(tmp.path, o) == x);
    // Whitening without the normalisation: removing each patch's mean leaves (almost) no variance
    // along the all-ones direction, which no epsilon this small could whiten.
    o.normalize = false;
    o.whitening = Whitening::zca;
    o.epsilon = 1e-9;
    CHECK(max_abs(covariance(load_patches<double>(tmp.path, o)) - xt::eye<double>(36)) < 1e-4);
    CHECK(contains(error_of([&] { load_patches<double>(tmp.file("notes.txt"), o); }), "cannot decode"));
    std::filesystem::create_directory(tmp.file("empty"));
    CHECK(contains(error_of([&] { load_patches<double>(tmp.file("empty"), o); }), "no picture files"));
}

TEST_CASE("patches: the shared natural photographs when present") {
    const std::string dir = shared_data_dir("natural-images");
    if (dir.empty()) {
        SKIP_TEST("../shared/data/natural-images is absent");
        return;
    }
    PatchOptions o;  // 10000 patches of 8x8, as the UFLDL exercise
    const Array<float> x = load_patches<float>(dir, o);
    CHECK(shape_of(x) == Shape{64, 10000});
    CHECK(xt::amin(x)() >= 0.1f);
    CHECK(xt::amax(x)() <= 0.9f);
    CHECK(xt::mean(xt::cast<double>(x))() == doctest::Approx(0.5).epsilon(0.01));
}
