// bench/scaling.cpp: data parallel training's speed (issue 12). One epoch of train() at a fixed
// global batch, on as many processes as it was started on (mpirun -np N), best of a few epochs;
// bench/scaling.sh runs it on 1 process x 1 thread, 2 processes x 1 thread and 1 process x 2
// threads and prints the efficiency T1 / (N T_N).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "models/zoo.hpp"
#include "optim/trainer.hpp"
#include "parallel/communicator.hpp"

using namespace ae;

namespace {

// Seconds of the fastest of `reps` epochs, after a first one that sizes the buffers: the time between
// the starts of consecutive epochs, on the first process's clock, so the run's set-up (the data's
// fingerprint on several processes) is not counted.
double epoch_seconds(Autoencoder<double>& model, const Array<double>& x, std::size_t batch, int reps) {
    using Clock = std::chrono::steady_clock;
    const std::size_t per_epoch = (x.shape(1) + batch - 1) / batch;
    std::vector<Clock::time_point> starts;
    TrainOptions o;
    o.optimizer = "adam", o.batch_size = batch, o.epochs = std::size_t(reps) + 1, o.checkpoints = false;
    o.progress = ProgressMode::quiet, o.communicator = &world();
    o.before_step = [&](std::size_t step, std::size_t) {
        if ((step - 1) % per_epoch == 0) starts.push_back(Clock::now());
    };
    train(model, x, o);
    starts.push_back(Clock::now());
    double best = 1e300;
    for (std::size_t e = 1; e + 1 < starts.size(); ++e)
        best = std::min(best, std::chrono::duration<double>(starts[e + 1] - starts[e]).count());
    return best;
}

void report(const char* name, Autoencoder<double>& model, const Array<double>& x, std::size_t batch, int reps) {
    const double seconds = epoch_seconds(model, x, batch, reps);
    std::size_t parameters = 0;
    for (const auto& p : model.parameters()) parameters += p.array->size();
    const double n = world().size();
    if (world().rank() == 0)
        std::printf("%s | %zu | %zu | %zu | %.3f | %.2f\n", name, x.shape(1), batch, parameters, seconds,
                    2 * (n - 1) / n * double(parameters) * 8 / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::atoi(argv[1]) : 3;
    const std::size_t m = 10000, batch = 1000;
    Array<double> x = Array<double>::from_shape({784, m});
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (double& e : x) e = u(rng);
    if (world().rank() == 0)
        std::printf("# %s, OPENBLAS_NUM_THREADS=%s; one epoch of Adam, float64\n"
                    "model | examples | global batch | parameters | seconds per epoch | MB sent per step per process\n",
                    world().describe().c_str(), std::getenv("OPENBLAS_NUM_THREADS") ? std::getenv("OPENBLAS_NUM_THREADS") : "(unset)");
    Autoencoder<double> sparse = sparse_kl<double>({784, 196}, {0.1, 3, 3e-3});
    report("sparse-kl 784-196", sparse, x, batch, reps);
    Autoencoder<double> deep_ae = deep<double>({784, 1000, 500, 250, 30});
    report("deep 784-1000-500-250-30", deep_ae, x, batch, reps);
    return 0;
}
