// models/model.hpp: any model of the zoo behind one value, built from a ModelSpec (its kind, sizes
// and hyper-parameters as text) and saved with it in a .npz model file, so a file rebuilds its model.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/zoo.hpp"

namespace ae {

struct ModelSpec {
    std::string kind;                            // see model_kinds()
    std::vector<std::size_t> sizes;              // visible, hidden (stacked: visible, hidden1, hidden2, ...)
    std::map<std::string, std::string> options;  // hyper-parameters by name; unset ones take the model's defaults
    std::uint64_t seed = 1;                      // initialisation
};

// Every kind with a one-line description of its options and their defaults. Every kind also takes
// "center" (true|false, default false): the model subtracts the training data's mean from its
// input (k-sparse needs it on all-positive data such as MNIST; see models/k_sparse.hpp).
const std::map<std::string, std::string>& model_kinds();
// The option names a kind accepts (throws naming the kinds there are for an unknown kind).
std::vector<std::string> option_names(const std::string& kind);

// "key = value" lines: kind, sizes, seed, then the options. parse_spec(to_text(s)) == s.
std::string to_text(const ModelSpec& spec);
ModelSpec parse_spec(const std::string& text, const std::string& source);

template <class T>
class Model {
public:
    // Checks the kind, the sizes and every option (unknown names, malformed or out-of-range values),
    // naming the option, its value and what is allowed.
    explicit Model(const ModelSpec& spec);

    const ModelSpec& spec() const { return m_spec; }
    Autoencoder<T>* autoencoder() { return m_ae.get(); }          // null for stacked
    StackedAutoencoder<T>* stacked() { return m_stack.get(); }    // null for the others
    const KSparseOptions* k_schedule() const { return m_spec.kind == "k-sparse" ? &m_k : nullptr; }

    ParamList<T> parameters();                // every trained array, named as in the model file
    const Array<T>& first_weights() const;    // W1 of the (first) encoder: the learned filters

    // With center = true: fit_center stores the mean column of the training data (visible,
    // examples), or set_input_mean a given one (visible, 1); centered(x) subtracts it (x itself
    // otherwise); the networks see centred data.
    bool centers() const { return m_center; }
    void fit_center(const Array<T>& x);
    void set_input_mean(const Array<T>& mean);
    Array<T> centered(const Array<T>& x) const;
    const Array<T>& input_mean() const { return m_mean; }

    // On raw input: centred first when the model centres; reconstruct adds the mean back.
    Array<T> encode(const Array<T>& x) const;
    Array<T> reconstruct(const Array<T>& x) const;
    std::string describe() const;             // one line: kind, sizes, options

    // The .npz model file: every parameter under its name, the input mean as "input.mean" when the
    // model centres, and the spec as text in "aezoo.spec" (uint8). Written atomically.
    void save(const std::string& path);
    static Model load(const std::string& path);

private:
    ModelSpec m_spec;
    KSparseOptions m_k;
    bool m_center = false;
    Array<T> m_mean;  // (visible, 1) once fitted
    const Array<T>& fitted_mean() const;  // m_mean, or throws when none was fitted
    std::unique_ptr<Autoencoder<T>> m_ae;
    std::unique_ptr<StackedAutoencoder<T>> m_stack;
};

extern template class Model<float>;
extern template class Model<double>;

}  // namespace ae
