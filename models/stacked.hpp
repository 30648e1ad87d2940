// models/stacked.hpp: stacked autoencoder (Bengio et al. 2007, "Greedy layer-wise training of deep
// networks"; UFLDL): greedy layer-wise pretraining, each layer on the codes of the one below, then a
// softmax head on the top codes, then fine-tuning of encoders and head together. The pieces are
// here; the loops that drive them belong to a trainer (tests/test_models.cpp drives one).
#pragma once
#include <vector>

#include "models/softmax.hpp"
#include "models/sparse_kl.hpp"

namespace ae {

template <class T>
class StackedAutoencoder {
public:
    // Layer i's visible size must be layer i-1's hidden size. lambda: the head's weight decay.
    StackedAutoencoder(std::vector<Autoencoder<T>> layers, std::size_t classes, double lambda = 1e-4,
                       std::uint64_t seed = 1);

    std::vector<Autoencoder<T>> layers;  // each with its decoder, for pretraining
    SoftmaxRegression<T> head;           // on the top codes: head.W (classes, top hidden), head.b

    // Pretraining layer i: its data is features(x, i), x encoded by layers 0..i-1; then train
    // layers[i] on it with layers[i].loss_fn(data).
    Array<T> features(const Array<T>& x, std::size_t depth) const;

    // "layer1.W1", "layer1.b1", "layer1.W2", "layer1.b2", ..., "softmax.W", "softmax.b": every array.
    ParamList<T> parameters();
    // What fine-tuning changes: each layer's W1 and b1, then softmax.W and softmax.b.
    ParamList<T> fine_tune_parameters();
    ParamList<T> head_parameters();  // softmax.W, softmax.b

    // The head on fixed features (classes x m one-hot y). Terms "cross_entropy", "weight_decay".
    Loss<T> head_loss(const Vars<T>& head, const Var<T>& features, const Var<T>& y) const;
    // The whole stack, p in the order of fine_tune_parameters(). Terms as head_loss.
    Loss<T> fine_tune_loss(const Vars<T>& p, const Var<T>& x, const Var<T>& y) const;
    // The same on data (the arrays and the model must outlive the functions).
    LossFn<T> head_loss_fn(const Array<T>& features, const Array<T>& y) const;
    LossFn<T> fine_tune_loss_fn(const Array<T>& x, const Array<T>& y) const;

    Array<T> encode(const Array<T>& x) const;         // the top layer's code
    Array<T> probabilities(const Array<T>& x) const;  // softmax, (classes, m)
    std::vector<std::size_t> predict(const Array<T>& x) const;
    Array<T> reconstruct(const Array<T>& x) const;    // up through every encoder, down every decoder

};

// Layers of sparse autoencoders: sizes = {visible, hidden1, hidden2, ...}.
template <class T>
StackedAutoencoder<T> stacked_sparse(const std::vector<std::size_t>& sizes, std::size_t classes,
                                     const SparseKlOptions& options = {}, double lambda = 1e-4,
                                     std::uint64_t seed = 1);

extern template class StackedAutoencoder<float>;
extern template class StackedAutoencoder<double>;

}  // namespace ae
