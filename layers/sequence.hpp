// layers/sequence.hpp: layers in a row, the encoders and decoders of any depth.
//
//   Sequence<double> encoder{Dense<double>(784, 256), Activate<double>(Activation::tanh),
//                            Dense<double>(256, 64), Activate<double>(Activation::tanh)};
//
// Parameter names are hierarchical and stable, "<scope>.<index>.<name>" (encoder.0.W, encoder.2.b):
// the keys of model files and of optimizer state. Copying a Sequence copies its layers.
#pragma once
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "layers/activation.hpp"
#include "layers/conv.hpp"
#include "layers/dense.hpp"

namespace ae {

template <class T>
class Sequence {
public:
    Sequence() = default;
    template <class... L, class = std::enable_if_t<(std::is_base_of_v<Layer<T>, L> && ...)>>
    explicit Sequence(L... layers) {
        (add(std::move(layers)), ...);
    }
    Sequence(const Sequence& other);
    Sequence& operator=(const Sequence& other);
    Sequence(Sequence&&) noexcept = default;
    Sequence& operator=(Sequence&&) noexcept = default;

    template <class L, class = std::enable_if_t<std::is_base_of_v<Layer<T>, L>>>
    Sequence& add(L layer) {
        return add(std::unique_ptr<Layer<T>>(std::make_unique<L>(std::move(layer))));
    }
    Sequence& add(std::unique_ptr<Layer<T>> layer);

    std::size_t size() const { return m_layers.size(); }
    const Layer<T>& operator[](std::size_t i) const { return *m_layers.at(i); }
    Layer<T>& operator[](std::size_t i) { return *m_layers.at(i); }

    // Rows out for `in` rows in; throws naming the first layer that does not fit ("encoder.2 (dense
    // 500 250) takes 500 inputs, given 1000").
    std::size_t output_size(std::size_t in, const std::string& scope) const;
    // Every layer's parameters, named "<scope>.<index>.<name>", in order.
    ParamList<T> parameters(const std::string& scope);
    void initialize(std::mt19937_64& rng);
    // Each layer's output in order (back() is the sequence's); p is the model's binding, and the
    // layers find their parameters under `scope`. With `in_place`, an activation whose derivative
    // needs only its output (sigmoid, tanh, relu) overwrites the dense layer's output before it, so
    // a layer holds one array, not two; that pre-activation can then not be read (Tape::check
    // throws), so the caller asks for it only when nothing else reads it.
    Vars<T> forward(const Var<T>& x, const Bound<T>& p, const std::string& scope, bool in_place = false) const;
    // One line per layer (Layer::text).
    std::vector<std::string> text() const;

private:
    std::vector<std::unique_ptr<Layer<T>>> m_layers;
};

// The layer a line of Layer::text describes: "dense IN OUT", "tied NAME IN OUT", an activation's
// name, an image layer's line (layers/conv.hpp); throws naming the line and the kinds there are. The one table of layer kinds.
template <class T> std::unique_ptr<Layer<T>> layer_from_text(const std::string& line);
template <class T> Sequence<T> sequence_from_text(const std::vector<std::string>& lines);

// Dense layers through the sizes, each followed by its activation: sizes {784, 256, 64} and
// activations {tanh, tanh} give dense 784 256, tanh, dense 256 64, tanh.
template <class T>
Sequence<T> dense_stack(const std::vector<std::size_t>& sizes, const std::vector<Activation>& activations);

// The decoder that mirrors an encoder named `scope` of dense and conv layers, each with its
// activation, and poolings: the layers in reverse with the shapes transposed (a dense layer by a
// dense layer, a conv by a deconv; tied: reading the encoder's W), each followed by the activation
// of the representation it reconstructs, the last by `output`; a pooling by upsampling, or with
// `switches` a max pooling by unpooling at its positions (Upsample).
template <class T>
Sequence<T> mirror(const Sequence<T>& encoder, const std::string& scope, bool tied, Activation output,
                   bool switches = false);

extern template class Sequence<float>;
extern template class Sequence<double>;

}  // namespace ae
