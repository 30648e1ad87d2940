// cli/finetune.cpp: aezoo finetune: a saved model's encoder becomes a classifier (the documents'
// stacked workflow): a softmax head trained on the frozen code, then encoder and head fine-tuned
// together on the labels; the accuracies before and after, on the training data and on the test
// split (IDX data), and the classifier saved as a model file.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "cli/common.hpp"
#include "optim/interrupt.hpp"
#include "optim/recipes.hpp"
#include "util/check.hpp"
#include "util/text.hpp"

namespace ae::cli {
namespace {

struct FineTuneArgs {
    std::string model_file, out, optimizer = "lbfgs", progress = "auto";
    DataFlags data;
    std::size_t classes = 10, head_iterations = 400, iterations = 400, epochs = 0, batch_size = 0;
    double head_lambda = 1e-4;
    std::optional<double> learning_rate;
    std::uint64_t seed = 1;
    bool force = false, from_scratch = false;
};

double accuracy(const Model<double>& model, const Dataset<double>& d) {
    return classification_accuracy(model.predict(d.x), std::vector<std::size_t>(d.labels.begin(), d.labels.end()));
}

}  // namespace

void add_finetune(CLI::App& app) {
    auto a = std::make_shared<FineTuneArgs>();
    CLI::App* f = app.add_subcommand("finetune", "a saved model's encoder as a classifier: softmax head, then fine-tuning");
    f->add_option("model", a->model_file, "model file (.npz) written by aezoo train")->required();
    a->data.add_to(*f, true);
    f->add_option("--out", a->out, "folder for model.npz (the classifier) and the phases' logs")->required();
    f->add_option("--classes", a->classes, "classes of the softmax head (a model with a head keeps its own)")->capture_default_str();
    f->add_option("--head-lambda", a->head_lambda, "the head's weight decay")->capture_default_str();
    f->add_option("--optimizer", a->optimizer, "fine-tuning: gd | momentum | nesterov | adam | lbfgs")
        ->check(CLI::IsMember({"gd", "momentum", "nesterov", "adam", "lbfgs"}))->capture_default_str();
    f->add_option_function<double>("--learning-rate", [a](double v) { a->learning_rate = v; }, "first-order optimizers");
    f->add_option("--head-iterations", a->head_iterations, "L-BFGS iterations of the head on the frozen code (full batch)")
        ->capture_default_str();
    f->add_option("--iterations", a->iterations, "fine-tuning steps")->capture_default_str();
    f->add_option("--epochs", a->epochs, "fine-tuning epochs instead of --iterations (0: use --iterations)");
    f->add_option("--batch-size", a->batch_size, "minibatch size (0: full batch)")->capture_default_str();
    f->add_option("--seed", a->seed, "seed of the head's initialisation and the batch order")->capture_default_str();
    f->add_option("--progress", a->progress, "auto | bar | lines | quiet")->capture_default_str();
    f->add_flag("--force", a->force, "replace an earlier model.npz in --out");
    f->add_flag("--from-scratch", a->from_scratch,
                "start from the model's initial parameters (its seed), not its trained ones: the same classifier "
                "without the pretraining, to compare with");
    f->callback([a] {
        const std::string out_file = join(a->out, "model.npz");
        if (!a->force && std::filesystem::exists(out_file))
            throw std::invalid_argument("--out " + a->out + " already holds " + out_file + ": --force replaces it");
        Model<double> model = Model<double>::load(a->model_file);
        if (a->from_scratch) {
            check(!model.head(), "--from-scratch", a->model_file + " already has a softmax head: give the autoencoder's model file");
            Model<double> fresh(model.spec());
            if (model.centers()) fresh.set_input_mean(model.input_mean());  // the data's mean, not a parameter
            model = std::move(fresh);
        }
        const Dataset<double> data = a->data.load<double>();
        if (data.labels.size() != data.x.shape(1))
            throw std::invalid_argument("finetune: the data set " + data.description + " has no labels");
        if (data.x.shape(0) != model.network().visible())
            throw std::invalid_argument("--data: " + data.description + " has " + std::to_string(data.x.shape(0)) +
                                        " features per example, the model takes " + std::to_string(model.network().visible()));
        if (!model.head())
            model.set_head(SoftmaxRegression<double>(model.network().code_size(), a->classes, a->head_lambda, a->seed));
        std::optional<Dataset<double>> test;
        if (a->data.split == "train" && (a->data.spec == "fashion-mnist" || starts_with(a->data.spec, "mnist:"))) {
            DataFlags t = a->data;
            t.split = "test";
            t.limit = 0;
            test = t.load<double>();
        }
        TrainOptions o;
        o.optimizer = a->optimizer;
        o.learning_rate = a->learning_rate;
        o.batch_size = a->batch_size;
        o.seed = a->seed;
        o.progress = parse_progress_mode(a->progress);
        o.stop_requested = stop_on_interrupt();
        o.checkpoints = false;
        // The head on a frozen code is convex: L-BFGS on the full batch, as the documents train it.
        TrainOptions head = o, fine = o;
        head.optimizer = "lbfgs";
        head.learning_rate.reset();
        head.batch_size = 0;
        head.iterations = a->head_iterations;
        fine.iterations = a->iterations;
        fine.epochs = a->epochs;
        validate(head);
        validate(fine);
        const Array<double> x = model.centered(data.x);
        const std::vector<std::size_t> labels(data.labels.begin(), data.labels.end());
        std::filesystem::create_directories(a->out);
        const TrainResult h = train_head(model, x, labels, head, a->out);
        std::printf("head: %s after %zu steps, loss %.6g; accuracy train %.4f%s\n", to_string(h.status).c_str(), h.step,
                    h.loss, accuracy(model, data), test ? (", test " + number_text(accuracy(model, *test))).c_str() : "");
        const TrainResult r = fine_tune(model, x, labels, fine, a->out);
        std::printf("fine-tuning: %s after %zu steps, loss %.6g; accuracy train %.4f%s\n", to_string(r.status).c_str(),
                    r.step, r.loss, accuracy(model, data),
                    test ? (", test " + number_text(accuracy(model, *test))).c_str() : "");
        model.save(out_file);
        std::printf("wrote %s\n", out_file.c_str());
        if (h.status == TrainStatus::not_finite || r.status == TrainStatus::not_finite) throw CLI::RuntimeError(1);
    });
}

}  // namespace ae::cli
