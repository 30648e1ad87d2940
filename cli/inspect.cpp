// cli/inspect.cpp: aezoo encode | reconstruct | show, on a saved model file.
#include <cstdio>
#include <memory>

#include "cli/common.hpp"
#include "io/image.hpp"
#include "io/npy.hpp"

namespace ae::cli {
namespace {

struct Inspect {
    std::string model_file, out, png;
    DataFlags data;
};

Dataset<double> checked_data(const Inspect& a, const Model<double>& model) {
    Dataset<double> d = a.data.load<double>();
    if (d.x.shape(0) != model.spec().sizes.front())
        throw std::invalid_argument("--data: " + d.description + " has " + std::to_string(d.x.shape(0)) +
                                    " features per example, the model " + model.describe() + " takes " +
                                    std::to_string(model.spec().sizes.front()));
    return d;
}

}  // namespace

void add_inspect(CLI::App& app) {
    auto encode = std::make_shared<Inspect>();
    CLI::App* e = app.add_subcommand("encode", "features of data under a trained model, as .npy (one example per row)");
    e->add_option("model", encode->model_file, "model file (.npz) written by aezoo train")->required();
    encode->data.add_to(*e, true);
    e->add_option("--out", encode->out, "output .npy: (examples, hidden)")->required();
    e->callback([encode] {
        const Model<double> model = Model<double>::load(encode->model_file);
        const Dataset<double> d = checked_data(*encode, model);
        save_examples_npy(encode->out, model.encode(d.x));
        std::printf("%s: codes of %zu examples under %s\n", encode->out.c_str(), d.x.shape(1), model.describe().c_str());
    });

    auto recon = std::make_shared<Inspect>();
    CLI::App* r = app.add_subcommand("reconstruct", "reconstructions of data under a trained model, as .npy");
    r->add_option("model", recon->model_file, "model file (.npz)")->required();
    recon->data.add_to(*r, true);
    r->add_option("--out", recon->out, "output .npy: (examples, visible)")->required();
    r->add_option("--png", recon->png, "also a picture of the first 10 inputs above their reconstructions");
    r->callback([recon] {
        const Model<double> model = Model<double>::load(recon->model_file);
        const Dataset<double> d = checked_data(*recon, model);
        const Array<double> x_hat = model.reconstruct(d.x);
        save_examples_npy(recon->out, x_hat);
        std::printf("%s: reconstructions of %zu examples\n", recon->out.c_str(), d.x.shape(1));
        if (!recon->png.empty()) {
            const Array<double> a = first_columns(d.x, 10), b = first_columns(x_hat, 10);
            GridOptions g;
            g.cols = a.shape(1);
            if (d.rows * d.cols == d.x.shape(0)) g.tile_height = d.rows, g.tile_width = d.cols;
            write_png(recon->png, comparison_grid(std::vector<Array<double>>{a, b}, g));
            std::printf("%s\n", recon->png.c_str());
        }
    });

    auto show = std::make_shared<Inspect>();
    CLI::App* s = app.add_subcommand("show", "pictures of a saved model: its filters, and reconstructions of some data");
    s->add_option("model", show->model_file, "model file (.npz)")->required();
    show->data.add_to(*s, false);
    s->add_option("--out", show->out, "folder for filters.png and reconstructions.png")->required();
    s->callback([show] {
        const Model<double> model = Model<double>::load(show->model_file);
        show->data.limit = show->data.limit ? show->data.limit : 10000;
        for (const std::string& f : write_pictures(model, checked_data(*show, model), show->out))
            std::printf("%s\n", f.c_str());
    });
}

}  // namespace ae::cli
