// results/reproduce.cpp: the reproduction suite of issue 5, one result per subcommand.
//
//   aezoo_reproduce N --mnist DIR --out DIR [--seed S] [--float32|--float64] [result options]
//
// N is the result's number in results/README.md. Pictures (PNG) and figures.md go into --out;
// the training logs (log.csv) into --out/logs (not committed). Nothing is downloaded: MNIST is
// read from the IDX files in --mnist. Every option that changes the protocol (iterations, epochs,
// sizes, limits) is a flag and is echoed into figures.md, so the figure and its command travel
// together. Evaluation never looks at the test set except to report the final figure.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xview.hpp>

#include "autodiff/autodiff.hpp"
#include "io/file.hpp"
#include "io/idx.hpp"
#include "io/image.hpp"
#include "io/whitening.hpp"
#include "terms/losses.hpp"
#include "transforms/top_k.hpp"
#include "models/softmax.hpp"
#include "models/zoo.hpp"
#include "optim/recipes.hpp"
#include "optim/trainer.hpp"

using namespace ae;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// --- the command line: "--key value" pairs and bare flags -------------------------------------

struct Args {
    std::map<std::string, std::string> values;
    std::string get(const std::string& k, const std::string& fallback) const {
        auto it = values.find(k);
        return it == values.end() ? fallback : it->second;
    }
    double num(const std::string& k, double fallback) const {
        auto it = values.find(k);
        return it == values.end() ? fallback : std::stod(it->second);
    }
    std::size_t count(const std::string& k, std::size_t fallback) const {
        auto it = values.find(k);
        return it == values.end() ? fallback : std::size_t(std::stoull(it->second));
    }
    bool flag(const std::string& k) const { return values.count(k) > 0; }
};

Args parse(int argc, char** argv, int first) {
    Args a;
    for (int i = first; i < argc; ++i) {
        std::string k = argv[i];
        if (k.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument '" + k + "'");
        k = k.substr(2);
        if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) a.values[k] = argv[++i];
        else a.values[k] = "";
    }
    return a;
}

// --- shared pieces ---------------------------------------------------------------------------

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Report {
    std::ostringstream md;
    void row(const std::string& k, const std::string& v) {
        // a '|' inside a cell (e.g. "max |g|") would end it: escape it
        const auto cell = [](const std::string& text) {
            std::string c;
            for (char ch : text) c += ch == '|' ? std::string("\\|") : std::string(1, ch);
            return c;
        };
        md << "| " << cell(k) << " | " << cell(v) << " |\n";
        std::cout << "  " << k << ": " << v << std::endl;
    }
};

std::string fmt(double v, int digits = 4) {
    std::ostringstream s;
    s << std::setprecision(digits) << v;
    return s.str();
}
std::string pct(double v) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(2) << 100 * v << "%";
    return s.str();
}

template <class T>
std::vector<std::size_t> labels_of(const Dataset<T>& d) {
    return std::vector<std::size_t>(d.labels.begin(), d.labels.end());
}

template <class T>
Array<T> columns(const Array<T>& x, const std::vector<std::size_t>& idx) {
    Array<T> out({x.shape(0), idx.size()});
    for (std::size_t j = 0; j < idx.size(); ++j) xt::view(out, xt::all(), j) = xt::view(x, xt::all(), idx[j]);
    return out;
}

// What every run here shares: seeded, logged to log_dir (plain progress lines), no checkpoints.
TrainOptions run_options(const std::string& optimizer, std::uint64_t seed, const std::string& log_dir,
                         const std::string& label, std::size_t log_every) {
    TrainOptions o;
    o.optimizer = optimizer;
    o.seed = seed;
    o.out_dir = log_dir;
    o.checkpoints = false;
    o.progress = ProgressMode::lines;
    o.log_every = log_every;
    o.label = label;
    return o;
}

TrainOptions lbfgs(std::size_t iterations, std::uint64_t seed, const std::string& log_dir, const std::string& label) {
    TrainOptions o = run_options("lbfgs", seed, log_dir, label, 50);
    o.iterations = iterations;
    return o;
}

TrainOptions minibatch(const std::string& optimizer, std::size_t epochs, std::size_t batch, double lr,
                       std::uint64_t seed, const std::string& log_dir, const std::string& label) {
    TrainOptions o = run_options(optimizer, seed, log_dir, label, 200);
    o.learning_rate = lr;
    o.epochs = epochs;
    o.batch_size = batch;
    return o;
}

std::string describe(const TrainResult& r) {
    std::ostringstream s;
    s << r.steps_run << " steps (" << to_string(r.status) << (r.message.empty() ? "" : ": " + r.message) << "), "
      << r.evaluations << " evaluations, " << fmt(r.seconds, 3) << " s, loss " << fmt(r.loss, 6);
    return s.str();
}

struct Accuracy {
    double train = NAN, test = NAN;
    TrainResult run;
};

// Softmax regression (models/softmax.hpp) on fixed features, trained with L-BFGS through train();
// accuracy on the training features and on the held-out ones.
template <class T>
Accuracy softmax_eval(const Array<T>& f_train, const std::vector<std::size_t>& y_train, const Array<T>& f_test,
                      const std::vector<std::size_t>& y_test, std::size_t classes, double lambda,
                      std::size_t iterations, std::uint64_t seed, const std::string& log_dir) {
    SoftmaxRegression<T> clf(f_train.shape(0), classes, lambda, seed);
    const Array<T> Y = one_hot<T>(y_train, classes);
    const SoftmaxRegression<T>* p = &clf;
    Accuracy a;
    a.run = train<T>(clf.parameters(), f_train, Y, [p](const Batch<T>& b) { return p->loss_fn(b.x, b.y); },
                     lbfgs(iterations, seed, log_dir, "softmax"));
    a.train = classification_accuracy(clf.predict(f_train), y_train);
    a.test = classification_accuracy(clf.predict(f_test), y_test);
    return a;
}

template <class T>
void save_filters(const Array<T>& W, const fs::path& path, std::size_t count = 0) {
    const Array<T> w = count == 0 || count >= W.shape(0) ? W : Array<T>(xt::view(W, xt::range(0, count), xt::all()));
    write_png(path.string(), filter_grid(w));
    std::cout << "  wrote " << path.string() << std::endl;
}

// Mean over examples of sum_i (a_i - b_i)^2.
template <class T>
double squared_error_per_example(const Array<T>& a, const Array<T>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double d = double(a.flat(i)) - double(b.flat(i));
        s += d * d;
    }
    return s / double(a.shape(1));
}

// The first dense layer's weights: the filters.
template <class T>
const Array<T>& filters_of(const Autoencoder<T>& model) {
    return dynamic_cast<const Dense<T>&>(model.encoder()[0]).W;
}

// Mean over the examples of ||dh/dx||_F for a sigmoid encoder: J = diag(h(1-h)) W1.
template <class T>
double mean_jacobian_norm(const Autoencoder<T>& model, const Array<T>& x) {
    const Array<T> h = model.encode(x);
    const Array<T>& W1 = filters_of(model);
    std::vector<double> row2(W1.shape(0), 0);
    for (std::size_t j = 0; j < W1.shape(0); ++j)
        for (std::size_t i = 0; i < W1.shape(1); ++i) row2[j] += double(W1(j, i)) * double(W1(j, i));
    double total = 0;
    for (std::size_t t = 0; t < h.shape(1); ++t) {
        double s = 0;
        for (std::size_t j = 0; j < h.shape(0); ++j) {
            const double d = double(h(j, t)) * (1 - double(h(j, t)));
            s += d * d * row2[j];
        }
        total += std::sqrt(s);
    }
    return total / double(h.shape(1));
}

// Hidden units of a k-sparse model that are among the k largest pre-activations of no image.
template <class T>
std::size_t dead_units(const Autoencoder<T>& model, const Array<T>& x, std::size_t k) {
    const Array<T> z = model.encode(x, model.encoder().size() - 1);  // the code before the selection
    const Array<T> chosen = xt::sum(top_k_mask(z, k), {1}, xt::keep_dims);
    return std::size_t(std::count(chosen.begin(), chosen.end(), T(0)));
}

struct Context {
    Args args;
    std::string mnist;
    fs::path out, logs;
    std::uint64_t seed = 1;
    Report report;
};

// Minibatch training with the run's --optimizer (adam, or momentum/nesterov as Makhzani & Frey
// train), --batch-size, --learning-rate and --momentum, logging to `log`.
TrainOptions minibatch_run(const Context& c, std::size_t epochs, const fs::path& log, const std::string& label) {
    TrainOptions o = minibatch(c.args.get("optimizer", "adam"), epochs, c.args.count("batch-size", 128),
                               c.args.num("learning-rate", 1e-3), c.seed, log.string(), label);
    if (o.optimizer == "momentum" || o.optimizer == "nesterov") o.momentum = c.args.num("momentum", 0.9);
    return o;
}

// The training images and the images a figure is measured on: the test set, or with --validation
// the last 10,000 training images (the paper's validation split), training on the rest. Protocol
// choices are made on the validation split; the test set is touched only for the published figure.
template <class T>
struct TrainEval {
    Dataset<T> train, eval;
    std::string eval_name, eval_noun;  // "TEST", "test" or "VALIDATION", "validation"
};

template <class T>
TrainEval<T> load_train_eval(const Context& c) {
    TrainEval<T> s;
    if (!c.args.flag("validation")) {
        s.train = load_idx_dataset<T>(c.mnist, Split::train, c.args.count("limit", 60000));
        s.eval = load_idx_dataset<T>(c.mnist, Split::test, c.args.count("test-limit", 10000));
        s.eval_name = "TEST", s.eval_noun = "test";
        return s;
    }
    const Dataset<T> all = load_idx_dataset<T>(c.mnist, Split::train, 60000);
    const std::size_t held = 10000, n = std::min(c.args.count("limit", 50000), all.x.shape(1) - held);
    std::vector<std::size_t> tr(n), va(held);
    std::iota(tr.begin(), tr.end(), 0);
    std::iota(va.begin(), va.end(), all.x.shape(1) - held);
    for (auto [d, idx] : {std::pair{&s.train, &tr}, std::pair{&s.eval, &va}}) {
        d->x = columns(all.x, *idx);
        d->rows = all.rows, d->cols = all.cols;
        for (std::size_t t : *idx) d->labels.push_back(all.labels[t]);
    }
    s.eval_name = "VALIDATION", s.eval_noun = "validation";
    return s;
}

// Comma-separated numbers, e.g. --k 25,40,10.
std::vector<double> numbers(const std::string& list) {
    std::vector<double> v;
    std::stringstream s(list);
    std::string item;
    while (std::getline(s, item, ',')) v.push_back(std::stod(item));
    return v;
}
std::vector<std::size_t> counts(const std::string& list) {
    std::vector<std::size_t> v;
    for (double x : numbers(list)) {
        if (!(x >= 1 && x == std::floor(x))) throw std::invalid_argument("'" + list + "': expected positive whole numbers");
        v.push_back(std::size_t(x));
    }
    return v;
}

// A softmax classifier on the model's codes of the training images, measured once on the
// evaluation images, for each weight decay in --softmax-lambda (a list is for choosing it on the
// validation split): the report rows "<tag> <what>" (its run) and "<tag> train / TEST error".
template <class T>
void classify_codes(Context& c, const Autoencoder<T>& model, const TrainEval<T>& data, const std::string& tag,
                    const std::string& what, const std::string& log) {
    const Array<T> f_train = model.encode(data.train.x), f_eval = model.encode(data.eval.x);
    const std::vector<double> lambdas = numbers(c.args.get("softmax-lambda", "1e-4"));
    for (double lambda : lambdas) {
        const std::string at = lambdas.size() > 1 ? " (softmax lambda " + fmt(lambda) + ")" : "";
        const Accuracy a = softmax_eval(f_train, labels_of(data.train), f_eval, labels_of(data.eval), 10, lambda,
                                        c.args.count("softmax-iterations", 200), c.seed, (c.logs / log).string());
        c.report.row(tag + " " + what + at, describe(a.run));
        c.report.row(tag + " train / " + data.eval_name + " error" + at, pct(1 - a.train) + " / " + pct(1 - a.test));
    }
}

// --- 1: UFLDL sparse autoencoder on MNIST ----------------------------------------------------

template <class T>
void result1(Context& c) {
    const std::size_t n = c.args.count("limit", 10000), hidden = c.args.count("hidden", 196);
    const std::size_t iterations = c.args.count("iterations", 400);
    Dataset<T> d = load_idx_dataset<T>(c.mnist, Split::train, n);
    Autoencoder<T> model = sparse_kl<T>({784, hidden}, {0.1, 3, 3e-3}, c.seed);
    const TrainResult r = train(model, d.x, lbfgs(iterations, c.seed, (c.logs / "sparse").string(), "sparse AE"));
    c.report.row("training", describe(r));
    for (const auto& [name, v] : r.terms) c.report.row("term " + name, fmt(v, 6));
    c.report.row("final cost", fmt(r.loss, 6));
    const Array<T> h = model.encode(d.x);
    c.report.row("mean hidden activation (rho = 0.1)", fmt(xt::mean(h)(), 4));
    save_filters(filters_of(model), c.out / "filters.png");
}

// --- 7: linear autoencoder = PCA --------------------------------------------------------------

template <class T>
void result7(Context& c) {
    const std::size_t n = c.args.count("limit", 10000), code = c.args.count("code", 30);
    const std::size_t iterations = c.args.count("iterations", 3000);
    Dataset<T> train_set = load_idx_dataset<T>(c.mnist, Split::train, n);
    Dataset<T> test = load_idx_dataset<T>(c.mnist, Split::test, c.args.count("test-limit", 10000));
    Autoencoder<T> model = linear<T>({784, code}, c.seed);
    TrainOptions o = lbfgs(iterations, c.seed, (c.logs / "linear").string(), "linear AE");
    o.gradient_tolerance = 1e-9;
    o.progress_tolerance = 1e-14;
    const TrainResult r = train(model, train_set.x, o);
    c.report.row("training", describe(r));
    const Pca<T> pca = fit_pca(train_set.x);
    const double ae_train = squared_error_per_example(model.reconstruct(train_set.x), train_set.x);
    const double pca_train = squared_error_per_example(pca_reconstruct(pca, train_set.x, code), train_set.x);
    const Array<T> ae_rec = model.reconstruct(test.x), pca_rec = pca_reconstruct(pca, test.x, code);
    const double ae_test = squared_error_per_example(ae_rec, test.x);
    const double pca_test = squared_error_per_example(pca_rec, test.x);
    c.report.row("squared error per training image: linear AE / PCA-" + std::to_string(code),
                 fmt(ae_train, 6) + " / " + fmt(pca_train, 6));
    c.report.row("squared error per test image: linear AE / PCA-" + std::to_string(code),
                 fmt(ae_test, 6) + " / " + fmt(pca_test, 6) + " (ratio " + fmt(ae_test / pca_test, 6) + ")");
    // Principal angles between span(W2) (the decoder's columns) and the top principal directions.
    Array<double> W2 = xt::cast<double>(find(model.parameters(), "decoder.0.W"));
    Array<double> U = xt::cast<double>(xt::view(pca.basis, xt::all(), xt::range(0, code)));
    auto qr = xt::linalg::qr(W2);
    Array<double> Q = std::get<0>(qr);
    Array<double> M = xt::linalg::dot(xt::transpose(Q), U);
    auto svd = xt::linalg::svd(M, false);
    auto s = std::get<1>(svd);
    std::vector<double> angles;
    for (double v : s) angles.push_back(std::acos(std::min(1.0, std::max(-1.0, v))) * 180 / M_PI);
    std::sort(angles.begin(), angles.end());
    std::ostringstream a;
    a << "largest " << fmt(angles.back(), 4) << " deg, median " << fmt(angles[angles.size() / 2], 4)
      << " deg, smallest " << fmt(angles.front(), 4) << " deg";
    c.report.row("principal angles span(W2) vs PCA-" + std::to_string(code), a.str());
    const std::size_t show = 10;
    const auto first = [&](const Array<T>& x) { return Array<T>(xt::view(x, xt::all(), xt::range(0, show))); };
    write_png((c.out / "reconstructions.png").string(), comparison_grid<T>({first(test.x), first(ae_rec), first(pca_rec)}));
    std::cout << "  wrote " << (c.out / "reconstructions.png").string() << std::endl;
}

// --- 2: self-taught learning ------------------------------------------------------------------

template <class T>
void result2(Context& c) {
    const std::size_t hidden = c.args.count("hidden", 200), iterations = c.args.count("iterations", 400);
    Dataset<T> all = load_idx_dataset<T>(c.mnist, Split::train);
    std::vector<std::size_t> unlabelled, labelled;
    for (std::size_t t = 0; t < all.labels.size(); ++t) (all.labels[t] >= 5 ? unlabelled : labelled).push_back(t);
    const std::size_t limit = c.args.count("unlabelled-limit", unlabelled.size());
    if (limit < unlabelled.size()) unlabelled.resize(limit);
    // UFLDL's split: the first half of the labelled digits 0-4 train, the second half test.
    const std::size_t half = (labelled.size() + 1) / 2;
    std::vector<std::size_t> tr(labelled.begin(), labelled.begin() + half), te(labelled.begin() + half, labelled.end());
    c.report.row("examples", std::to_string(unlabelled.size()) + " unlabelled (digits 5-9), " + std::to_string(tr.size()) +
                             " train / " + std::to_string(te.size()) + " test (digits 0-4)");
    const Array<T> xu = columns(all.x, unlabelled);
    Autoencoder<T> model = sparse_kl<T>({784, hidden}, {0.1, 3, 3e-3}, c.seed);
    const TrainResult r = train(model, xu, lbfgs(iterations, c.seed, (c.logs / "sparse").string(), "sparse AE 5-9"));
    c.report.row("sparse AE training", describe(r));
    save_filters(filters_of(model), c.out / "filters.png");
    std::vector<std::size_t> ytr, yte;
    for (std::size_t t : tr) ytr.push_back(all.labels[t]);
    for (std::size_t t : te) yte.push_back(all.labels[t]);
    const Array<T> xtr = columns(all.x, tr), xte = columns(all.x, te);
    const std::size_t clf_it = c.args.count("softmax-iterations", 100);
    const Accuracy a = softmax_eval(model.encode(xtr), ytr, model.encode(xte), yte, 5, 1e-4, clf_it, c.seed,
                                    (c.logs / "softmax").string());
    c.report.row("softmax on features", describe(a.run));
    c.report.row("train accuracy (features)", pct(a.train));
    c.report.row("test accuracy (features)", pct(a.test));
    if (c.args.flag("raw-baseline")) {
        const Accuracy b = softmax_eval(xtr, ytr, xte, yte, 5, 1e-4, clf_it, c.seed, (c.logs / "softmax-raw").string());
        c.report.row("test accuracy (raw pixels, same softmax)", pct(b.test));
    }
}

// --- 3: stacked autoencoder -------------------------------------------------------------------

template <class T>
void result3(Context& c) {
    const std::size_t n = c.args.count("limit", 60000);
    const std::size_t pre = c.args.count("iterations", 400), head_it = c.args.count("head-iterations", 100);
    const std::size_t fine = c.args.count("fine-iterations", 400);
    Dataset<T> train_set = load_idx_dataset<T>(c.mnist, Split::train, n);
    Dataset<T> test = load_idx_dataset<T>(c.mnist, Split::test, c.args.count("test-limit", 10000));
    const std::vector<std::size_t> ytr = labels_of(train_set), yte = labels_of(test);
    Model<T> model(ModelSpec{"stacked", {784, 200, 200}, {{"rho", "0.1"}, {"beta", "3"}, {"lambda", "3e-3"}}, c.seed, {}});
    StackedTrainOptions so;
    so.pretrain = {lbfgs(pre, c.seed, "", "layer")};
    so.head = lbfgs(head_it, c.seed, "", "head");
    so.fine_tune = lbfgs(fine, c.seed, "", "fine-tune");
    so.out_dir = (c.logs / "stacked").string();
    double before = NAN;
    Model<T>* m = &model;
    // Test accuracy before fine-tuning: measured just before fine-tuning's first step, when the
    // parameters are the pretrained encoders and the trained head.
    so.fine_tune.before_step = [m, &test, &yte, &before](std::size_t step, std::size_t) {
        if (step == 1 && std::isnan(before)) before = classification_accuracy(m->predict(test.x), yte);
    };
    so.fine_tune.checkpoints = false;
    for (auto& o : so.pretrain) o.checkpoints = false;
    so.head.checkpoints = false;
    const StackedTrainResult r = train_stacked(model, train_set.x, ytr, so);
    for (std::size_t i = 0; i < r.pretrain.size(); ++i) c.report.row("layer " + std::to_string(i + 1), describe(r.pretrain[i]));
    c.report.row("head", describe(r.head));
    c.report.row("fine-tuning", describe(r.fine_tune));
    c.report.row("train accuracy before / after fine-tuning", pct(r.head_accuracy) + " / " + pct(r.accuracy));
    c.report.row("TEST accuracy before fine-tuning", pct(before));
    c.report.row("TEST accuracy after fine-tuning", pct(classification_accuracy(model.predict(test.x), yte)));
    save_filters(model.first_weights(), c.out / "layer1-filters.png");
}

// --- 4: k-sparse autoencoder ------------------------------------------------------------------

template <class T>
void result4(Context& c) {
    const std::size_t hidden = c.args.count("hidden", 1000), epochs = c.args.count("epochs", 10);
    const double alpha = c.args.num("alpha", 3);
    const std::vector<std::size_t> ks = counts(c.args.get("k", "25"));
    TrainEval<T> data = load_train_eval<T>(c);
    // --center subtracts the training images' mean pixel values. On raw MNIST every image has
    // positive pixels, so a unit pushed away from one image (as the k-th unit is when the others
    // already reconstruct it) turns away from all of them and is never chosen again: a dead unit.
    if (c.args.flag("center")) {
        const Array<T> mean = xt::mean(data.train.x, {1}, xt::keep_dims);
        data.train.x -= mean;
        data.eval.x -= mean;
    }

    const Dataset<T>&train_set = data.train, &test = data.eval;
    for (std::size_t k : ks) {
        const std::string tag = "k=" + std::to_string(k);
        KSparseOptions ko{k, alpha, std::min(hidden, std::size_t(c.args.count("k-start", 100)))};
        if (ko.k_start < k) ko.k_start = k;
        Autoencoder<T> model = k_sparse<T>({784, hidden}, ko, c.seed);
        TrainOptions o = minibatch_run(c, epochs, c.logs / ("k" + std::to_string(k)), "k-sparse " + tag);
        const TrainResult r = train(model, train_set.x, o);  // the k schedule is the model's own
        c.report.row(tag + " training", describe(r));
        c.report.row(tag + " squared error per " + data.eval_noun + " image (k units)",
                     fmt(squared_error_per_example(model.reconstruct(test.x), test.x), 5));
        c.report.row(tag + " dead units (never in the top k on the " + data.eval_noun + " images)",
                     std::to_string(dead_units(model, test.x, k)) + " of " + std::to_string(hidden));
        save_filters(filters_of(model), c.out / ("filters-k" + std::to_string(k) + ".png"), 100);
        if (c.args.flag("no-classifier")) continue;
        classify_codes(c, model, data, tag,
                       "softmax on alpha k = " + std::to_string(std::lround(alpha * double(k))) + " features",
                       "softmax-k" + std::to_string(k));
    }
}

// --- 5: denoising autoencoder -----------------------------------------------------------------

template <class T>
void result5(Context& c) {
    const std::size_t hidden = c.args.count("hidden", 500), epochs = c.args.count("epochs", 10);
    const std::vector<double> levels = numbers(c.args.get("noise", "0,0.1,0.2,0.5"));
    const TrainEval<T> data = load_train_eval<T>(c);
    const Dataset<T>&train_set = data.train, &test = data.eval;
    for (double q : levels) {
        const std::string tag = "masking " + fmt(100 * q, 3) + "%";
        const std::string file = "q" + std::to_string(std::lround(100 * q));
        DenoisingOptions dopt;
        dopt.corruption = masking_noise(q);
        Autoencoder<T> model = denoising<T>({784, hidden}, dopt, c.seed);
        const TrainResult r = train(model, train_set.x, minibatch_run(c, epochs, c.logs / file, "denoising " + tag));
        c.report.row(tag + " training", describe(r));
        save_filters(filters_of(model), c.out / ("filters-" + file + ".png"), 100);
        classify_codes(c, model, data, tag, "softmax", "softmax-" + file);
    }
}

// --- 6: contractive autoencoder ---------------------------------------------------------------

template <class T>
void result6(Context& c) {
    const std::size_t hidden = c.args.count("hidden", 1000), epochs = c.args.count("epochs", 10);
    const double lambda = c.args.num("lambda", 0.1);
    const TrainEval<T> data = load_train_eval<T>(c);
    const Dataset<T>&train_set = data.train, &test = data.eval;
    ContractiveOptions co;
    co.lambda = lambda;
    BasicOptions bo;
    bo.reconstruction = Reconstruction::cross_entropy;
    bo.tied = true;
    std::vector<std::pair<std::string, Autoencoder<T>>> models;
    models.emplace_back("contractive", contractive<T>({784, hidden}, co, c.seed));
    models.emplace_back("basic", basic<T>({784, hidden}, bo, c.seed));
    for (auto& [name, model] : models) {
        const TrainResult r = train(model, train_set.x, minibatch_run(c, epochs, c.logs / name, name));
        c.report.row(name + " training", describe(r));
        c.report.row(name + " mean ||J||_F on " + data.eval_noun + " images", fmt(mean_jacobian_norm(model, test.x), 5));
        save_filters(filters_of(model), c.out / ("filters-" + name + ".png"), 100);
        classify_codes(c, model, data, name, "softmax", "softmax-" + name);
    }
}

// --- 8: deep autoencoder ----------------------------------------------------------------------

template <class T>
void result8(Context& c) {
    const std::vector<std::size_t> sizes = counts(c.args.get("sizes", "784,1000,500,250,30"));
    const std::size_t n = c.args.count("limit", 60000);
    const std::size_t pre_epochs = c.args.count("pretrain-epochs", 3), fine_epochs = c.args.count("epochs", 10);
    const std::size_t batch = c.args.count("batch-size", 128);
    const double lr = c.args.num("learning-rate", 1e-3);
    Dataset<T> train_set = load_idx_dataset<T>(c.mnist, Split::train, n);
    Dataset<T> test = load_idx_dataset<T>(c.mnist, Split::test, c.args.count("test-limit", 10000));
    // The deep kind: sigmoid layers and a linear code, the mirrored decoder, cross-entropy at the
    // logistic output, as Hinton & Salakhutdinov; pretrained layer by layer (each stage a slice of
    // the network with its own mirrored decoder layer), then fine-tuned whole.
    std::vector<std::string> acts(sizes.size() - 1, "sigmoid");
    acts.back() = "linear";
    Model<T> deep(ModelSpec{"deep", sizes, {{"activations", join(acts, ",")}}, c.seed, {}});
    Autoencoder<T>& net = deep.network();
    const std::vector<TrainResult> pre = pretrain_layerwise(
        deep, train_set.x, {minibatch("adam", pre_epochs, batch, lr, c.seed, "", "pretraining")}, c.logs.string());
    for (std::size_t i = 0; i < pre.size(); ++i)
        c.report.row("pretraining layer " + std::to_string(i + 1) + " " + std::to_string(sizes[i]) + "-" +
                     std::to_string(sizes[i + 1]), describe(pre[i]));
    const auto reconstruct = [&](const Array<T>& x) { return net.reconstruct(x); };
    const Pca<T> pca = fit_pca(train_set.x);
    const Array<T> pca_rec = pca_reconstruct(pca, test.x, sizes.back());
    const double pca_err = squared_error_per_example(pca_rec, test.x);
    c.report.row("squared error per test image after pretraining", fmt(squared_error_per_example(reconstruct(test.x), test.x), 5));
    const TrainResult r = train(net, train_set.x, minibatch("adam", fine_epochs, batch, lr, c.seed,
                                                             (c.logs / "fine_tune").string(), "fine-tune"));
    c.report.row("fine-tuning", describe(r));
    const Array<T> rec = reconstruct(test.x);
    c.report.row("squared error per test image: deep AE / PCA-" + std::to_string(sizes.back()),
                 fmt(squared_error_per_example(rec, test.x), 5) + " / " + fmt(pca_err, 5));
    const std::size_t show = 10;
    const auto first = [&](const Array<T>& x) { return Array<T>(xt::view(x, xt::all(), xt::range(0, show))); };
    write_png((c.out / "reconstructions.png").string(), comparison_grid<T>({first(test.x), first(rec), first(pca_rec)}));
    std::cout << "  wrote " << (c.out / "reconstructions.png").string() << std::endl;
}

template <class T>
void run(int n, Context& c) {
    switch (n) {
        case 1: return result1<T>(c);
        case 2: return result2<T>(c);
        case 3: return result3<T>(c);
        case 4: return result4<T>(c);
        case 5: return result5<T>(c);
        case 6: return result6<T>(c);
        case 7: return result7<T>(c);
        case 8: return result8<T>(c);
        default: throw std::invalid_argument("no result " + std::to_string(n) + " (1..8)");
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "--help") {
        std::cout << "usage: aezoo_reproduce N --mnist DIR --out DIR [--seed S] [--float32] [options]\n"
                     "see results/README.md for each result's command\n";
        return argc < 2;
    }
    try {
        const int n = std::stoi(argv[1]);
        Context c;
        c.args = parse(argc, argv, 2);
        c.mnist = c.args.get("mnist", "../shared/data/mnist/");
        c.out = c.args.get("out", "results/" + std::to_string(n));
        c.logs = c.out / "logs";
        c.seed = c.args.count("seed", 1);
        fs::create_directories(c.logs);
        const bool f32 = c.args.flag("float32");
        std::ostringstream command;
        command << "aezoo_reproduce";
        for (int i = 1; i < argc; ++i) command << " " << argv[i];
        c.report.md << "| quantity | value |\n| --- | --- |\n";
        c.report.row("command", "`" + command.str() + "`");
        c.report.row("precision / seed", std::string(f32 ? "float32" : "float64") + " / " + std::to_string(c.seed));
        const auto t0 = Clock::now();
        if (f32) run<float>(n, c);
        else run<double>(n, c);
        c.report.row("wall time of the whole result", fmt(seconds_since(t0), 4) + " s");
        write_file_atomic((c.out / "figures.md").string(), c.report.md.str());
        std::cout << "wrote " << (c.out / "figures.md").string() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "aezoo_reproduce: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
