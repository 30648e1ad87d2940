// results/common.hpp: what the results of the reproduction suite share: the command line (Args),
// the report (figures.md), the run's Context, the training recipes every result uses, loading the
// train / evaluation split, a softmax classifier on codes, and the filter pictures. The results
// themselves are results/result1_sparse_mnist.cpp ... results/result8_deep.cpp, declared at the
// end; results/main.cpp dispatches to them. The metrics (squared error, the Jacobian, dead units,
// accuracy) are the library's: models/metrics.hpp.
#pragma once
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "io/idx.hpp"
#include "models/autoencoder.hpp"
#include "optim/trainer.hpp"
#include "util/text.hpp"

namespace reproduce {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// --- the command line: "--key value" pairs and bare flags -------------------------------------

struct Args {
    std::map<std::string, std::string> values;
    std::string get(const std::string& k, const std::string& fallback) const;
    double num(const std::string& k, double fallback) const;
    std::size_t count(const std::string& k, std::size_t fallback) const;
    bool flag(const std::string& k) const;
};

// argv[first..]: "--key value" or a bare "--flag" (its value empty).
Args parse(int argc, char** argv, int first);

// Comma-separated numbers, e.g. --k 25,40,10; counts() refuses any that is not a positive whole number.
std::vector<double> numbers(const std::string& list);
std::vector<std::size_t> counts(const std::string& list);

// --- the report: figures.md's table, echoed to stdout -----------------------------------------

struct Report {
    std::ostringstream md;
    void row(const std::string& k, const std::string& v);
};

double seconds_since(Clock::time_point t0);
std::string pct(double v);  // 0.9734 -> "97.34%"

struct Context {
    Args args;
    std::string mnist;
    fs::path out, logs;
    std::uint64_t seed = 1;
    Report report;
};

// --- training -----------------------------------------------------------------------------------

// What every run here shares: seeded, logged to log_dir (plain progress lines), no checkpoints.
ae::TrainOptions run_options(const std::string& optimizer, std::uint64_t seed, const std::string& log_dir,
                             const std::string& label, std::size_t log_every);
ae::TrainOptions lbfgs(std::size_t iterations, std::uint64_t seed, const std::string& log_dir, const std::string& label);
ae::TrainOptions minibatch(const std::string& optimizer, std::size_t epochs, std::size_t batch, double lr,
                           std::uint64_t seed, const std::string& log_dir, const std::string& label);
// Minibatch training with the run's --optimizer (adam, or momentum/nesterov as Makhzani & Frey
// train), --batch-size, --learning-rate and --momentum, logging to `log`.
ae::TrainOptions minibatch_run(const Context& c, std::size_t epochs, const fs::path& log, const std::string& label);

// "N steps (status), M evaluations, S s, loss L": a run's report cell.
std::string describe(const ae::TrainResult& r);

// --- data ---------------------------------------------------------------------------------------

template <class T> std::vector<std::size_t> labels_of(const ae::Dataset<T>& d);
// The columns (examples) idx of x.

// The training images and the images a figure is measured on: the test set (--limit, --test-limit),
// or with --validation the last 10,000 training images (the paper's validation split), training on
// the rest. Protocol choices are made on the validation split; the test set is touched only for
// the published figure.
template <class T>
struct TrainEval {
    ae::Dataset<T> train, eval;
    std::string eval_name, eval_noun;  // "TEST", "test" or "VALIDATION", "validation"
};
template <class T> TrainEval<T> load_train_eval(const Context& c);

// --- evaluation ---------------------------------------------------------------------------------

struct Accuracy {
    double train = NAN, test = NAN;
    ae::TrainResult run;
};

// Softmax regression (models/softmax.hpp) on fixed features, trained with L-BFGS through train();
// accuracy on the training features and on the held-out ones.
template <class T>
Accuracy softmax_eval(const ae::Array<T>& f_train, const std::vector<std::size_t>& y_train, const ae::Array<T>& f_test,
                      const std::vector<std::size_t>& y_test, std::size_t classes, double lambda,
                      std::size_t iterations, std::uint64_t seed, const std::string& log_dir);

// A softmax classifier on the model's codes of the training images, measured once on the
// evaluation images, for each weight decay in --softmax-lambda (a list is for choosing it on the
// validation split; --softmax-iterations): the report rows "<tag> <what>" (its run) and
// "<tag> train / TEST error".
template <class T>
void classify_codes(Context& c, const ae::Autoencoder<T>& model, const TrainEval<T>& data, const std::string& tag,
                    const std::string& what, const std::string& log);

// --- pictures -----------------------------------------------------------------------------------

// The rows of W (the first `count`, 0: all) as a grid of filters in a PNG.
template <class T> void save_filters(const ae::Array<T>& W, const fs::path& path, std::size_t count = 0);
// The first 10 of each set (columns) of examples in a PNG, one set a row.
template <class T> void save_reconstructions(const std::vector<ae::Array<T>>& sets, const fs::path& path);

// --- the results: N as in results/README.md -----------------------------------------------------

template <class T> void result1_sparse_mnist(Context& c);  // UFLDL sparse autoencoder on MNIST
template <class T> void result2_self_taught(Context& c);   // self-taught learning
template <class T> void result3_stacked(Context& c);       // stacked autoencoder, fine-tuned
template <class T> void result4_k_sparse(Context& c);      // k-sparse autoencoder
template <class T> void result5_denoising(Context& c);     // denoising autoencoder
template <class T> void result6_contractive(Context& c);   // contractive autoencoder
template <class T> void result7_linear_pca(Context& c);    // linear autoencoder = PCA
template <class T> void result8_deep(Context& c);          // deep autoencoder

}  // namespace reproduce
