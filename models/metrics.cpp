// models/metrics.cpp: measurements of trained models.
#include "models/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <xtensor/xview.hpp>

#include "autodiff/functions.hpp"
#include "terms/contractive.hpp"
#include "transforms/top_k.hpp"
#include "util/check.hpp"

namespace ae {

template <class T>
double squared_error_per_example(const Array<T>& x_hat, const Array<T>& x) {
    if (x_hat.shape() != x.shape())
        throw ShapeError("squared_error_per_example", shape_of(x_hat), shape_of(x), "differ");
    double s = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double d = double(x_hat.data()[i]) - double(x.data()[i]);
        s += d * d;
    }
    return x.shape(1) == 0 ? 0 : s / double(x.shape(1));
}

template <class T>
JacobianStats jacobian_stats(const Autoencoder<T>& model, const Array<T>& x) {
    const std::size_t m = x.shape(1), code = model.code_size(), in = model.visible();
    std::vector<double> norm2(m, 0);  // ||J_t||_F^2
    if (model.single_dense_encoder()) {
        // J = diag(f'(z)) W: ||J_t||^2 = sum_j f'(z_jt)^2 sum_i W_ji^2.
        const Array<T>& W = dynamic_cast<const Dense<T>&>(model.encoder()[0]).W;
        std::vector<double> row2(code, 0);
        for (std::size_t j = 0; j < code; ++j)
            for (std::size_t i = 0; i < in; ++i) row2[j] += double(W(j, i)) * double(W(j, i));
        const Array<T> z = model.encode(x, 0), h = model.encode(x, 1);
        Tape<T> tape;
        RecordingGuard<T> off(tape, false);
        const Array<T> d = activation_derivative(tape.borrow(z), tape.borrow(h), model.code_activation()).value();
        for (std::size_t t = 0; t < m; ++t)
            for (std::size_t j = 0; j < code; ++j) norm2[t] += double(d(j, t)) * double(d(j, t)) * row2[j];
    } else {
        // One VJP per code unit for a chunk of examples at a time.
        const std::size_t chunk = 256;
        Tape<T> tape;
        for (std::size_t start = 0; start < m; start += chunk) {
            const std::size_t n = std::min(chunk, m - start);
            Array<T> part = xt::view(x, xt::all(), xt::range(start, start + n));
            tape.clear();
            Vars<T> p;
            std::vector<std::string> names = model.parameter_names();
            for (const Named<T>& q : const_cast<Autoencoder<T>&>(model).parameters()) p.push_back(tape.borrow(*q.array));
            const Bound<T> bound(names, p);
            const Var<T> xv = tape.leaf(part);
            const Var<T> h = model.encode(bound, xv, model.target_k()).h;
            for (const Var<T>& row : jacobian_rows(h, xv)) {
                const Array<T>& r = row.value();
                for (std::size_t i = 0; i < in; ++i)
                    for (std::size_t t = 0; t < n; ++t) norm2[start + t] += double(r(i, t)) * double(r(i, t));
            }
        }
    }
    JacobianStats s;
    for (double v : norm2) {
        s.mean_frobenius += std::sqrt(v);
        s.mean_square += v;
    }
    if (m > 0) {
        s.mean_frobenius /= double(m);
        s.mean_square /= double(m) * double(code) * double(in);
    }
    return s;
}

template <class T>
std::size_t dead_units(const Autoencoder<T>& model, const Array<T>& x) {
    check(model.target_k() > 0, model.name(), "dead units: the model keeps no top k");
    const Array<T> z = model.encode(x, model.encoder().size() - 1);  // before the selection
    const Array<T> chosen = xt::sum(top_k_mask(z, model.target_k()), {1}, xt::keep_dims);
    return std::size_t(std::count(chosen.begin(), chosen.end(), T(0)));
}

double classification_accuracy(const std::vector<std::size_t>& predicted, const std::vector<std::size_t>& labels) {
    if (predicted.size() != labels.size() || labels.empty())
        throw std::invalid_argument("accuracy: " + std::to_string(predicted.size()) + " predictions for " +
                                    std::to_string(labels.size()) + " labels");
    std::size_t right = 0;
    for (std::size_t t = 0; t < labels.size(); ++t) right += predicted[t] == labels[t];
    return double(right) / double(labels.size());
}

#define AEZOO_INSTANTIATE(T)                                                        \
    template double squared_error_per_example(const Array<T>&, const Array<T>&);    \
    template JacobianStats jacobian_stats(const Autoencoder<T>&, const Array<T>&);  \
    template std::size_t dead_units(const Autoencoder<T>&, const Array<T>&);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
