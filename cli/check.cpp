// cli/check.cpp: aezoo check (a model's gradient check on a small random problem) and aezoo grad
// (loss, terms and gradients for given parameters and data, to compare with another framework).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>

#include "autodiff/gradcheck.hpp"
#include "cli/common.hpp"
#include "io/npz.hpp"
#include "io/npy.hpp"
#include "terms/losses.hpp"
#include "transforms/top_k.hpp"

#include <xtensor-blas/xlinalg.hpp>

namespace ae::cli {
namespace {

// The loss aezoo check and aezoo grad evaluate: the autoencoder's (outside training: k-sparse at
// its k, not the schedule's first), or with a head the classifier's on labels y (fine-tuning).
struct Objective {
    LossFn<double> loss;
    ParamList<double> params;
};

Objective objective(Model<double>& model, const Array<double>& x, const Array<double>* y, std::uint64_t noise_seed) {
    if (!model.head()) return {model.network().loss_fn(x, noise_seed), model.network().parameters()};
    if (!y) throw std::invalid_argument(model.spec().kind + ": a model with a softmax head is evaluated on its classifier's loss: give --labels");
    return {model.classifier_loss_fn(x, *y), model.classifier_parameters()};
}

// A model file is the model: flags that would describe another are refused by name.
Model<double> load_model_file(const std::string& file, const ModelFlags& flags) {
    if (const auto given = flags.given(); !given.empty())
        throw std::invalid_argument(file + " is a model file: it gives the model, its sizes and options; " +
                                    ae::join(given, ", ") + " would contradict it (leave them out)");
    return Model<double>::load(file);
}

// Labels as whole numbers in [0, classes), one per example.
std::vector<std::size_t> checked_labels(const Array<double>& l, std::size_t classes, std::size_t examples,
                                        const std::string& file) {
    if (l.size() != examples)
        throw std::invalid_argument(file + ": " + std::to_string(l.size()) + " labels for " + std::to_string(examples) + " examples");
    std::vector<std::size_t> labels;
    for (std::size_t i = 0; i < l.size(); ++i) {
        const double v = l.data()[i];
        if (!(v >= 0 && v < double(classes) && v == std::floor(v)))
            throw std::invalid_argument(file + ": label " + std::to_string(i) + " is " + number_text(v) +
                                        ", not a whole number in [0, " + std::to_string(classes) + ")");
        labels.push_back(std::size_t(v));
    }
    return labels;
}

// relu and max pooling are not differentiable everywhere: a difference step across a kink
// measures the slope on both sides.
bool has_kinks(const Autoencoder<double>& net) {
    for (const Sequence<double>* s : {&net.encoder(), &net.decoder()})
        for (std::size_t i = 0; i < s->size(); ++i) {
            const auto* f = dynamic_cast<const Activate<double>*>(&(*s)[i]);
            const auto* p = dynamic_cast<const Pool<double>*>(&(*s)[i]);
            if ((f && f->function() == Activation::relu) || (p && p->kind() == Pooling::max)) return true;
        }
    return false;
}

struct Check {
    ModelFlags model;
    std::string params;  // a model file: check its model
    std::size_t max_entries = 5000;
    std::size_t visible = 8, examples = 5;
    std::uint64_t data_seed = 7;
    bool full = false;
};

struct GradArgs {
    ModelFlags model;
    DataFlags data;
    std::string params, labels, out;
    std::uint64_t noise_seed = 0;
};

}  // namespace

void add_check(CLI::App& app) {
    auto check = std::make_shared<Check>();
    check->model.hidden = "5";
    CLI::App* c = app.add_subcommand("check", "gradient check of a model on a small random problem (double precision)");
    check->model.add_to(*c);
    c->add_option("--params", check->params, "a model file: check the model it describes (at its parameters)");
    c->add_option("--max-entries", check->max_entries,
                  "check every partial derivative up to this many parameters (else 16 random directions only)")
        ->capture_default_str();
    c->add_option("--visible", check->visible, "inputs of the random problem (a model file fixes them)")->capture_default_str();
    c->add_option("--examples", check->examples, "examples of the random problem")->capture_default_str();
    c->add_option("--data-seed", check->data_seed, "seed of the random data (and labels)")->capture_default_str();
    c->callback([check] {
        Model<double> model = check->params.empty() ? Model<double>(check->model.spec(check->visible))
                                                    : load_model_file(check->params, check->model);
        check->visible = model.network().visible();
        std::mt19937_64 rng(check->data_seed);
        std::uniform_real_distribution<double> u(0.05, 0.95);
        Array<double> x = Array<double>::from_shape({check->visible, check->examples});
        // Top-k selection has kinks: draw data until the k-th and (k+1)-th pre-activations are far
        // apart compared with what a difference step (2h = 2e-3 on any parameter) can move them.
        for (int attempt = 0;; ++attempt) {
            for (double& v : x) v = u(rng);
            const Autoencoder<double>& net = model.network();
            if (net.k() == 0 || net.k() >= net.code_size()) break;
            const Array<double> z = net.encode(x, net.encoder().size() - 1);  // before the selection
            if (top_k_gap(z, net.k()) > 0.02) break;
            if (attempt == 1000) throw std::runtime_error("check: found no random point away from top-k ties");
        }
        std::vector<std::size_t> labels(check->examples);
        const std::size_t classes = model.head() ? model.head()->W.shape(0) : 1;
        for (std::size_t& l : labels) l = rng() % classes;
        const Array<double> y = one_hot<double>(labels, classes);
        const Objective o = objective(model, x, &y, /*noise_seed=*/1);  // one fixed noise draw
        std::vector<Array<double>> at;
        for (const Named<double>& p : o.params) at.push_back(*p.array);
        const Function f = as_function(o.loss);
        // Entry by entry costs four evaluations per parameter: for large models, random directions only.
        const std::size_t n = parameter_count(o.params);
        const bool every = n <= check->max_entries;
        // With kinks, a tiny two-point step stays on one side of them but leaves rounding noise.
        const bool kinks = has_kinks(model.network());
        GradCheckOptions stencil;
        if (kinks) stencil.stencil = GradCheckOptions::two_point, stencil.step = 1e-6;
        const double threshold = kinks ? 1e-6 : 1e-9;
        const GradCheck directional = check_gradient_directional(f, at, 16, stencil);
        std::printf("%s on %zu x %zu random data (%zu parameters)\n", model.describe().c_str(), check->visible,
                    check->examples, n);
        bool ok = directional.passed(threshold);
        if (every) {
            const GradCheck first = check_gradient(f, at, stencil);
            std::printf("  every partial derivative:  UFLDL metric %.3g (max abs error %.3g, %zu evaluations)\n",
                        first.metric, first.max_abs_error, first.evaluations);
            ok = ok && first.passed(threshold);
        } else {
            std::printf("  every partial derivative:  not checked (%zu parameters > --max-entries %zu)\n", n,
                        check->max_entries);
        }
        std::printf("  16 random directions:      UFLDL metric %.3g\n", directional.metric);
        std::printf(kinks ? "%s (threshold 1e-6; two-point central differences, h = 1e-6: relu and max pooling have kinks)\n"
                          : "%s (threshold 1e-9; five-point central differences, h = 1e-3)\n",
                    ok ? "passed" : "FAILED");
        if (!ok) throw CLI::RuntimeError(1);
    });

    auto grad = std::make_shared<GradArgs>();
    CLI::App* g = app.add_subcommand("grad", "loss, each term and every parameter's gradient, for given parameters and data");
    grad->model.add_to(*g);
    g->add_option("--params", grad->params,
                  ".npz with the parameters under their names; a model file (with its spec) is the model itself")->required();
    grad->data.add_to(*g, true);
    g->add_option("--labels", grad->labels, ".npy labels 0..classes-1 (a model with a softmax head)");
    g->add_option("--noise-seed", grad->noise_seed, "seed of the corruption / probe noise")->capture_default_str();
    g->add_option("--out", grad->out, "output .npz: loss, term.<name>, and each gradient under its parameter's name")->required();
    g->callback([grad] {
        const Dataset<double> data = grad->data.load<double>();  // the data path of every subcommand
        const Array<double>& x = data.x;
        const NamedArrays<double> given = load_npz<double>(grad->params);
        const bool file = std::any_of(given.begin(), given.end(), [](const auto& p) { return p.first == "aezoo.spec"; });
        std::unique_ptr<Model<double>> loaded;
        if (file) {
            loaded = std::make_unique<Model<double>>(load_model_file(grad->params, grad->model));
        } else {
            loaded = std::make_unique<Model<double>>(grad->model.spec(x.shape(0)));
            for (const Named<double>& p : loaded->parameters()) {
                const Array<double>& a = find_array(given, p.name, grad->params);
                if (a.shape() != p.array->shape())
                    throw std::invalid_argument(grad->params + ": " + p.name + " has shape " + str(shape_of(a)) +
                                                ", the model needs " + str(shape_of(*p.array)));
                *p.array = a;
            }
            if (loaded->centers()) loaded->set_input_mean(find_array(given, "input.mean", grad->params));
        }
        Model<double>& model = *loaded;
        if (x.shape(0) != model.network().visible())
            throw std::invalid_argument("--data: " + data.description + " has " + std::to_string(x.shape(0)) +
                                        " features per example, the model takes " + std::to_string(model.network().visible()));
        // A centring model's loss is on centred data, with the mean the parameters came with.
        const Array<double> xc = model.centered(x);
        Array<double> y;
        if (!grad->labels.empty()) {
            if (!model.head())
                throw std::invalid_argument("--labels: the model " + model.describe() + " has no softmax head to use them");
            const std::size_t classes = model.head()->W.shape(0);
            y = one_hot<double>(checked_labels(load_npy<double>(grad->labels), classes, x.shape(1), grad->labels), classes);
        }
        const Objective o = objective(model, xc, grad->labels.empty() ? nullptr : &y, grad->noise_seed);
        const Evaluation<double> e = evaluate(o.params, o.loss);
        NamedArrays<double> out = {{"loss", Array<double>{{e.total}}}};
        for (const auto& [name, value] : e.terms) out.push_back({"term." + name, Array<double>{{value}}});
        for (std::size_t i = 0; i < o.params.size(); ++i) out.push_back({o.params[i].name, e.gradient[i]});
        save_npz(grad->out, out);
        std::printf("%s: loss %.17g", grad->out.c_str(), e.total);
        for (const auto& [name, value] : e.terms) std::printf(", %s %.17g", name.c_str(), value);
        std::printf("\n");
    });
}

}  // namespace ae::cli
