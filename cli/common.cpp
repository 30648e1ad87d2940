// cli/common.cpp: model flags, data flags and the pictures every subcommand writes alike.
#include "cli/common.hpp"

#include <cmath>
#include <set>

#include "io/file.hpp"
#include "io/image.hpp"
#include "io/whitening.hpp"

namespace ae::cli {

void ModelFlags::add_to(CLI::App& app) {
    std::string kinds;
    for (const auto& [k, d] : model_kinds()) kinds += "\n  " + k + ": " + d;
    app.add_option("--model", kind, "the model:" + kinds)->capture_default_str();
    app.add_option("--hidden", hidden, "hidden units (stacked: one size per layer, e.g. 200,200)")->capture_default_str();
    app.add_option("--seed", seed, "initialisation seed")->capture_default_str();
    std::set<std::string> all;
    for (const auto& [k, d] : model_kinds())
        for (const std::string& o : option_names(k)) all.insert(o);
    for (const std::string& o : all) {
        std::string users;
        for (const auto& [k, d] : model_kinds()) {
            const auto names = option_names(k);
            if (std::find(names.begin(), names.end(), o) != names.end()) users += (users.empty() ? "" : ", ") + k;
        }
        if (o == "center") users = "every model (true|false: subtract the training data's mean from the input)";
        app.add_option_function<std::string>("--" + o, [this, o](const std::string& v) { values[o] = v; },
                                              "model option of " + users);
    }
}

ModelSpec ModelFlags::spec(std::size_t visible) const {
    ModelSpec s;
    s.kind = kind;
    s.sizes = {visible};
    std::size_t start = 0;
    while (start <= hidden.size()) {
        const std::size_t comma = std::min(hidden.find(',', start), hidden.size());
        const std::string part = hidden.substr(start, comma - start);
        std::size_t used = 0;
        unsigned long n = 0;
        try {
            n = std::stoul(part, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != part.size() || n == 0)
            throw std::invalid_argument("--hidden: '" + hidden + "' is not a list of positive sizes");
        s.sizes.push_back(n);
        start = comma + 1;
    }
    s.options = values;
    s.seed = seed;
    return s;
}

void DataFlags::add_to(CLI::App& app, bool required) {
    auto* o = app.add_option("--data", spec,
                             "fashion-mnist | mnist:DIR | patches:DIR_OR_FILE | FILE.npy (one example per row) | FILE.npz:NAME");
    if (required) o->required();
    else o->capture_default_str();
    app.add_option("--split", split, "train | test (IDX data)")->check(CLI::IsMember({"train", "test"}))->capture_default_str();
    app.add_option("--limit", limit, "use the first N examples only (0: all)")->capture_default_str();
    app.add_option("--patch-side", patch_side, "patches: side in pixels")->capture_default_str();
    app.add_option("--patch-count", patch_count, "patches: how many")->capture_default_str();
    app.add_option("--whitening", whitening, "patches: none | pca | zca")->check(CLI::IsMember({"none", "pca", "zca"}))->capture_default_str();
}

template <class T>
Dataset<T> DataFlags::load() const {
    DataOptions o;
    o.split = split == "test" ? Split::test : Split::train;
    if (limit > 0) o.limit = limit;
    o.patches.side = patch_side;
    o.patches.count = patch_count;
    o.patches.whitening = whitening == "pca" ? Whitening::pca : whitening == "zca" ? Whitening::zca : Whitening::none;
    return load_data<T>(spec, o);
}
template Dataset<float> DataFlags::load() const;
template Dataset<double> DataFlags::load() const;

std::string join(const std::string& dir, const std::string& file) {
    return dir.empty() || dir.back() == '/' ? dir + file : dir + "/" + file;
}

GridOptions tiles(const Dataset<double>& data, std::size_t values) {
    GridOptions g;
    if (data.rows * data.cols == values) {
        g.tile_height = data.rows;
        g.tile_width = data.cols;
    }
    return g;
}

Array<double> first_columns(const Array<double>& x, std::size_t n) {
    n = std::min(n, x.shape(1));
    Array<double> out = Array<double>::from_shape({x.shape(0), n});
    for (std::size_t i = 0; i < x.shape(0); ++i)
        for (std::size_t j = 0; j < n; ++j) out(i, j) = x(i, j);
    return out;
}

std::vector<std::string> write_pictures(const Model<double>& model, const Dataset<double>& data,
                                        const std::string& dir, std::size_t examples) {
    const Array<double>& W1 = model.first_weights();
    const std::string filters = join(dir, "filters.png");
    write_png(filters, filter_grid(W1, tiles(data, W1.shape(1))));
    std::vector<std::string> written = {filters};
    if (data.x.shape(1) == 0) return written;
    // PCA with the code's size, fitted on (at most) the first 10,000 examples.
    const Array<double> x = first_columns(data.x, examples);
    const Pca<double> pca = fit_pca(first_columns(data.x, 10000));
    const std::size_t code = std::min(model.spec().sizes.back(), pca.variances.size());
    GridOptions g = tiles(data, data.x.shape(0));
    g.cols = x.shape(1);
    g.scale = 2;  // ten 28x28 tiles: 600 pixels wide
    const std::string recon = join(dir, "reconstructions.png");
    write_png(recon, comparison_grid(std::vector<Array<double>>{x, model.reconstruct(x), pca_reconstruct(pca, x, code)}, g));
    written.push_back(recon);
    return written;
}

}  // namespace ae::cli
