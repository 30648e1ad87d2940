// results/common.cpp: the shared pieces of the reproduction suite (results/common.hpp).
#include "results/common.hpp"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <stdexcept>
#include <utility>

#include <xtensor/xview.hpp>

#include "io/image.hpp"
#include "models/metrics.hpp"
#include "models/softmax.hpp"
#include "terms/losses.hpp"

using namespace ae;

namespace reproduce {

// --- the command line -------------------------------------------------------------------------

std::string Args::get(const std::string& k, const std::string& fallback) const {
    auto it = values.find(k);
    return it == values.end() ? fallback : it->second;
}
double Args::num(const std::string& k, double fallback) const {
    auto it = values.find(k);
    return it == values.end() ? fallback : std::stod(it->second);
}
std::size_t Args::count(const std::string& k, std::size_t fallback) const {
    auto it = values.find(k);
    return it == values.end() ? fallback : std::size_t(std::stoull(it->second));
}
bool Args::flag(const std::string& k) const { return values.count(k) > 0; }

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

// --- the report -------------------------------------------------------------------------------

void Report::row(const std::string& k, const std::string& v) {
    // a '|' inside a cell (e.g. "max |g|") would end it: escape it
    const auto cell = [](const std::string& text) {
        std::string c;
        for (char ch : text) c += ch == '|' ? std::string("\\|") : std::string(1, ch);
        return c;
    };
    md << "| " << cell(k) << " | " << cell(v) << " |\n";
    std::cout << "  " << k << ": " << v << std::endl;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string pct(double v) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(2) << 100 * v << "%";
    return s.str();
}

// --- training ---------------------------------------------------------------------------------

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

TrainOptions minibatch_run(const Context& c, std::size_t epochs, const fs::path& log, const std::string& label) {
    TrainOptions o = minibatch(c.args.get("optimizer", "adam"), epochs, c.args.count("batch-size", 128),
                               c.args.num("learning-rate", 1e-3), c.seed, log.string(), label);
    if (o.optimizer == "momentum" || o.optimizer == "nesterov") o.momentum = c.args.num("momentum", 0.9);
    return o;
}

std::string describe(const TrainResult& r) {
    std::ostringstream s;
    s << r.steps_run << " steps (" << to_string(r.status) << (r.message.empty() ? "" : ": " + r.message) << "), "
      << r.evaluations << " evaluations, " << number_text(r.seconds, 3) << " s, loss " << number_text(r.loss, 6);
    return s.str();
}

// --- data -------------------------------------------------------------------------------------

template <class T>
std::vector<std::size_t> labels_of(const Dataset<T>& d) {
    return std::vector<std::size_t>(d.labels.begin(), d.labels.end());
}

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
        d->x = columns<T>(all.x, *idx);
        d->rows = all.rows, d->cols = all.cols;
        for (std::size_t t : *idx) d->labels.push_back(all.labels[t]);
    }
    s.eval_name = "VALIDATION", s.eval_noun = "validation";
    return s;
}

// --- evaluation -------------------------------------------------------------------------------

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
void classify_codes(Context& c, const Autoencoder<T>& model, const TrainEval<T>& data, const std::string& tag,
                    const std::string& what, const std::string& log) {
    const Array<T> f_train = model.encode(data.train.x), f_eval = model.encode(data.eval.x);
    const std::vector<double> lambdas = numbers(c.args.get("softmax-lambda", "1e-4"));
    for (double lambda : lambdas) {
        const std::string at = lambdas.size() > 1 ? " (softmax lambda " + number_text(lambda, 4) + ")" : "";
        const Accuracy a = softmax_eval(f_train, labels_of(data.train), f_eval, labels_of(data.eval), 10, lambda,
                                        c.args.count("softmax-iterations", 200), c.seed, (c.logs / log).string());
        c.report.row(tag + " " + what + at, describe(a.run));
        c.report.row(tag + " train / " + data.eval_name + " error" + at, pct(1 - a.train) + " / " + pct(1 - a.test));
    }
}

// --- pictures ---------------------------------------------------------------------------------

template <class T>
void save_filters(const Array<T>& W, const fs::path& path, std::size_t count) {
    const Array<T> w = count == 0 || count >= W.shape(0) ? W : Array<T>(xt::view(W, xt::range(0, count), xt::all()));
    write_png(path.string(), filter_grid(w));
    std::cout << "  wrote " << path.string() << std::endl;
}

template <class T>
void save_reconstructions(const std::vector<Array<T>>& sets, const fs::path& path) {
    const std::size_t show = 10;
    std::vector<Array<T>> first;
    for (const Array<T>& x : sets) first.push_back(first_columns<T>(x, show));
    write_png(path.string(), comparison_grid<T>(first));
    std::cout << "  wrote " << path.string() << std::endl;
}

#define REPRODUCE_INSTANTIATE(T)                                                                                      \
    template std::vector<std::size_t> labels_of(const Dataset<T>&);                                                   \
    template TrainEval<T> load_train_eval(const Context&);                                                            \
    template Accuracy softmax_eval(const Array<T>&, const std::vector<std::size_t>&, const Array<T>&,                 \
                                   const std::vector<std::size_t>&, std::size_t, double, std::size_t, std::uint64_t, \
                                   const std::string&);                                                               \
    template void classify_codes(Context&, const Autoencoder<T>&, const TrainEval<T>&, const std::string&,            \
                                 const std::string&, const std::string&);                                             \
    template void save_filters(const Array<T>&, const fs::path&, std::size_t);                                        \
    template void save_reconstructions(const std::vector<Array<T>>&, const fs::path&);
REPRODUCE_INSTANTIATE(float)
REPRODUCE_INSTANTIATE(double)
#undef REPRODUCE_INSTANTIATE

}  // namespace reproduce
