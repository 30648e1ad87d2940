// io/patches.hpp: random square patches of natural images, with UFLDL's normalisation and optional
// PCA/ZCA whitening (the sparse autoencoder exercise of Ng's CS294A notes, on photographs).
//
// A patch of side p is a column of p*p grey levels, pixel (r, c) at row r*p + c: m patches are an
// Array of shape (p*p, m), examples as columns like every data set of the zoo.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "autodiff/array.hpp"
#include "io/file.hpp"

namespace ae {

// The picture files (.png, .jpg, .jpeg, .bmp, .tga, .gif, .pgm, .ppm; any case) in `dir`,
// sorted by name so that a seed means the same patches on every machine.
std::vector<std::string> list_image_files(const std::string& dir);

// `count` patches of side `side`: for each, an image chosen uniformly, then a position uniformly
// within it, from std::mt19937_64 seeded with `seed`. Indices are drawn by rejection, not with
// std::uniform_int_distribution, whose results differ between standard libraries.
template <class T>
Array<T> sample_patches(const std::vector<Array<double>>& images, std::size_t side, std::size_t count,
                        std::uint64_t seed);

// UFLDL's normalizeData, in place: remove each patch's mean (over its pixels), clip to ±3 standard
// deviations of all values (sample std), and map [-1, 1] to [0.1, 0.9], the range a sigmoid output
// layer can reconstruct.
template <class T>
void normalize_patches_ufldl(Array<T>& x);

enum class Whitening { none, pca, zca };

struct PatchOptions {
    std::size_t side = 8, count = 10000;
    std::uint64_t seed = 1;
    bool normalize = true;                  // UFLDL's normalisation (above)
    Whitening whitening = Whitening::none;  // after normalising: the result leaves [0.1, 0.9]
    double epsilon = 0.01;                  // whitening regulariser: UFLDL's advice for data in [0, 1]
};

// Patches from one picture file or from every picture in a folder (read as grey, see
// read_gray_image), then normalised and whitened as `options` say.
template <class T>
Array<T> load_patches(const std::string& file_or_dir, const PatchOptions& options = {});

}  // namespace ae
