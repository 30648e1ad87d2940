// models/stacked.cpp: the stacked autoencoder's pieces.
#include "models/stacked.hpp"

#include <limits>

#include "autodiff/functions.hpp"
#include "layers/check.hpp"
#include "layers/losses.hpp"

namespace ae {

namespace {

// Checks the stack, then makes its head (softmax.W drawn as UFLDL initialises, from `seed`).
template <class T>
SoftmaxRegression<T> checked_head(const std::vector<Autoencoder<T>>& layers, std::size_t classes, double lambda,
                                  std::uint64_t seed) {
    check(!layers.empty(), "stacked", "no layers");
    for (std::size_t i = 1; i < layers.size(); ++i)
        check(layers[i].config().visible == layers[i - 1].config().hidden, "stacked",
              "layer " + std::to_string(i + 1) + " has " + std::to_string(layers[i].config().visible) +
                  " inputs but layer " + std::to_string(i) + " gives " + std::to_string(layers[i - 1].config().hidden));
    check_range("stacked", "classes", double(classes), '[', 2, std::numeric_limits<double>::infinity(), ')');
    check_range("stacked", "lambda", lambda, '[', 0, std::numeric_limits<double>::infinity(), ')');
    return SoftmaxRegression<T>(layers.back().config().hidden, classes, lambda, seed);
}

}  // namespace

template <class T>
StackedAutoencoder<T>::StackedAutoencoder(std::vector<Autoencoder<T>> layers_, std::size_t classes, double lambda,
                                          std::uint64_t seed)
    : layers(std::move(layers_)), head(checked_head(layers, classes, lambda, seed)) {}

template <class T>
Array<T> StackedAutoencoder<T>::features(const Array<T>& x, std::size_t depth) const {
    check(depth <= layers.size(), "stacked", "features: depth " + std::to_string(depth) + " of " +
                                                 std::to_string(layers.size()) + " layers");
    Array<T> h = x;
    for (std::size_t i = 0; i < depth; ++i) h = layers[i].encode(h);
    return h;
}

template <class T>
ParamList<T> StackedAutoencoder<T>::parameters() {
    ParamList<T> all;
    for (std::size_t i = 0; i < layers.size(); ++i)
        for (const Named<T>& p : layers[i].parameters())
            all.push_back({"layer" + std::to_string(i + 1) + "." + p.name, p.array});
    for (const Named<T>& p : head_parameters()) all.push_back(p);
    return all;
}

template <class T>
ParamList<T> StackedAutoencoder<T>::fine_tune_parameters() {
    ParamList<T> p;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string prefix = "layer" + std::to_string(i + 1) + ".";
        p.push_back({prefix + "W1", &layers[i].W1});
        p.push_back({prefix + "b1", &layers[i].b1});
    }
    for (const Named<T>& h : head_parameters()) p.push_back(h);
    return p;
}

template <class T>
ParamList<T> StackedAutoencoder<T>::head_parameters() {
    return head.parameters();
}

template <class T>
Loss<T> StackedAutoencoder<T>::head_loss(const Vars<T>& p, const Var<T>& features, const Var<T>& y) const {
    return head.loss(p, features, y);
}

template <class T>
Loss<T> StackedAutoencoder<T>::fine_tune_loss(const Vars<T>& p, const Var<T>& x, const Var<T>& y) const {
    check(p.size() == 2 * layers.size() + 2, "stacked", "fine_tune_loss: expected " +
          std::to_string(2 * layers.size() + 2) + " parameters, got " + std::to_string(p.size()));
    Var<T> h = x;
    for (std::size_t i = 0; i < layers.size(); ++i)
        h = layers[i].encoder(p[2 * i], p[2 * i + 1], h, layers[i].config().k).h;
    return head_loss({p[p.size() - 2], p.back()}, h, y);
}

template <class T>
LossFn<T> StackedAutoencoder<T>::head_loss_fn(const Array<T>& features, const Array<T>& y) const {
    return [this, &features, &y](const Vars<T>& p) {
        Tape<T>& tape = *p.at(0).tape;
        return head_loss(p, tape.borrow(features), tape.borrow(y));
    };
}

template <class T>
LossFn<T> StackedAutoencoder<T>::fine_tune_loss_fn(const Array<T>& x, const Array<T>& y) const {
    return [this, &x, &y](const Vars<T>& p) {
        Tape<T>& tape = *p.at(0).tape;
        return fine_tune_loss(p, tape.borrow(x), tape.borrow(y));
    };
}

template <class T>
Array<T> StackedAutoencoder<T>::encode(const Array<T>& x) const {
    return features(x, layers.size());
}

template <class T>
Array<T> StackedAutoencoder<T>::probabilities(const Array<T>& x) const {
    return head.probabilities(encode(x));
}

template <class T>
std::vector<std::size_t> StackedAutoencoder<T>::predict(const Array<T>& x) const {
    return head.predict(encode(x));
}

template <class T>
Array<T> StackedAutoencoder<T>::reconstruct(const Array<T>& x) const {
    Array<T> h = encode(x);
    for (std::size_t i = layers.size(); i-- > 0;) h = layers[i].decode(h);
    return h;
}

template <class T>
StackedAutoencoder<T> stacked_sparse(const std::vector<std::size_t>& sizes, std::size_t classes,
                                     const SparseKlOptions& options, double lambda, std::uint64_t seed) {
    check(sizes.size() >= 2, "stacked", "sizes needs the visible size and at least one hidden size");
    std::vector<Autoencoder<T>> layers;
    for (std::size_t i = 1; i < sizes.size(); ++i)
        layers.push_back(sparse_kl<T>(sizes[i - 1], sizes[i], options, seed + i));
    return StackedAutoencoder<T>(std::move(layers), classes, lambda, seed);
}

template class StackedAutoencoder<float>;
template class StackedAutoencoder<double>;
template StackedAutoencoder<float> stacked_sparse(const std::vector<std::size_t>&, std::size_t, const SparseKlOptions&,
                                                  double, std::uint64_t);
template StackedAutoencoder<double> stacked_sparse(const std::vector<std::size_t>&, std::size_t,
                                                   const SparseKlOptions&, double, std::uint64_t);

}  // namespace ae
