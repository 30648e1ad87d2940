// optim/evaluator.cpp: the evaluation seam (see evaluator.hpp).
#include "optim/evaluator.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <xtensor/xnoalias.hpp>

#include "autodiff/functions.hpp"
#include "autodiff/grad.hpp"
#include "util/threads.hpp"

namespace ae {

namespace {

// Whether every entry is finite, in one pass split across the threads: e - e is 0 for a finite e
// and NaN otherwise, and summed in eight independent lanes the loop vectorises.
template <class T>
bool all_finite(const Array<T>& a) {
    std::atomic<bool> finite{true};
    parallel_for(a.size(), 64, 1, [&](std::size_t first, std::size_t last) {
        const T* p = a.data();
        T lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        std::size_t i = first;
        for (; i + 8 <= last; i += 8)
            for (std::size_t k = 0; k < 8; ++k) lane[k] += p[i + k] - p[i + k];
        for (; i < last; ++i) lane[0] += p[i] - p[i];
        T sum = 0;
        for (T l : lane) sum += l;
        if (sum != 0) finite = false;
    });
    return finite;
}

}  // namespace

template <class T>
void Evaluator<T>::set_batch(LossFn<T> loss, Tape<T>& tape, std::size_t first, std::size_t m, std::size_t total) {
    m_loss = std::move(loss);
    m_tape = &tape;
    const bool shared = m_comm.size() > 1;
    tape.set_shard({shared ? &m_comm : nullptr, first, total});
    m_weight = shared ? double(m) / double(total) : 1.0;
    m_count = 0;
}

template <class T>
Loss<T> Evaluator<T>::loss() {
    m_tape->clear();
    m_vars = enter(*m_tape, m_params);
    Loss<T> l = m_loss(m_vars);
    std::vector<std::string> names;
    for (const auto& [name, v] : l.terms) names.push_back(name);
    if (m_names.empty()) m_names = names;
    if (names != m_names) throw std::logic_error("train: the loss's terms changed between steps");
    return l;
}

template <class T>
double Evaluator<T>::operator()(Gradients<T>& grads) {
    if (m_count == m_records.size()) m_records.emplace_back();
    StepRecord& r = m_records[m_count++];
    r.bad_gradient.clear(), r.error.clear();
    try {
        const Loss<T> l = loss();
        r.total = double(item(l.total));
        r.terms.resize(l.terms.size());
        for (std::size_t i = 0; i < l.terms.size(); ++i) r.terms[i] = double(item(l.terms[i].second));
        // The share's weight seeds the backward pass, so that the cotangent a batch statistic's
        // all_sum adds up is the sum of the shares' (scaling the gradients afterwards would not be).
        const Vars<T> g = grad(m_weight == 1 ? l.total : l.total * m_weight, m_vars);
        for (std::size_t i = 0; i < grads.size(); ++i) {
            std::size_t same = 0;  // two parameters may share one cotangent node (sum(W1 + W2))
            while (same < i && g[same].id != g[i].id) ++same;
            if (same < i) grads[i] = grads[same];
            else m_tape->take(g[i], grads[i]);  // no copy: grads[i]'s old buffer goes to the tape
            if (!all_finite(grads[i]) && r.bad_gradient.empty()) r.bad_gradient = m_params[i].name;
        }
    } catch (const std::domain_error& e) {  // e.g. log of a negative entry: no value, like a NaN
        if (m_comm.size() > 1) m_comm.abort(std::string("the loss could not be evaluated: ") + e.what());
        r.total = std::numeric_limits<double>::quiet_NaN();
        r.terms.clear();
        r.error = e.what();
        return r.total;
    }
    if (m_comm.size() > 1) {  // the sum of the shares is checked (a share may be finite, the sum not)
        reduce(r, &grads);
        r.bad_gradient.clear();
        for (std::size_t i = 0; i < grads.size() && r.bad_gradient.empty(); ++i)
            if (!all_finite(grads[i])) r.bad_gradient = m_params[i].name;
    }
    return r.total;
}

template <class T>
void Evaluator<T>::values_only(StepRecord& r) {
    const Loss<T> l = loss();
    r.total = double(item(l.total));
    r.terms.clear();
    for (const auto& [name, v] : l.terms) r.terms.push_back(double(item(v)));
    r.bad_gradient.clear(), r.error.clear();
    reduce(r, nullptr);
}

template <class T>
void Evaluator<T>::reduce(StepRecord& r, Gradients<T>* grads) {
    if (m_comm.size() == 1) return;
    m_scalars.assign(1, r.total * m_weight);
    for (double t : r.terms) m_scalars.push_back(t * m_weight);
    m_comm.all_sum(m_scalars.data(), m_scalars.size());
    r.total = m_scalars[0];
    std::copy(m_scalars.begin() + 1, m_scalars.end(), r.terms.begin());
    if (grads)
        for (Array<T>& g : *grads) m_comm.all_sum(g.data(), g.size());  // in place, weighted already
}

template class Evaluator<float>;
template class Evaluator<double>;

}  // namespace ae
