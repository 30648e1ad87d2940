// layers/layer.hpp: what every layer is. A layer owns its named parameters, draws their initial
// values, and records its forward on the tape; a Sequence (layers/sequence.hpp) composes layers and
// prefixes their names ("encoder.0.W"), which are the model file's keys and the optimizers' too.
// Examples are columns: a layer maps (in, m) to (out, m).
#pragma once
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "layers/params.hpp"

namespace ae {

template <class T>
class Layer {
public:
    virtual ~Layer() = default;
    virtual std::unique_ptr<Layer<T>> clone() const = 0;
    // Its line in a model file ("dense 784 196", "sigmoid", "tied encoder.0.W 196 784");
    // layer_from_text reads it back.
    virtual std::string text() const = 0;
    // Rows out for `in` rows in; throws std::invalid_argument naming both when `in` does not fit.
    virtual std::size_t output_size(std::size_t in) const = 0;
    // The rows in it takes; 0 when any number fits (an activation). A model's first layer fixes its input size.
    virtual std::size_t input_size() const { return 0; }
    // Its own parameters, named in its scope ("W", "b").
    virtual ParamList<T> parameters() { return {}; }
    // Parameters of other layers that it reads (a tied layer: the weight it transposes), by full
    // name, with the shape it needs; the model checks them when it is built.
    virtual std::vector<std::pair<std::string, Shape>> uses() const { return {}; }
    virtual void initialize(std::mt19937_64&) {}
    // x on a tape; p finds its parameters (p["W"]) and any it uses (p.at("encoder.0.W")).
    virtual Var<T> forward(const Var<T>& x, const Bound<T>& p) const = 0;
};

}  // namespace ae
