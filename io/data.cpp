// io/data.cpp: the --data forms of io/data.hpp.
#include "io/data.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include <xtensor/xview.hpp>

#include "io/npz.hpp"
#include "util/text.hpp"

namespace ae {
namespace {


std::string shape_text(std::size_t m, std::size_t rows, std::size_t cols, std::size_t d) {
    return std::to_string(m) + " examples of " +
           (rows ? std::to_string(rows) + " x " + std::to_string(cols) : std::to_string(d) + " features");
}

// Examples as rows in NumPy, columns here; a picture shape when the file says or d is square.
template <class T>
Dataset<T> from_npy(const NpyArray& a, const std::string& source, std::size_t limit) {
    Dataset<T> d;
    d.x = npy_to_examples<T>(a, source);
    if (a.dtype == DType::u8) d.x /= T(255);  // bytes are pixels
    if (a.shape.size() == 3) {
        d.rows = a.shape[1], d.cols = a.shape[2];
    } else {
        const auto side = std::size_t(std::llround(std::sqrt(double(d.x.shape(0)))));
        if (side * side == d.x.shape(0)) d.rows = d.cols = side;
    }
    if (limit < d.x.shape(1)) d.x = xt::view(d.x, xt::all(), xt::range(0, limit));
    const T* bad = std::find_if(d.x.data(), d.x.data() + d.x.size(), [](T v) { return !std::isfinite(v); });
    if (bad != d.x.data() + d.x.size()) {  // a model of such data has no finite loss
        const std::size_t at = std::size_t(bad - d.x.data()), examples = d.x.shape(1);
        throw IoError(source, "feature " + std::to_string(at / examples) + " of example " +
                                  std::to_string(at % examples) + " is " + (std::isnan(*bad) ? "nan" : *bad > 0 ? "inf" : "-inf") +
                                  ": data must be finite");
    }
    d.description = source + ": " + shape_text(d.x.shape(1), d.rows, d.cols, d.x.shape(0));
    return d;
}

template <class T>
Dataset<T> from_idx(const std::string& dir, const std::string& name, const DataOptions& o) {
    Dataset<T> d = load_idx_dataset<T>(dir, o.split, o.limit);
    d.description = name + " (" + (o.split == Split::train ? "train" : "test") + "): " +
                    shape_text(d.x.shape(1), d.rows, d.cols, d.x.shape(0));
    return d;
}

}  // namespace

template <class T>
Dataset<T> load_data(const std::string& spec, const DataOptions& o) {
    if (spec == "fashion-mnist") {
        if (!std::filesystem::exists(fashion_mnist_dir))
            throw IoError(fashion_mnist_dir, "not found: Fashion-MNIST comes from Debian's package "
                                             "(apt-get install dataset-fashion-mnist; scripts/run.sh main installs it)");
        return from_idx<T>(fashion_mnist_dir, "Fashion-MNIST", o);
    }
    for (const char* p : {"mnist:", "idx:"})
        if (starts_with(spec, p) && spec.size() > std::string(p).size())
            return from_idx<T>(spec.substr(std::string(p).size()), "MNIST from " + spec.substr(std::string(p).size()), o);
    if (starts_with(spec, "patches:") && spec.size() > 8) {
        PatchOptions po = o.patches;
        if (o.limit < po.count) po.count = o.limit;
        Dataset<T> d;
        d.x = load_patches<T>(spec.substr(8), po);
        d.rows = d.cols = po.side;
        d.description = "patches of " + spec.substr(8) + ": " + shape_text(po.count, po.side, po.side, 0);
        return d;
    }
    if (ends_with(spec, ".npy")) return from_npy<T>(read_npy(spec), spec, o.limit);
    if (ends_with(spec, ".npz")) {  // an archive of one array needs no name
        const NpzEntries e = read_npz(spec);
        if (e.size() != 1) npz_entry(e, "(give the entry as " + spec + ":NAME)", spec);  // throws, listing names
        return from_npy<T>(e[0].second, spec + ":" + e[0].first, o.limit);
    }
    const auto colon = spec.rfind(':');
    if (colon != std::string::npos && ends_with(spec.substr(0, colon), ".npz")) {
        const std::string file = spec.substr(0, colon), name = spec.substr(colon + 1);
        return from_npy<T>(npz_entry(read_npz(file), name, file), spec, o.limit);
    }
    throw std::invalid_argument("unknown data source '" + spec +
                                "': use fashion-mnist, mnist:DIR, idx:DIR, patches:DIR, FILE.npy or FILE.npz:NAME");
}

template Dataset<float> load_data<float>(const std::string&, const DataOptions&);
template Dataset<double> load_data<double>(const std::string&, const DataOptions&);

}  // namespace ae
