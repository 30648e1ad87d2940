// cli/train.cpp: aezoo train: a model of the zoo on real data, with every hyper-parameter a flag;
// writes the model, the log, checkpoints and the pictures of what it learned into --out.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "cli/common.hpp"
#include "io/chart.hpp"
#include "optim/interrupt.hpp"
#include "optim/recipes.hpp"
#include "optim/trainer.hpp"
#include "util/text.hpp"

namespace ae::cli {
namespace {

struct TrainArgs {
    ModelFlags model;
    DataFlags data;
    TrainOptions options;
    std::string optimizer = "lbfgs", progress = "auto", out;
    std::optional<double> learning_rate, momentum;  // not given: the optimizer's default
    std::size_t head_iterations = 400, fine_tune_iterations = 400, pretrain_epochs = 0;
    bool float32 = false, resume = false, force = false, no_checkpoint = false;
};

void add_options(CLI::App& t, TrainArgs& a) {
    a.model.add_to(t);
    a.data.add_to(t, false);
    t.add_option("--optimizer", a.optimizer, "gd | momentum | nesterov | adam | lbfgs (full batch)")
        ->check(CLI::IsMember({"gd", "momentum", "nesterov", "adam", "lbfgs"}))->capture_default_str();
    t.add_option_function<double>("--learning-rate", [&a](double v) { a.learning_rate = v; },
                                  "gd, momentum, nesterov (default 0.1), adam (1e-3); > 0");
    t.add_option_function<double>("--momentum", [&a](double v) { a.momentum = v; }, "momentum, nesterov (default 0.9); in [0, 1)");
    t.add_option("--iterations", a.options.iterations, "optimizer steps (L-BFGS iterations)")->capture_default_str();
    t.add_option("--epochs", a.options.epochs, "passes over the data instead of --iterations (0: use --iterations)");
    t.add_option("--batch-size", a.options.batch_size, "minibatch size (0: full batch)")->capture_default_str();
    t.add_option("--lbfgs-memory", a.options.lbfgs_memory, "L-BFGS correction pairs")->capture_default_str();
    t.add_option("--head-iterations", a.head_iterations, "stacked: softmax head steps")->capture_default_str();
    t.add_option("--fine-tune-iterations", a.fine_tune_iterations, "stacked: fine-tuning steps")->capture_default_str();
    t.add_option("--pretrain-epochs", a.pretrain_epochs,
                 "first train each dense layer as an autoencoder of the model's kind on the codes below, for this many "
                 "epochs (greedy layer-wise pretraining; 0: none)")->capture_default_str();
    t.add_option("--checkpoint-every", a.options.checkpoint_every, "steps between checkpoints (0: only at the end)");
    t.add_flag("--no-checkpoint", a.no_checkpoint, "write no checkpoint.npz (an L-BFGS one holds its correction pairs: 500 MB at 784-196)");
    t.add_flag("--resume", a.resume, "continue from the checkpoint in --out (exactly as if never stopped)");
    t.add_flag("--force", a.force, "replace an earlier run in --out");
    t.add_flag("--float32", a.float32, "train in single precision (about twice as fast)");
    t.add_option("--progress", a.progress, "auto | bar | lines | quiet")->capture_default_str();
    t.add_option("--out", a.out, "output folder (default out/<model>)");
}

TrainOptions options_of(const TrainArgs& a) {
    TrainOptions o = a.options;
    o.optimizer = a.optimizer;
    o.learning_rate = a.learning_rate;  // not given: the optimizer's default; given: checked by validate
    o.momentum = a.momentum;
    o.seed = a.model.seed;
    o.out_dir = a.out;
    o.progress = parse_progress_mode(a.progress);
    o.stop_requested = stop_on_interrupt();  // Ctrl-C: stop after this step, with a checkpoint
    o.communicator = &world();               // the processes of mpirun -np N, or this one
    o.checkpoints = !a.no_checkpoint;
    if (a.resume) o.resume = join(a.out, checkpoint_file_name);
    validate(o);
    return o;
}

void print_result(const TrainResult& r, const char* label) {
    std::printf("%s%s after %zu steps (%.1f s): loss %.6g", label, to_string(r.status).c_str(), r.step, r.seconds, r.loss);
    for (const auto& [name, value] : r.terms) std::printf(", %s %.6g", name.c_str(), value);
    std::printf("\n");
    if (!r.message.empty()) std::printf("  %s\n", r.message.c_str());
}

// The loss and each term against the step, from the log.
std::string write_curve(const TrainResult& r, const std::string& dir, const std::string& title) {
    if (r.log.empty()) return "";
    std::vector<std::string> columns = {"total"};
    for (const auto& [name, value] : r.terms) columns.push_back(name);
    LineChart chart = chart_from_csv(r.log, columns);
    chart.title = title;
    chart.log_y = true;
    const std::string path = join(dir, "training.svg");
    write_svg(path, chart);
    return path;
}

template <class T>
int run(TrainArgs& a, const Dataset<T>& data) {
    std::optional<Model<T>> built;  // on several processes, a bad option is said once, by the first
    world().agree([&] { built.emplace(a.model.spec(data.x.shape(0))); });
    Model<T>& model = *built;
    std::printf("%s on %s, %s%s\n", model.describe().c_str(), data.description.c_str(),
                a.float32 ? "float32" : "float64", world().size() > 1 ? (", " + world().describe()).c_str() : "");
    // The networks train on centred data when the model centres (the mean is saved with it; on
    // --resume it is fitted again to the same data, so it is the same).
    Array<T> centred;
    if (model.centers()) {
        model.fit_center(data.x);
        centred = model.centered(data.x);
    }
    const Array<T>& x = model.centers() ? centred : data.x;
    TrainOptions o = options_of(a);
    // A resume must continue this very run: the model, its options and the step sizes (it may be
    // given more steps; a k-start schedule then follows the new length).
    o.run = model.describe() + (model.centers() ? ", centred" : "") + "; " + (a.float32 ? "float32" : "float64") +
            "; learning rate " + (o.learning_rate ? number_text(*o.learning_rate) : "default") + ", momentum " +
            (o.momentum ? number_text(*o.momentum) : "default") + "; pretraining epochs " +
            std::to_string(a.pretrain_epochs);
    const bool first = world().rank() == 0;  // the first process alone writes files
    const bool made_out = first && std::filesystem::create_directories(a.out);
    if (a.force && first) {  // a replaced run leaves no checkpoint of its own that a later --resume could pick up
        std::filesystem::remove(join(a.out, checkpoint_file_name));
        for (const auto& e : std::filesystem::directory_iterator(a.out)) {
            const std::string n = e.path().filename().string();
            if (e.is_directory() && (starts_with(n, "layer") || n == "head" || n == "fine_tune"))
                std::filesystem::remove(e.path() / checkpoint_file_name);
        }
    }
    std::vector<std::string> written;
    TrainStatus status = TrainStatus::finished;
    if (model.head()) {
        if (data.labels.size() != data.x.shape(1))
            throw std::invalid_argument(model.spec().kind + ": the data set " + data.description + " has no labels");
        StackedTrainOptions so;
        so.pretrain = {o};
        so.head = o;
        so.head.iterations = a.head_iterations;
        so.fine_tune = o;
        so.fine_tune.iterations = a.fine_tune_iterations;
        so.out_dir = a.out;
        so.resume = a.resume;
        const std::vector<std::size_t> labels(data.labels.begin(), data.labels.end());
        const StackedTrainResult r = train_stacked(model, x, labels, so);
        for (std::size_t i = 0; i < r.pretrain.size(); ++i) {
            const std::string name = "layer " + std::to_string(i + 1) + ": ";
            print_result(r.pretrain[i], name.c_str());
            written.push_back(write_curve(r.pretrain[i], join(a.out, "layer" + std::to_string(i + 1)), name));
        }
        print_result(r.head, "head: ");
        print_result(r.fine_tune, "fine-tuning: ");
        written.push_back(write_curve(r.fine_tune, join(a.out, "fine_tune"), "fine-tuning"));
        std::printf("training accuracy: %.4f after the head, %.4f after fine-tuning\n", r.head_accuracy, r.accuracy);
        status = r.status;
    } else {
        Autoencoder<T>& net = model.network();
        const double lo = double(xt::amin(x)()), hi = double(xt::amax(x)());
        const auto* out = dynamic_cast<const Activate<T>*>(&net.decoder()[net.decoder().size() - 1]);
        if (out && out->function() == Activation::sigmoid && (lo < 0 || hi > 1))
            std::printf("warning: the data span [%.3g, %.3g] but a sigmoid decoder reconstructs only (0, 1): "
                        "consider --decoder linear (UFLDL's linear decoder for whitened data)\n", lo, hi);
        if (a.pretrain_epochs > 0) {
            TrainOptions p = o;
            p.epochs = a.pretrain_epochs;
            const std::vector<TrainResult> layers = pretrain_layerwise(model, x, {p}, a.out, a.resume);
            for (std::size_t i = 0; i < layers.size(); ++i) {
                const TrainResult& r = layers[i];
                print_result(r, ("pretraining layer " + std::to_string(i + 1) + ": ").c_str());
                if (r.status == TrainStatus::not_finite || r.status == TrainStatus::interrupted) return 1;
            }
        }
        const TrainResult r = train(net, x, o);
        print_result(r, "");
        if (r.step == 0) {  // not one finite step: no model to keep, and a folder this run made goes again
            std::printf("nothing written: no step had a finite loss\n");
            if (!first) return 1;
            std::error_code not_empty;
            if (made_out) std::filesystem::remove(a.out, not_empty);  // only if nothing else is in it
            return 1;
        }
        written.push_back(r.log);
        written.push_back(r.checkpoint);
        written.push_back(write_curve(r, a.out, model.describe()));
        status = r.status;
        if (first) std::printf("mean code activation %.4f\n", double(xt::mean(model.encode(data.x))()));
    }
    if (!first) return status == TrainStatus::not_finite || status == TrainStatus::interrupted ? 1 : 0;
    const std::string model_file = join(a.out, "model.npz");
    model.save(model_file);
    written.insert(written.begin(), model_file);
    // The pictures, from the saved model in double precision, on the first 10,000 examples.
    const Model<double> saved = Model<double>::load(model_file);
    const Dataset<double> head{first_columns<double>(data.x, 10000), {}, data.rows, data.cols, data.description};
    for (const std::string& f : write_pictures(saved, head, a.out)) written.push_back(f);
    if (a.model.kind == "sparse-kl") {
        const std::string kl = join(a.out, "kl_penalty.svg");
        write_svg(kl, kl_penalty_chart(0.2));
        written.push_back(kl);
    }
    std::printf("wrote:\n");
    for (const std::string& f : written)
        if (!f.empty()) std::printf("  %s\n", f.c_str());
    return status == TrainStatus::not_finite || status == TrainStatus::interrupted ? 1 : 0;
}

// Each process reads the data itself: one that cannot stops all, and the first says why.
template <class T>
int load_and_run(TrainArgs& a) {
    Dataset<T> data;
    world().agree([&] { data = a.data.load<T>(); });
    return run(a, data);
}

}  // namespace

void add_train(CLI::App& app) {
    auto args = std::make_shared<TrainArgs>();
    CLI::App* t = app.add_subcommand("train", "train a model of the zoo; writes the model, log.csv, checkpoints and pictures "
                                              "(under mpirun -np N: on N processes, the one-process result)");
    add_options(*t, *args);
    t->callback([args] {
        TrainArgs& a = *args;
        if (a.out.empty()) a.out = "out/" + a.model.kind;
        // Nothing a user had is lost: an earlier run in --out is continued or replaced on request only.
        if (!a.resume && !a.force)
            for (const char* f : {"model.npz", log_file_name, checkpoint_file_name, "layer1"})
                if (std::filesystem::exists(join(a.out, f)))
                    throw std::invalid_argument("--out " + a.out + " already holds a run (" + f +
                                                "): --resume continues it, --force replaces it");
        // The first process prints and writes; the others train silently.
        if (world().rank() != 0 && !std::freopen("/dev/null", "w", stdout))
            throw std::runtime_error("cannot silence the output of process " + std::to_string(world().rank()));
        const int code = a.float32 ? load_and_run<float>(a) : load_and_run<double>(a);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace ae::cli
