// optim/train_options.cpp: option checks, step counts, seed derivation and the optimizer factory.
#include "optim/train_options.hpp"
#include "util/check.hpp"

#include <limits>
#include <stdexcept>

#include "optim/adam.hpp"
#include "optim/gradient_descent.hpp"
#include "optim/lbfgs_optimizer.hpp"

namespace ae {

namespace {

const char* const kOwner = "train";

bool first_order_with_momentum(const std::string& o) {
    return o == "momentum" || o == "nesterov";
}

void reject(const std::string& what) {
    throw std::invalid_argument(std::string(kOwner) + ": " + what);
}

}  // namespace

void validate(const TrainOptions& o) {
    const std::string& opt = o.optimizer;
    if (opt != "gd" && opt != "momentum" && opt != "nesterov" && opt != "adam" && opt != "lbfgs")
        reject("optimizer = '" + opt + "' is not one of gd, momentum, nesterov, adam, lbfgs");
    if (o.learning_rate) {
        if (opt == "lbfgs") reject("learning_rate is not used by lbfgs (its line search picks the step)");
        check_range(kOwner, "learning_rate", *o.learning_rate, '(', 0, inf, ')');
    }
    if (o.momentum) {
        if (!first_order_with_momentum(opt))
            reject("momentum is used by the momentum and nesterov optimizers, not by " + opt);
        check_range(kOwner, "momentum", *o.momentum, '[', 0.0, 1.0, ')');
    }
    check_range(kOwner, "beta1", o.beta1, '[', 0.0, 1.0, ')');
    check_range(kOwner, "beta2", o.beta2, '[', 0.0, 1.0, ')');
    check_range(kOwner, "epsilon", o.epsilon, '(', 0, inf, ')');
    check_range(kOwner, "lbfgs_memory", double(o.lbfgs_memory), '[', 1, inf, ')');
    check_range(kOwner, "gradient_tolerance", o.gradient_tolerance, '[', 0, inf, ')');
    check_range(kOwner, "progress_tolerance", o.progress_tolerance, '[', 0, inf, ')');
    if (o.iterations == 0 && o.epochs == 0) reject("iterations = 0 and epochs = 0: nothing to run");
    if (opt == "lbfgs" && o.batch_size != 0)
        reject("batch_size = " + std::to_string(o.batch_size) +
               ": lbfgs trains on the full batch (its line search compares losses): use batch_size = 0");
}

ProgressMode parse_progress_mode(const std::string& name) {
    if (name == "auto") return ProgressMode::automatic;
    if (name == "bar") return ProgressMode::bar;
    if (name == "lines") return ProgressMode::lines;
    if (name == "quiet") return ProgressMode::quiet;
    throw std::invalid_argument(std::string(kOwner) + ": progress = '" + name +
                                "' is not one of auto, bar, lines, quiet");
}

std::string to_string(TrainStatus status) {
    switch (status) {
        case TrainStatus::finished: return "finished";
        case TrainStatus::converged: return "converged";
        case TrainStatus::not_finite: return "not_finite";
        case TrainStatus::interrupted: return "interrupted";
    }
    return "unknown";
}

std::size_t steps_per_epoch(const TrainOptions& o, std::size_t examples) {
    if (o.batch_size == 0 || o.batch_size >= examples) return 1;
    return (examples + o.batch_size - 1) / o.batch_size;
}

std::size_t planned_steps(const TrainOptions& o, std::size_t examples) {
    return o.epochs > 0 ? o.epochs * steps_per_epoch(o, examples) : o.iterations;
}

template <class T>
std::unique_ptr<Optimizer<T>> make_optimizer(const TrainOptions& o) {
    validate(o);
    if (o.optimizer == "adam") {
        AdamOptions a;
        a.learning_rate = o.learning_rate.value_or(a.learning_rate);
        a.beta1 = o.beta1, a.beta2 = o.beta2, a.epsilon = o.epsilon;
        return std::make_unique<Adam<T>>(a);
    }
    if (o.optimizer == "lbfgs") {
        LbfgsOptions l;
        // The trainer counts iterations itself (a resumed run may be given more of them).
        l.max_iterations = l.max_evaluations = std::numeric_limits<std::size_t>::max() / 2;
        l.memory = o.lbfgs_memory;
        l.gradient_tolerance = o.gradient_tolerance;
        l.progress_tolerance = o.progress_tolerance;
        return std::make_unique<LbfgsOptimizer<T>>(l);
    }
    GradientDescentOptions g;
    g.learning_rate = o.learning_rate.value_or(g.learning_rate);
    g.momentum = first_order_with_momentum(o.optimizer) ? o.momentum.value_or(0.9) : 0.0;
    g.nesterov = o.optimizer == "nesterov";
    return std::make_unique<GradientDescent<T>>(g);
}

template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const TrainOptions&);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const TrainOptions&);

}  // namespace ae
