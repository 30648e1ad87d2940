// io/patches.cpp: patch sampling and UFLDL's normalisation.
#include "io/patches.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <random>

#include "io/image.hpp"
#include "io/whitening.hpp"

namespace ae {
namespace {

// Uniform in [0, n) without modulo bias, the same on every standard library.
std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;  // a multiple of n
    std::uint64_t v;
    do v = rng();
    while (v >= limit);
    return v % n;
}

bool is_picture(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* e : {".png", ".jpg", ".jpeg", ".bmp", ".tga", ".gif", ".pgm", ".ppm"})
        if (ext == e) return true;
    return false;
}

}  // namespace

std::vector<std::string> list_image_files(const std::string& dir) {
    std::vector<std::string> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file() && is_picture(it->path())) files.push_back(it->path().string());
    if (ec) throw IoError(dir, "cannot list the folder: " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

template <class T>
Array<T> sample_patches(const std::vector<Array<double>>& images, std::size_t side, std::size_t count,
                        std::uint64_t seed) {
    if (images.empty()) throw std::invalid_argument("sample_patches: no images");
    if (side == 0) throw std::invalid_argument("sample_patches: patch side must be positive");
    for (std::size_t i = 0; i < images.size(); ++i)
        if (images[i].shape(0) < side || images[i].shape(1) < side)
            throw std::invalid_argument("sample_patches: image " + std::to_string(i) + " of " +
                                        str(shape_of(images[i])) + " is smaller than a patch of side " +
                                        std::to_string(side));
    std::mt19937_64 rng(seed);
    Array<T> x = Array<T>::from_shape({side * side, count});
    for (std::size_t j = 0; j < count; ++j) {
        const Array<double>& im = images[uniform_below(rng, images.size())];
        const std::size_t top = uniform_below(rng, im.shape(0) - side + 1);
        const std::size_t left = uniform_below(rng, im.shape(1) - side + 1);
        for (std::size_t r = 0; r < side; ++r)
            for (std::size_t c = 0; c < side; ++c) x(r * side + c, j) = T(im(top + r, left + c));
    }
    return x;
}

template <class T>
void normalize_patches_ufldl(Array<T>& x) {
    const std::size_t n = x.shape(0), m = x.shape(1);
    if (n == 0 || m == 0) return;
    double sum = 0, sum_sq = 0;  // accumulate in double: float sums drift over many patches
    for (std::size_t j = 0; j < m; ++j) {
        double mean = 0;
        for (std::size_t i = 0; i < n; ++i) mean += double(x(i, j));
        mean /= double(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double v = double(x(i, j)) - mean;
            x(i, j) = T(v);
            sum += v, sum_sq += v * v;
        }
    }
    const double N = double(n) * double(m);
    const double var = N > 1 ? std::max(0.0, (sum_sq - sum * sum / N) / (N - 1)) : 0.0;
    const double pstd = 3 * std::sqrt(var);
    for (T& v : x) {
        const double clipped = pstd > 0 ? std::clamp(double(v), -pstd, pstd) / pstd : 0.0;
        v = T((clipped + 1) * 0.4 + 0.1);
    }
}

template <class T>
Array<T> load_patches(const std::string& file_or_dir, const PatchOptions& o) {
    const bool dir = std::filesystem::is_directory(file_or_dir);
    const std::vector<std::string> files = dir ? list_image_files(file_or_dir) : std::vector{file_or_dir};
    if (files.empty()) throw IoError(file_or_dir, "no picture files (.png, .jpg, ...) in this folder");
    std::vector<Array<double>> images;
    for (const auto& f : files) {
        images.push_back(read_gray_image(f));
        if (images.back().shape(0) < o.side || images.back().shape(1) < o.side)
            throw IoError(f, "image of " + str(shape_of(images.back())) + " pixels is smaller than a " +
                                 std::to_string(o.side) + " x " + std::to_string(o.side) + " patch");
    }
    Array<T> x = sample_patches<T>(images, o.side, o.count, o.seed);
    if (o.normalize) normalize_patches_ufldl(x);
    if (o.whitening == Whitening::none) return x;
    const Pca<T> pca = fit_pca(x);
    return o.whitening == Whitening::pca ? pca_whiten(pca, x, o.epsilon) : zca_whiten(pca, x, o.epsilon);
}

template Array<float> sample_patches<float>(const std::vector<Array<double>>&, std::size_t, std::size_t,
                                            std::uint64_t);
template Array<double> sample_patches<double>(const std::vector<Array<double>>&, std::size_t, std::size_t,
                                              std::uint64_t);
template void normalize_patches_ufldl<float>(Array<float>&);
template void normalize_patches_ufldl<double>(Array<double>&);
template Array<float> load_patches<float>(const std::string&, const PatchOptions&);
template Array<double> load_patches<double>(const std::string&, const PatchOptions&);

}  // namespace ae
