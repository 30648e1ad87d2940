// io/data.hpp: from a --data argument to a data set in one call, for the trainer and the CLI.
//
//   fashion-mnist          Fashion-MNIST from Debian's dataset-fashion-mnist (fashion_mnist_dir)
//   mnist:DIR              MNIST-style IDX files in DIR, gzipped or not (also idx:DIR)
//   patches:DIR_OR_FILE    random patches of the pictures (PatchOptions: side, count, whitening)
//   FILE.npy               one example per row (see io/npy.hpp), uint8 scaled by 1/255
//   FILE.npz:NAME          the entry NAME of an archive, one example per row, likewise (the
//                          name may be left out when the archive holds one array)
// Whatever the source, x has the zoo's layout: shape (features, examples) (see Dataset in idx.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/idx.hpp"
#include "io/patches.hpp"

namespace ae {

struct DataOptions {
    Split split = Split::train;    // for IDX sources
    std::size_t limit = no_limit;  // keep the first examples only
    PatchOptions patches;          // for patches: sources
};

template <class T>
Dataset<T> load_data(const std::string& spec, const DataOptions& options = {});

}  // namespace ae
