// models/model.hpp: a model as one value: a composed autoencoder, optionally a softmax head on its
// code and the input's mean (centring), built from a ModelSpec and saved with it in a .npz model
// file whose spec describes the whole network, so a file rebuilds its model without the registry.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/registry.hpp"
#include "models/softmax.hpp"

namespace ae {

// What a user asks for (a kind of models/registry.hpp, its sizes and options as given), or what
// a model file holds: then also `network`, the composition's lines (version 2), which are the model.
struct ModelSpec {
    std::string kind;                            // see model_kinds(); a user's own name for a composition
    std::vector<std::size_t> sizes;              // visible, hidden[, hidden ...]
    std::map<std::string, std::string> options;  // as given; the rest take the kind's defaults
    std::uint64_t seed = 1;                      // initialisation
    std::vector<std::string> network;            // "encoder = dense 784 196", "term = ...", ...; empty: ask the registry
};

// The spec as "key = value" lines: format, kind, sizes, seed, option.<name> for each option, then
// the network. parse_spec(to_text(s)) == s. parse_spec also reads version-1 specs (no format line,
// options as plain keys), written before layers composed; an unknown version is refused.
std::string to_text(const ModelSpec& spec);
ModelSpec parse_spec(const std::string& text, const std::string& source);
inline constexpr int model_file_version = 2;

template <class T>
class Model {
public:
    // From the registry (spec.network empty; every option checked by name, value and range) or
    // from a model file's network lines.
    explicit Model(const ModelSpec& spec);
    // A user's own composition; its terms must come from models/terms.hpp to be saved.
    explicit Model(Autoencoder<T> network, bool center = false);

    const ModelSpec& spec() const { return m_spec; }
    Autoencoder<T>& network() { return m_network; }
    const Autoencoder<T>& network() const { return m_network; }

    // The softmax head on the code (the stacked kind has one; any model can be given one).
    SoftmaxRegression<T>* head() { return m_head ? &*m_head : nullptr; }
    const SoftmaxRegression<T>* head() const { return m_head ? &*m_head : nullptr; }
    void set_head(SoftmaxRegression<T> head);

    // Every trained array, named as in the model file: the network's, then softmax.W, softmax.b.
    ParamList<T> parameters();
    // What a classifier trains (fine-tuning): the encoder's parameters, then the head's.
    ParamList<T> classifier_parameters();
    // -(1/m) sum y log softmax(head(encoder(x))) + the head's weight decay, with p in the order
    // of classifier_parameters(); x, y (one-hot) and the model must outlive it. Terms
    // "cross_entropy", "weight_decay".
    LossFn<T> classifier_loss_fn(const Array<T>& x, const Array<T>& y) const;

    // With center = true: fit_center stores the mean column of the training data (visible,
    // examples), or set_input_mean a given one (visible, 1); centered(x) subtracts it (x itself
    // otherwise); the networks see centred data.
    bool centers() const { return m_center; }
    void fit_center(const Array<T>& x);
    void set_input_mean(const Array<T>& mean);
    Array<T> centered(const Array<T>& x) const;
    const Array<T>& input_mean() const { return m_mean; }

    // On raw input: centred first when the model centres; reconstruct adds the mean back. encode
    // gives the code, or with `layer` the output of encoder layer `layer`.
    Array<T> encode(const Array<T>& x) const;
    Array<T> encode(const Array<T>& x, std::size_t layer) const;
    Array<T> reconstruct(const Array<T>& x) const;
    std::vector<std::size_t> predict(const Array<T>& x) const;  // needs a head
    std::string describe() const;  // one line: kind, sizes, options

    // The .npz model file: every parameter under its name, the input mean as "input.mean" when the
    // model centres, and the spec with its network in "aezoo.spec" (uint8). Written atomically.
    void save(const std::string& path) const;
    static Model load(const std::string& path);

private:
    ModelSpec m_spec;
    Autoencoder<T> m_network;
    std::optional<SoftmaxRegression<T>> m_head;
    bool m_center = false;
    Array<T> m_mean;  // (visible, 1) once fitted
    const Array<T>& fitted_mean() const;
    Model(const ModelSpec& spec, Autoencoder<T> network);
};

// Parameter names of version-1 model files (W1, layer2.b1, ...) in today's (encoder.0.W, ...):
// spec is the file's; returns the new name, or the name itself when it is not an old one.
std::string current_parameter_name(const ModelSpec& spec, const std::string& name);

extern template class Model<float>;
extern template class Model<double>;

}  // namespace ae
