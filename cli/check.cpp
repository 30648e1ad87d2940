// cli/check.cpp: aezoo check (a model's gradient check on a small random problem) and aezoo grad
// (loss, terms and gradients for given parameters and data, to compare with another framework).
#include <cstdio>
#include <memory>
#include <random>

#include "autodiff/gradcheck.hpp"
#include "cli/common.hpp"
#include "io/npz.hpp"
#include "io/npy.hpp"
#include "layers/losses.hpp"
#include "layers/top_k.hpp"

#include <xtensor-blas/xlinalg.hpp>

namespace ae::cli {
namespace {

// The model's training loss on x (and labels y, for the stacked model's fine-tuning), and the
// parameters it is a function of, in order.
struct Objective {
    LossFn<double> loss;
    ParamList<double> params;
};

Objective objective(Model<double>& model, const Array<double>& x, const Array<double>* y, std::uint64_t noise_seed) {
    if (Autoencoder<double>* ae = model.autoencoder()) return {ae->loss_fn(x, noise_seed), ae->parameters()};
    if (!y) throw std::invalid_argument("the stacked model's loss (fine-tuning) needs labels: give --labels");
    StackedAutoencoder<double>* s = model.stacked();
    return {s->fine_tune_loss_fn(x, *y), s->fine_tune_parameters()};
}

struct Check {
    ModelFlags model;
    std::size_t visible = 8, examples = 5;
    std::uint64_t data_seed = 7;
    bool full = false;
};

struct GradArgs {
    ModelFlags model;
    std::string params, data, labels, out;
    std::uint64_t noise_seed = 0;
};

}  // namespace

void add_check(CLI::App& app) {
    auto check = std::make_shared<Check>();
    check->model.hidden = "5";
    CLI::App* c = app.add_subcommand("check", "gradient check of a model on a small random problem (double precision)");
    check->model.add_to(*c);
    c->add_option("--visible", check->visible, "inputs of the random problem")->capture_default_str();
    c->add_option("--examples", check->examples, "examples of the random problem")->capture_default_str();
    c->add_option("--data-seed", check->data_seed, "seed of the random data (and labels)")->capture_default_str();
    c->callback([check] {
        Model<double> model(check->model.spec(check->visible));
        std::mt19937_64 rng(check->data_seed);
        std::uniform_real_distribution<double> u(0.05, 0.95);
        Array<double> x = Array<double>::from_shape({check->visible, check->examples});
        // Top-k selection has kinks: draw data until the k-th and (k+1)-th pre-activations are far
        // apart compared with what a difference step (2h = 2e-3 on any parameter) can move them.
        for (int attempt = 0;; ++attempt) {
            for (double& v : x) v = u(rng);
            const Autoencoder<double>* ae = model.autoencoder();
            if (!ae || ae->config().k == 0 || ae->config().k >= ae->config().hidden) break;
            Array<double> z = xt::linalg::dot(ae->W1, x) + ae->b1;
            if (top_k_gap(z, ae->config().k) > 0.02) break;
            if (attempt == 1000) throw std::runtime_error("check: found no random point away from top-k ties");
        }
        std::vector<std::size_t> labels(check->examples);
        const std::size_t classes = model.stacked() ? model.stacked()->head.W.shape(0) : 1;
        for (std::size_t& l : labels) l = rng() % classes;
        const Array<double> y = one_hot<double>(labels, classes);
        const Objective o = objective(model, x, &y, /*noise_seed=*/1);  // one fixed noise draw
        std::vector<Array<double>> at;
        for (const Named<double>& p : o.params) at.push_back(*p.array);
        const Function f = as_function(o.loss);
        const GradCheck first = check_gradient(f, at);
        const GradCheck directional = check_gradient_directional(f, at, 16);
        std::printf("%s on %zu x %zu random data (%zu parameters)\n", model.describe().c_str(), check->visible,
                    check->examples, parameter_count(o.params));
        std::printf("  every partial derivative:  UFLDL metric %.3g (max abs error %.3g, %zu evaluations)\n",
                    first.metric, first.max_abs_error, first.evaluations);
        std::printf("  16 random directions:      UFLDL metric %.3g\n", directional.metric);
        const bool ok = first.passed(1e-9) && directional.passed(1e-9);
        std::printf("%s (threshold 1e-9; five-point central differences, h = 1e-3)\n", ok ? "passed" : "FAILED");
        if (!ok) throw CLI::RuntimeError(1);
    });

    auto grad = std::make_shared<GradArgs>();
    CLI::App* g = app.add_subcommand("grad", "loss, each term and every parameter's gradient, for given parameters and data");
    grad->model.add_to(*g);
    g->add_option("--params", grad->params, ".npz with the parameters under their names (e.g. a model file)")->required();
    g->add_option("--data", grad->data, ".npy data, one example per row")->required();
    g->add_option("--labels", grad->labels, ".npy labels 0..classes-1 (stacked only)");
    g->add_option("--noise-seed", grad->noise_seed, "seed of the corruption / probe noise")->capture_default_str();
    g->add_option("--out", grad->out, "output .npz: loss, term.<name>, and each gradient under its parameter's name")->required();
    g->callback([grad] {
        const Array<double> x = load_examples_npy<double>(grad->data);
        const NamedArrays<double> given = load_npz<double>(grad->params);
        // Sizes from the given weights: W1 (hidden, visible), or layerN.W1 for the stacked model.
        ModelFlags flags = grad->model;
        if (flags.kind == "stacked") {
            flags.hidden.clear();
            for (std::size_t i = 1;; ++i) {
                auto it = std::find_if(given.begin(), given.end(),
                                       [&](const auto& p) { return p.first == "layer" + std::to_string(i) + ".W1"; });
                if (it == given.end()) break;
                flags.hidden += (i > 1 ? "," : "") + std::to_string(it->second.shape(0));
            }
            const Array<double>& head = find_array(given, "softmax.W", grad->params);
            flags.values["classes"] = std::to_string(head.shape(0));
        } else {
            flags.hidden = std::to_string(find_array(given, "W1", grad->params).shape(0));
        }
        Model<double> model(flags.spec(x.shape(0)));
        for (const Named<double>& p : model.parameters()) {
            const Array<double>& a = find_array(given, p.name, grad->params);
            if (a.shape() != p.array->shape())
                throw std::invalid_argument(grad->params + ": " + p.name + " has shape " + str(shape_of(a)) +
                                            ", the model needs " + str(shape_of(*p.array)));
            *p.array = a;
        }
        // A centring model's loss is on centred data, with the mean the parameters came with.
        if (model.centers()) model.set_input_mean(find_array(given, "input.mean", grad->params));
        const Array<double> xc = model.centered(x);
        Array<double> y;
        if (!grad->labels.empty()) {
            const Array<double> l = load_npy<double>(grad->labels);
            std::vector<std::size_t> labels(l.begin(), l.end());
            y = one_hot<double>(labels, model.stacked() ? model.stacked()->head.W.shape(0) : 10);
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
