// models/terms.hpp: the table of loss terms a model file can name. Each row: the term's name (also
// its name in the loss, the log and `aezoo grad`), a line of help, its options (util/options.hpp),
// and how it reads the pass. The functions themselves are in terms/ (one function each).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "models/autoencoder.hpp"
#include "util/options.hpp"

namespace ae {

struct TermKind {
    std::string name, help;
    std::vector<OptionSpec> options;
};

// Every term: squared_error, cross_entropy, weight_decay, kl_sparsity, squared_sparsity,
// contractive, stochastic_contractive, contractive_h.
const std::vector<TermKind>& term_kinds();

// The term called `name` with the given options (the rest at their defaults), for `model`:
// checked against the model when made (cross_entropy needs a sigmoid output, the sparsity terms a
// sigmoid or tanh code, the closed-form contractive penalties a single dense encoder layer), each
// refusal naming the term, the layer and what would work instead.
template <class T>
NamedTerm<T> make_term(const Autoencoder<T>& model, const std::string& name,
                       const std::map<std::string, std::string>& options = {});
// The same from a model file's line, "kl_sparsity beta 3 rho 0.1".
template <class T> NamedTerm<T> term_from_text(const Autoencoder<T>& model, const std::string& text);

}  // namespace ae
