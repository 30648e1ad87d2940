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
    for (const ModelKind& k : model_kinds()) kinds += "\n  " + k.name + ": " + k.summary + " (" + k.paper + ")";
    flags.push_back(app.add_option("--model", kind, "the model:" + kinds)->capture_default_str());
    flags.push_back(app.add_option("--hidden", hidden, "the encoder's sizes after the input, e.g. 196 or 1000,500,250,30")
                        ->capture_default_str());
    flags.push_back(app.add_option("--seed", seed, "initialisation seed")->capture_default_str());
    // One flag per option name; its help says what each kind that takes it allows.
    std::map<std::string, std::vector<std::string>> help;
    for (const ModelKind& k : model_kinds())
        for (const OptionSpec& o : k.options) help[o.name].push_back(k.name + ": " + o.describe());
    for (const auto& [name, lines] : help) {
        std::string text = "model option";
        for (const std::string& l : lines) text += "\n  " + l;
        flags.push_back(app.add_option_function<std::string>("--" + name, [this, name = name](const std::string& v) { values[name] = v; },
                                                             text));
    }
}

ModelSpec ModelFlags::spec(std::size_t visible) const {
    ModelSpec s;
    s.kind = kind;
    s.sizes = {visible};
    for (std::size_t n : parse_sizes(hidden, "--hidden")) s.sizes.push_back(n);
    s.options = values;
    s.seed = seed;
    return s;
}

std::vector<std::string> ModelFlags::given() const {
    std::vector<std::string> names;
    for (const CLI::Option* o : flags)
        if (o->count() > 0) names.push_back(o->get_name());
    return names;
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

namespace {

// A conv's kernels are drawn k wide with their channels stacked; a dense layer's rows as the data's images.
GridOptions filter_tiles(const Model<double>& model, const Dataset<double>& data) {
    if (const auto* c = dynamic_cast<const Conv<double>*>(&model.network().encoder()[0])) {
        GridOptions g;
        g.tile_height = c->window().channels * c->window().kernel;
        g.tile_width = c->window().kernel;
        return g;
    }
    return tiles(data, model.network().first_weights().shape(1));
}

}  // namespace

std::vector<std::string> write_pictures(const Model<double>& model, const Dataset<double>& data,
                                        const std::string& dir, std::size_t examples) {
    const std::string filters = join(dir, "filters.png");
    write_png(filters, filter_grid(model.network().first_weights(), filter_tiles(model, data)));
    std::vector<std::string> written = {filters};
    if (data.x.shape(1) == 0) return written;
    // PCA with the code's size, fitted on (at most) the first 10,000 examples.
    const Array<double> x = first_columns<double>(data.x, examples);
    const Pca<double> pca = fit_pca(first_columns<double>(data.x, 10000));
    const std::size_t code = std::min(model.network().code_size(), pca.variances.size());
    GridOptions g = tiles(data, data.x.shape(0));
    g.cols = x.shape(1);
    g.scale = 2;  // ten 28x28 tiles: 600 pixels wide
    const std::string recon = join(dir, "reconstructions.png");
    write_png(recon, comparison_grid(std::vector<Array<double>>{x, model.reconstruct(x), pca_reconstruct(pca, x, code)}, g));
    written.push_back(recon);
    return written;
}

}  // namespace ae::cli
