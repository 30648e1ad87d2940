// io/data.hpp: from a --data argument to a data set in one call, for the trainer and the CLI.
//
//   fashion-mnist          Fashion-MNIST from Debian's dataset-fashion-mnist (fashion_mnist_dir)
//   mnist:DIR              MNIST-style IDX files in DIR, gzipped or not (also idx:DIR)
//   patches:DIR_OR_FILE    random patches of the pictures (PatchOptions: side, count, whitening)
//   FILE.npy               one example per row (see io/npy.hpp), uint8 scaled by 1/255
//   FILE.npz:NAME          the entry NAME of an archive, one example per row, likewise (the
//                          name may be left out when the archive holds one array)
// Whatever the source, x has the zoo's layout: shape (features, examples).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/idx.hpp"
#include "io/patches.hpp"

namespace ae {

template <class T>
struct Data {
    Array<T> x;                        // (features, examples), values in [0, 1] for pictures
    std::vector<std::uint8_t> labels;  // empty when the source has none
    std::size_t rows = 0, cols = 0;    // one example as a picture (for tile grids); 0 if unknown
    std::string description;           // e.g. "Fashion-MNIST (train): 60000 examples of 28 x 28"
};

struct DataOptions {
    Split split = Split::train;    // for IDX sources
    std::size_t limit = no_limit;  // keep the first examples only
    PatchOptions patches;          // for patches: sources
};

template <class T>
Data<T> load_data(const std::string& spec, const DataOptions& options = {});

}  // namespace ae
