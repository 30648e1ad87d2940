// optim/evaluator.hpp: the one place where a training step's loss and gradients are computed;
// every optimizer's evaluations go through it (the trainer hands it to them as their objective).
//
// On several processes (parallel/communicator.hpp) each evaluates the loss as written for a batch
// on its shard of the batch, and the evaluator sums the shares, each weighted by its shard's part
// of the batch (m_r / m): a mean over examples becomes the whole batch's mean, and a term that does
// not depend on the examples (weight decay) is counted once. The weight seeds the backward pass, so
// a batch statistic summed on the tape (batch_mean: the KL term's rho_hat), whose VJP sums the
// shares' cotangents, gets the whole batch's gradient too. Every process then holds the same loss,
// terms and gradients, to the last bit.
//
// A loss that has no value (a std::domain_error from the tape, e.g. log of a negative entry) is
// recorded as such on one process; on several, the process ends the job with the message (the
// others may be waiting in a sum on the tape that it will never reach).
#pragma once
#include <string>
#include <vector>

#include "models/loss.hpp"
#include "optim/optimizer.hpp"
#include "optim/step_record.hpp"
#include "parallel/communicator.hpp"

namespace ae {

template <class T>
class Evaluator {
public:
    Evaluator(const ParamList<T>& params, Communicator& comm) : m_params(params), m_comm(comm) {}

    // The next evaluations' loss, on `tape`, for this process's columns [first, first + m) of a
    // batch of `total` (the records of the previous step are forgotten).
    void set_batch(LossFn<T> loss, Tape<T>& tape, std::size_t first, std::size_t m, std::size_t total);

    // The loss at the parameters' current values, its gradients into `grads`; recorded (records()).
    double operator()(Gradients<T>& grads);
    // The loss and its terms alone, into r.
    void values_only(StepRecord& r);

    // This step's evaluations, in order.
    const std::vector<StepRecord>& records() const { return m_records; }
    std::size_t count() const { return m_count; }
    // The loss's term names (known after the first evaluation).
    const std::vector<std::string>& names() const { return m_names; }

private:
    Loss<T> loss();  // on a cleared tape, with the names checked
    void reduce(StepRecord& r, Gradients<T>* grads);  // the shares' sum, on every process

    const ParamList<T> m_params;
    Communicator& m_comm;
    LossFn<T> m_loss;
    Tape<T>* m_tape = nullptr;
    Vars<T> m_vars;       // the parameters on the tape
    double m_weight = 1;  // this shard's part of the batch
    std::vector<StepRecord> m_records;  // this step's evaluations (reused)
    std::size_t m_count = 0;
    std::vector<std::string> m_names;
    std::vector<double> m_scalars;  // the loss and its terms, summed (reused)
};

extern template class Evaluator<float>;
extern template class Evaluator<double>;

}  // namespace ae
