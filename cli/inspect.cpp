// cli/inspect.cpp: aezoo encode | reconstruct | show, on a saved model file.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include <xtensor-blas/xlinalg.hpp>

#include "cli/common.hpp"
#include "io/file.hpp"
#include "io/image.hpp"
#include "io/npy.hpp"
#include "models/metrics.hpp"

namespace ae::cli {
namespace {

struct Inspect {
    std::string model_file, out, png;
    std::optional<std::size_t> layer;
    DataFlags data;
    CLI::App* command = nullptr;
};

// A subcommand on a saved model: the model file, the data and --out.
std::shared_ptr<Inspect> subcommand(CLI::App& app, const char* name, const char* what, const char* out,
                                    bool data_required) {
    auto a = std::make_shared<Inspect>();
    a->command = app.add_subcommand(name, what);
    a->command->add_option("model", a->model_file, "model file (.npz) written by aezoo train")->required();
    a->data.add_to(*a->command, data_required);
    a->command->add_option("--out", a->out, out)->required();
    return a;
}

// Dense layer n's units (1-based) in input space: the rows of W_n ... W_2 W_1.
Array<double> filters_down_to_input(const Model<double>& model, std::size_t n) {
    const Sequence<double>& e = model.network().encoder();
    Array<double> product;
    std::size_t seen = 0;
    for (std::size_t i = 0; i < e.size() && seen < n; ++i)
        if (const auto* d = dynamic_cast<const Dense<double>*>(&e[i])) {
            product = seen == 0 ? d->W : Array<double>(xt::linalg::dot(d->W, product));
            ++seen;
        }
    if (seen < n || n == 0)
        throw std::invalid_argument("--layer " + std::to_string(n) + ": the encoder has " + std::to_string(seen) +
                                    " dense layers (1-based)");
    return product;
}

constexpr std::size_t max_jacobian_rows = 256;

Dataset<double> checked_data(const Inspect& a, const Model<double>& model) {
    Dataset<double> d = a.data.load<double>();
    if (d.x.shape(0) != model.network().visible())
        throw std::invalid_argument("--data: " + d.description + " has " + std::to_string(d.x.shape(0)) +
                                    " features per example, the model " + model.describe() + " takes " +
                                    std::to_string(model.network().visible()));
    return d;
}

}  // namespace

void add_inspect(CLI::App& app) {
    auto encode = subcommand(app, "encode", "features of data under a trained model, as .npy (one example per row)",
                             "output .npy: (examples, hidden)", true);
    encode->command->add_option_function<std::size_t>("--layer", [encode](std::size_t l) { encode->layer = l; },
                                                      "the output of this encoder layer (0-based; default: the code)");
    encode->command->callback([encode] {
        const Model<double> model = Model<double>::load(encode->model_file);
        const Dataset<double> d = checked_data(*encode, model);
        save_examples_npy(encode->out, encode->layer ? model.encode(d.x, *encode->layer) : model.encode(d.x));
        std::printf("%s: codes of %zu examples under %s\n", encode->out.c_str(), d.x.shape(1), model.describe().c_str());
    });

    auto eval = subcommand(app, "evaluate", "a trained model's figures on data: reconstruction error, Jacobian, dead units, accuracy",
                           "where to write the figures (a Markdown table, written atomically)", true);
    eval->command->callback([eval] {
        const Model<double> model = Model<double>::load(eval->model_file);
        const Dataset<double> d = checked_data(*eval, model);
        const Autoencoder<double>& net = model.network();
        const Array<double> xc = model.centered(d.x);
        std::vector<std::pair<std::string, std::string>> rows = {
            {"model", model.describe()}, {"data", d.description},
            {"squared error per example, (1/m) sum ||x_hat - x||^2", number_text(squared_error_per_example(model.reconstruct(d.x), d.x), 6)}};
        // Beyond one dense layer the Jacobian takes a backward pass per code unit: hours for a conv code.
        if (net.single_dense_encoder() || net.code_size() <= max_jacobian_rows) {
            const JacobianStats j = jacobian_stats(net, xc);
            rows.push_back({"mean ||dh/dx||_F", number_text(j.mean_frobenius, 6)});
            rows.push_back({"mean squared Jacobian entry", number_text(j.mean_square, 6)});
        } else {
            rows.push_back({"mean ||dh/dx||_F", "not computed: a code of " + std::to_string(net.code_size()) +
                                                    " units takes as many backward passes (evaluate computes it for up to " +
                                                    std::to_string(max_jacobian_rows) + ")"});
        }
        if (net.target_k() > 0)
            rows.push_back({"dead code units (in the top k of no example)",
                            std::to_string(dead_units(net, xc)) + " of " + std::to_string(net.code_size())});
        if (model.head() && d.labels.size() == d.x.shape(1))
            rows.push_back({"classification accuracy",
                            number_text(classification_accuracy(model.predict(d.x), std::vector<std::size_t>(d.labels.begin(), d.labels.end())), 6)});
        std::string table = "| quantity | value |\n| --- | --- |\n";
        for (const auto& [k, v] : rows) {
            table += "| " + k + " | " + v + " |\n";
            std::printf("%s: %s\n", k.c_str(), v.c_str());
        }
        write_file_atomic(eval->out, table);
    });

    auto recon = subcommand(app, "reconstruct", "reconstructions of data under a trained model, as .npy",
                            "output .npy: (examples, visible)", true);
    recon->command->add_option("--png", recon->png, "also a picture of the first 10 inputs above their reconstructions");
    recon->command->callback([recon] {
        const Model<double> model = Model<double>::load(recon->model_file);
        const Dataset<double> d = checked_data(*recon, model);
        const Array<double> x_hat = model.reconstruct(d.x);
        save_examples_npy(recon->out, x_hat);
        std::printf("%s: reconstructions of %zu examples\n", recon->out.c_str(), d.x.shape(1));
        if (!recon->png.empty()) {
            const Array<double> a = first_columns<double>(d.x, 10), b = first_columns<double>(x_hat, 10);
            GridOptions g = tiles(d, d.x.shape(0));
            g.cols = a.shape(1);
            g.scale = 2;
            write_png(recon->png, comparison_grid(std::vector<Array<double>>{a, b}, g));
            std::printf("%s\n", recon->png.c_str());
        }
    });

    auto show = subcommand(app, "show", "pictures of a saved model: its filters, and reconstructions of some data",
                           "folder for filters.png and reconstructions.png", false);
    show->command->add_option_function<std::size_t>(
        "--layer", [show](std::size_t l) { show->layer = l; },
        "also draw dense layer N's units (1-based) as the products of the weights down to the input "
        "(layer-N.png, as the stacked exercise draws them)");
    show->command->callback([show] {
        const Model<double> model = Model<double>::load(show->model_file);
        show->data.limit = show->data.limit ? show->data.limit : 10000;
        std::filesystem::create_directories(show->out);
        const Dataset<double> data = checked_data(*show, model);
        for (const std::string& f : write_pictures(model, data, show->out)) std::printf("%s\n", f.c_str());
        if (show->layer) {
            const std::string f = join(show->out, "layer-" + std::to_string(*show->layer) + ".png");
            const Array<double> W = filters_down_to_input(model, *show->layer);
            write_png(f, filter_grid(W, tiles(data, W.shape(1))));
            std::printf("%s\n", f.c_str());
        }
    });
}

}  // namespace ae::cli
