// io/idx.hpp: MNIST and Fashion-MNIST in their IDX files, gzipped or not.
//
// Images come out as columns, the layout of the whole zoo: m images of rows x cols pixels are an
// Array of shape (rows*cols, m), pixel (r, c) of example j at (r*cols + c, j), scaled by 1/255 into
// [0, 1] (0 is the background, 1 full ink). Every file is validated: magic number, dimensions, that
// all announced data is there (including the end of a gzip stream) and that nothing follows it;
// each problem throws IoError naming the file and what is wrong.
#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "autodiff/array.hpp"
#include "io/file.hpp"

namespace ae {

inline constexpr std::size_t no_limit = std::numeric_limits<std::size_t>::max();

// Where Debian's dataset-fashion-mnist package installs the four files (the zoo's default data).
inline constexpr const char* fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";

// An IDX image file as stored: bytes 0..255, row-major, one image after another.
struct IdxImages {
    std::size_t count = 0, rows = 0, cols = 0;
    std::vector<std::uint8_t> pixels;  // count * rows * cols
};

// Reads the first `limit` images (all by default). With a limit, only those images are read and
// checked: the rest of the file is not (that is what makes a limit fast).
IdxImages read_idx_images_u8(const std::string& path, std::size_t limit = no_limit);

// The same images as columns scaled by 1/255: shape (rows*cols, count). T is float or double.
template <class T>
Array<T> read_idx_images(const std::string& path, std::size_t limit = no_limit);

template <class T>
Array<T> idx_to_columns(const IdxImages& images);

std::vector<std::uint8_t> read_idx_labels(const std::string& path, std::size_t limit = no_limit);

// A data set in the zoo's layout (what load_idx_dataset and load_data return).
template <class T>
struct Dataset {
    Array<T> x;                        // (features, examples); pictures have values in [0, 1]
    std::vector<std::uint8_t> labels;  // one per column; empty when the source has none
    std::size_t rows = 0, cols = 0;    // one example as a picture (for tile grids); 0 if unknown
    std::string description;           // e.g. "Fashion-MNIST (train): 60000 examples of 28 x 28"
};

enum class Split { train, test };

// The file of a split in `dir`: "train-images-idx3-ubyte" (images) or "t10k-labels-idx1-ubyte"
// (labels), with or without ".gz", also spelled "train-images.idx3-ubyte" as some copies are.
// Throws IoError listing the names tried when none exists.
std::string find_idx_file(const std::string& dir, Split split, bool labels);

// Images and labels of one split, checked to have the same count (description: the folder).
template <class T>
Dataset<T> load_idx_dataset(const std::string& dir, Split split, std::size_t limit = no_limit);

}  // namespace ae
