// optim/trainer.cpp: the training loop (see trainer.hpp for what a step does and why).
#include "optim/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>

#include "autodiff/functions.hpp"
#include "io/file.hpp"
#include "optim/batches.hpp"
#include "optim/checkpoint.hpp"
#include "optim/evaluator.hpp"
#include "optim/lbfgs_optimizer.hpp"
#include "optim/progress.hpp"
#include "optim/run_files.hpp"
#include "optim/step_record.hpp"
#include "optim/train_log.hpp"

namespace ae {

namespace {

const std::uint64_t kNoise = 1;  // derive_seed stream of the steps' noise seeds

std::string join(const std::vector<std::string>& names) {
    std::string s;
    for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
    return s;
}

template <class T>
class Run {
public:
    Run(const ParamList<T>& params, const Array<T>& x, const Array<T>& y, const BatchLoss<T>& loss,
        const TrainOptions& options, Communicator& comm);
    TrainResult run();

private:
    void start();  // the checks and the checkpoint, before any step
    void check_terms();
    double evaluate(Gradients<T>& grads);
    const StepRecord* logged(const IterationInfo& info);
    void begin_step(std::size_t step);  // the step's batch and loss, handed to the evaluator
    void resume();
    void save(const std::string& status);             // "running" or a TrainStatus
    void keep(std::vector<Array<T>>& to);  // copies the parameters (allocating only the first time)
    void restore(const std::vector<Array<T>>& from);
    std::string describe_bad(std::size_t step) const;

    const ParamList<T> m_params;
    const Array<T>&m_x, &m_y;
    const BatchLoss<T>& m_factory;
    Communicator& m_comm;
    const TrainOptions m_o;  // on processes other than the first: no files, no progress
    const std::size_t m_m, m_steps;
    const bool m_lbfgs;
    std::unique_ptr<Optimizer<T>> m_opt;
    // One tape for the whole run (clear() keeps its buffers), and one for the smaller last batch
    // of an epoch, so that neither ever reallocates its buffers for the other's shapes.
    Tape<T> m_tape, m_tape_rest;
    Evaluator<T> m_eval;
    StepRecord m_accepted;  // L-BFGS: the accepted point's values when no evaluation of the step has them
    StepRecord m_bad;
    bool m_has_bad = false;
    TrainLog m_log;
    RunFiles m_files;
    std::optional<Batches<T>> m_batches;  // made by start(): it checks that every process has examples
    Progress m_progress;
    std::size_t m_step = 0, m_evaluations = 0, m_evaluations_before = 0;
    double m_seconds_before = 0;
    TrainStatus m_status = TrainStatus::finished;
    std::string m_message;
    std::string m_fingerprint;  // of the data, for checkpoints
    std::vector<std::pair<std::string, double>> m_row;  // for the progress display
    // First-order: the parameters of this step's evaluation, and those of the last logged row
    // (the last with a finite loss), which a NaN stop restores.
    std::vector<Array<T>> m_trial, m_good;
    bool m_has_good = false;
};

// What a process other than the first is told: the same run, without files or progress.
TrainOptions for_process(TrainOptions o, const Communicator& comm) {
    if (comm.rank() != 0) o.out_dir.clear(), o.progress = ProgressMode::quiet;
    return o;
}

template <class T>
Run<T>::Run(const ParamList<T>& params, const Array<T>& x, const Array<T>& y, const BatchLoss<T>& loss,
            const TrainOptions& o, Communicator& comm)
    : m_params(params), m_x(x), m_y(y), m_factory(loss), m_comm(comm), m_o(for_process(o, comm)),
      m_m(x.shape(1)), m_steps(planned_steps(o, x.shape(1))), m_lbfgs(o.optimizer == "lbfgs"),
      m_eval(params, comm), m_files(m_o.out_dir, o.checkpoints), m_progress(m_o, m_steps, o.batch_size >= x.shape(1) ? 0 : o.batch_size) {
    m_comm.agree([this] { start(); });
    m_comm.agree([this] {
        if (!m_o.resume.empty()) check_terms();
        m_files.create();
    });
}

template <class T>
void Run<T>::start() {
    const TrainOptions& o = m_o;
    if (m_comm.size() > 1) {  // every process must train on the same data (checked first: collective)
        m_fingerprint = data_fingerprint(m_x, m_y);
        std::string first = m_fingerprint;
        m_comm.broadcast(first, 0);
        if (m_comm.any(first != m_fingerprint))
            throw std::invalid_argument("train: the processes were given different data (" + m_comm.describe() +
                                        "): each must load the same examples");
    }
    validate(o);
    if (m_m == 0) throw std::invalid_argument("train: the data has no examples (0 columns)");
    if (o.batch_size > m_m)
        throw std::invalid_argument("train: batch_size = " + std::to_string(o.batch_size) +
                                    " is larger than the data set (" + std::to_string(m_m) + " examples)");
    if (m_y.size() != 0 && m_y.shape(1) != m_m)
        throw std::invalid_argument("train: the targets have " + std::to_string(m_y.shape(1)) +
                                    " columns, the data " + std::to_string(m_m));
    if (m_params.empty()) throw std::invalid_argument("train: no parameters to train");
    m_batches.emplace(m_x, m_y, o.batch_size, o.seed, std::size_t(m_comm.rank()), std::size_t(m_comm.size()));
    m_opt = make_optimizer<T>(o);
    if (!o.resume.empty()) resume();
}

template <class T>
double Run<T>::evaluate(Gradients<T>& grads) {
    ++m_evaluations;
    const double loss = m_eval(grads);
    const StepRecord& r = m_eval.records()[m_eval.count() - 1];
    if (r.finite()) return loss;
    m_bad = r, m_has_bad = true;
    // First-order: a NaN makes the optimizer skip the update. L-BFGS: its line search backs off
    // from non-finite points by itself (and stops with not_finite if it cannot).
    return m_lbfgs ? r.total : std::numeric_limits<double>::quiet_NaN();
}

// The evaluation that the step's row logs, or null when the step failed on a non-finite value.
template <class T>
const StepRecord* Run<T>::logged(const IterationInfo& info) {
    const std::vector<StepRecord>& records = m_eval.records();
    if (!m_lbfgs) return std::isfinite(info.loss) && m_eval.count() == 1 ? &records[0] : nullptr;
    const auto& solver = static_cast<const LbfgsOptimizer<T>&>(*m_opt).solver();
    if (solver.stop() == LbfgsStop::not_finite) return nullptr;
    // The accepted point is one of the evaluated ones, but not always the last.
    for (std::size_t i = m_eval.count(); i-- > 0;)
        if (records[i].total == info.loss) return &records[i];
    m_eval.values_only(m_accepted);  // the parameters are at the accepted point
    return &m_accepted;
}

template <class T>
void Run<T>::begin_step(std::size_t step) {
    const typename Batches<T>::View v = m_batches->at(step);
    const Batch<T> b{*v.x, *v.y, *v.columns, derive_seed(m_o.seed, kNoise, m_lbfgs ? 0 : step), step, v.first, v.total};
    m_eval.set_batch(m_factory(b), v.remainder ? m_tape_rest : m_tape, v.first, v.x->shape(1), v.total);
}

template <class T>
void Run<T>::resume() {
    const Checkpoint c = resume_checkpoint(m_o.resume, m_o, m_x, m_y, m_params, *m_opt);
    m_log.assign(c.log, m_o.resume);
    m_step = c.info.step;
    if (m_step > m_steps)
        throw std::invalid_argument(m_o.resume + ": the checkpoint is at step " + std::to_string(m_step) +
                                    ", past this run's " + std::to_string(m_steps) + " steps (a resume may add steps, not remove them)");
    m_seconds_before = c.info.seconds;
    m_evaluations_before = c.info.evaluations;
    if (c.info.status == to_string(TrainStatus::converged)) {  // L-BFGS had stopped on its own
        m_status = TrainStatus::converged;
        m_message = "the checkpoint's run had converged at step " + std::to_string(m_step);
    }
}

// The loss's terms against the checkpoint's log, before any step changes anything (an evaluation:
// on several processes, all of them together).
template <class T>
void Run<T>::check_terms() {
    if (m_step == m_steps) return;
    begin_step(m_step + 1);
    StepRecord r;
    m_eval.values_only(r);
    if (m_log.has_columns() && m_eval.names() != m_log.terms())
        throw IoError(m_o.resume, "does not match the model: its log has the terms " + join(m_log.terms()) +
                                      ", this loss has " + join(m_eval.names()));
}

template <class T>
void Run<T>::keep(std::vector<Array<T>>& to) {
    to.resize(m_params.size());
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        if (to[i].shape() != m_params[i].array->shape()) to[i].resize(m_params[i].array->shape());
        xt::noalias(to[i]) = *m_params[i].array;
    }
}

template <class T>
void Run<T>::restore(const std::vector<Array<T>>& from) {
    for (std::size_t i = 0; i < m_params.size(); ++i) xt::noalias(*m_params[i].array) = from[i];
}

template <class T>
void Run<T>::save(const std::string& status) {
    if (!m_files.writes()) return;
    CheckpointInfo info;
    info.optimizer = m_o.optimizer;
    info.seed = m_o.seed;
    info.run = m_o.run;
    info.step = m_step, info.steps = m_steps, info.batch_size = m_o.batch_size, info.examples = m_m;
    if (m_fingerprint.empty()) m_fingerprint = data_fingerprint(m_x, m_y);  // once per run
    info.data = m_fingerprint;
    info.evaluations = m_evaluations_before + m_evaluations;
    info.seconds = m_progress.elapsed();
    info.status = status;
    m_files.write_checkpoint(m_params, info, m_opt->state(), m_log);
}

template <class T>
std::string Run<T>::describe_bad(std::size_t step) const {
    std::string what = m_has_bad ? what_went_wrong(m_bad, m_eval.names()) : "the loss is not finite";
    if (m_lbfgs) what += "; L-BFGS: " + static_cast<const LbfgsOptimizer<T>&>(*m_opt).solver().stop_reason();
    // First-order steps evaluate before they update: the parameters after step - 1 are the bad
    // point, and the last finite loss (row step - 1) was evaluated at those after step - 2.
    const std::string head = "step " + std::to_string(step) + ": " + what + "; the parameters are ";
    if (m_lbfgs || !m_has_good)
        return head + "those after step " + std::to_string(step - 1) + (m_lbfgs ? "" : " (not updated)");
    return head + "set back to those after step " + std::to_string(step - 2) + ", where row " +
           std::to_string(step - 1) + "'s finite loss was evaluated";
}

template <class T>
TrainResult Run<T>::run() {
    const auto start = std::chrono::steady_clock::now();
    std::size_t steps_run = 0;
    const typename Optimizer<T>::Evaluate evaluate_fn = [this](Gradients<T>& g) { return evaluate(g); };
    m_progress.start(m_step, m_seconds_before);
    if (!m_o.resume.empty())
        m_progress.note("resumed from " + m_o.resume + " at step " + std::to_string(m_step) + " of " +
                        std::to_string(m_steps));
    for (std::size_t step = m_step + 1; step <= m_steps && m_status != TrainStatus::converged; ++step) {
        if (m_o.before_step) m_o.before_step(step, m_steps);
        begin_step(step);
        m_has_bad = false;
        if (!m_lbfgs) keep(m_trial);
        const IterationInfo info = m_opt->iterate(m_params, evaluate_fn);
        const StepRecord* r = logged(info);
        if (!r) {
            m_status = TrainStatus::not_finite, m_message = describe_bad(step);
            if (m_has_good) restore(m_good);
            break;
        }
        if (!m_lbfgs) std::swap(m_trial, m_good), m_has_good = true;
        const std::vector<std::string>& names = m_eval.names();
        if (!m_log.has_columns()) m_log.set_columns(names, m_lbfgs);
        const std::size_t epoch = m_batches->epoch(step);
        m_log.add(step, epoch, m_progress.elapsed(), info.evaluations, r->total, r->terms);
        m_step = step, ++steps_run;
        m_row.resize(names.size());
        for (std::size_t i = 0; i < names.size(); ++i) m_row[i] = {names[i], r->terms[i]};
        m_progress.update(step, epoch, r->total, m_row);
        if (m_lbfgs && info.stop) {
            m_status = TrainStatus::converged, m_message = "L-BFGS stopped: " + info.stop_reason;
            break;
        }
        if (m_o.checkpoint_every && step % m_o.checkpoint_every == 0 && step < m_steps) save("running");
        if (step < m_steps && m_comm.any(m_o.stop_requested && m_o.stop_requested())) {  // all stop, or none
            m_status = TrainStatus::interrupted, m_message = "interrupted after step " + std::to_string(step);
            break;
        }
        m_files.write_log_every_10s(m_log);  // the first row replaces an old log.csv at once
    }
    m_progress.finish(m_message);
    TrainResult result;
    // A NaN stop keeps the last checkpoint (no bad point in it); a resume with no step left (killed
    // after its last checkpoint) writes the log as checkpointed.
    if (m_status != TrainStatus::not_finite && steps_run > 0) save(to_string(m_status));
    else m_files.write_log(m_log);
    result.status = m_status;
    result.message = m_message;
    result.step = m_step, result.steps = m_steps, result.steps_run = steps_run;
    result.evaluations = m_evaluations;
    std::tie(result.loss, result.terms) = m_log.last();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Only the files there are: a run whose first step was not finite wrote neither.
    result.log = m_files.log_path(m_log);
    result.checkpoint = m_files.checkpoint_path();
    return result;
}

}  // namespace

template <class T>
TrainResult train(const ParamList<T>& params, const Array<T>& x, const Array<T>& y, const BatchLoss<T>& loss,
                  const TrainOptions& options) {
    Communicator& comm = options.communicator ? *options.communicator : serial();
    Run<T> run(params, x, y, loss, options, comm);
    if (comm.size() == 1) return run.run();
    try {
        return run.run();
    } catch (const std::exception& e) {  // the others would wait for this process in their next sum
        comm.abort(e.what());
        throw;  // not reached: abort ends the process
    }
}

template <class T>
TrainResult train(Autoencoder<T>& model, const Array<T>& x, const TrainOptions& options) {
    if (x.shape(0) != model.visible())
        throw std::invalid_argument("train: the data has " + std::to_string(x.shape(0)) + " rows, the model " +
                                    model.name() + " has " + std::to_string(model.visible()) + " inputs");
    const Autoencoder<T>* m = &model;
    const BatchLoss<T> loss = [m](const Batch<T>& b) { return m->loss_fn(b.x, b.seed); };
    TrainOptions o = options;
    o.before_step = [&model, user = options.before_step](std::size_t step, std::size_t steps) {
        model.at_step(step, steps);  // the model's own per-step behaviour (the k-sparse schedule)
        if (user) user(step, steps);
    };
    const TrainResult r = train(model.parameters(), x, Array<T>(), loss, o);
    model.at_step(0, 0);
    return r;
}

#define AEZOO_INSTANTIATE(T)                                                                                 \
    template TrainResult train(const ParamList<T>&, const Array<T>&, const Array<T>&, const BatchLoss<T>&,    \
                               const TrainOptions&);                                                         \
    template TrainResult train(Autoencoder<T>&, const Array<T>&, const TrainOptions&);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
