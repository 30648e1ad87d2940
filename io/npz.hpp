// io/npz.hpp: NumPy's .npz archives (a zip of .npy files), e.g. a model's parameters by name.
//
// Reads what numpy.savez (stored entries) and numpy.savez_compressed (deflated) write, checking
// every size and CRC-32. Writes stored entries by default, deflated on request, with a fixed
// timestamp so the same arrays give the same bytes. ZIP64 archives (over 4 GiB or 65535 entries) are
// rejected with a clear error; the ZIP64 extra field NumPy puts in local headers is fine. Matrices
// follow the "stored as they are" rule of io/npy.hpp: W1 of shape (hidden, inputs) is (hidden,
// inputs) in NumPy, a bias (n, 1) stays (n, 1); 1-D entries load as columns.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/npy.hpp"

namespace ae {

// Entries in archive order; names without the ".npy" suffix, as numpy.load shows them.
using NpzEntries = std::vector<std::pair<std::string, NpyArray>>;

NpzEntries parse_npz(std::string_view bytes, const std::string& source);
std::string serialize_npz(const NpzEntries& entries, bool compress = false);

NpzEntries read_npz(const std::string& path);
void write_npz(const std::string& path, const NpzEntries& entries, bool compress = false);  // atomic

// The entry called `name`, or IoError naming `source` and listing the names present.
const NpyArray& npz_entry(const NpzEntries& entries, const std::string& name, const std::string& source);

template <class T>
using NamedArrays = std::vector<std::pair<std::string, Array<T>>>;

template <class T>
NamedArrays<T> load_npz(const std::string& path);
template <class T>
void save_npz(const std::string& path, const NamedArrays<T>& arrays, bool compress = false);

// One matrix of a loaded archive, by name (the error lists the names present).
template <class T>
const Array<T>& find_array(const NamedArrays<T>& arrays, const std::string& name, const std::string& source);

}  // namespace ae
