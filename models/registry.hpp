// models/registry.hpp: the one table of model kinds. Each row: the name (--model), the paper in one
// line, its options (type, default, allowed values: util/options.hpp) and its builder. The command
// line's flags and --help, option validation, the model file's spec and the README's table all read
// it. Every kind also takes `center` (true|false, default false: subtract the training data's mean).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/autoencoder.hpp"
#include "util/options.hpp"

namespace ae {

template <class T>
using Builder = Autoencoder<T> (*)(const std::vector<std::size_t>& sizes, const Options& options, std::uint64_t seed);

struct ModelKind {
    std::string name, paper, summary;
    std::vector<OptionSpec> options;  // center and the kind's own
    bool classifier = false;          // a softmax head on the code (options classes, head-lambda)
    Builder<float> build_float;
    Builder<double> build_double;
};

const std::vector<ModelKind>& model_kinds();
// Throws naming the kinds there are.
const ModelKind& model_kind(const std::string& name);

// The kind's network from sizes {visible, hidden[, hidden ...]} and options as text (checked:
// unknown names, malformed or out-of-range values are refused by name).
template <class T>
Autoencoder<T> build_model(const ModelKind& kind, const std::vector<std::size_t>& sizes, const Options& options,
                           std::uint64_t seed);

// The README's table of kinds, as Markdown (docs and a test keep the README in step with it).
std::string model_table_markdown();

}  // namespace ae
