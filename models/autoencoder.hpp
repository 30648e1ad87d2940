// models/autoencoder.hpp: the autoencoder every model of the zoo is: optional input corruption
// (denoising), an encoder (a Sequence), an optional top-k selection of the code (k-sparse), a
// decoder (a Sequence, or the encoder's mirror with tied weights), and named loss terms that read
// the pass by name. A model of the zoo is a short function that composes these (models/*.cpp); so
// is a new variant (examples/).
//
//   Sequence<double> encoder = dense_stack<double>({784, 256, 64}, {Activation::tanh, Activation::tanh});
//   Autoencoder<double> model("deep-cae", encoder, mirror(encoder, "encoder", true, Activation::sigmoid));
//   model.add_term(term_named<double>("cross_entropy"));
//   model.add_term(term_named<double>("contractive", {{"form", "exact"}, {"lambda", "0.1"}}));
#pragma once
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "layers/sequence.hpp"
#include "models/loss.hpp"
#include "transforms/corruption.hpp"

namespace ae {

template <class T>
class Autoencoder;

enum class Reconstruction { squared_error, cross_entropy };  // cross-entropy needs a sigmoid decoder

// The encoder's output on some input.
template <class T>
struct Code {
    Vars<T> layers;  // each encoder layer's output, in order
    Var<T> mask;     // the top-k selection (a constant); empty when every unit is kept
    Var<T> h;        // the code: layers.back(), times the mask
};

// One forward pass on a tape: everything a loss term may use, by name.
template <class T>
struct Pass {
    Var<T> x, x_in;    // the clean input (the target) and the encoder's input (corrupted, if denoising)
    Code<T> code;      // the encoder on x_in
    Var<T> h;          // = code.h, what the decoder sees
    Vars<T> decoder;   // each decoder layer's output, in order
    Var<T> x_hat;      // the reconstruction, decoder.back()
    Vars<T> weights;   // every weight matrix (not the biases), each once: what weight decay sees
    const Autoencoder<T>* model = nullptr;
    const Bound<T>* params = nullptr;  // the parameters on the tape, by name
    ExampleNoise* noise = nullptr;     // seeded per loss() call, per example: reproducible, whatever the shard

    // The input of the decoder's final sigmoid (for a stable cross-entropy); throws when the
    // decoder does not end in a sigmoid.
    Var<T> logits() const;
    // The encoder (and its top-k) on another input, at these parameters.
    Code<T> encode(const Var<T>& input) const;
};

template <class T>
using Term = std::function<Var<T>(const Pass<T>& pass)>;

// A term of the table (models/terms.hpp) by name and options, or a user's own function (text
// empty; such a model cannot be written to a model file).
template <class T>
struct NamedTerm {
    std::string name, text;
    Term<T> term;
};

template <class T>
class Autoencoder {
public:
    // Checks that the layers chain (decoder's output = encoder's input) and that every tie names
    // an encoder weight of the right shape; initialises every layer from `seed` (encoder first).
    Autoencoder(std::string name, Sequence<T> encoder, Sequence<T> decoder, std::uint64_t seed = 1);

    const std::string& name() const { return m_name; }
    const Sequence<T>& encoder() const { return m_encoder; }
    const Sequence<T>& decoder() const { return m_decoder; }
    std::size_t visible() const { return m_visible; }
    std::size_t code_size() const { return m_code; }
    // The activation the encoder ends in, seen through a pooling after it (linear when there is none).
    Activation code_activation() const;
    // The first layer's weights, the learned filters: a dense layer's W (a row per unit) or a
    // conv's kernels (a row per output channel, channel-major).
    const Array<T>& first_weights() const;
    // The encoder is one dense layer and an activation: the closed-form contractive penalty applies.
    bool single_dense_encoder() const;

    // Denoising: the encoder sees a corrupted copy of the input, the loss compares with the clean one.
    Autoencoder& corrupt(const Corruption& c);
    const Corruption& corruption() const { return m_corruption; }
    // k-sparse: keep the k largest code units of each example (alpha k at encode()); with k_start,
    // training steps start from k_start and fall linearly to k over the first half (at_step).
    Autoencoder& keep_top_k(std::size_t k, double alpha = 1, std::size_t k_start = 0);
    std::size_t k() const { return m_k; }          // 0: every unit kept
    std::size_t target_k() const { return m_k_target; }
    double alpha() const { return m_alpha; }
    std::size_t k_start() const { return m_k_start; }
    // What changes per training step, the model's own: the k of step `step` of `steps` (1-based;
    // step 1 uses k_start). step 0 means "not training": the target k. train() calls it.
    void at_step(std::size_t step, std::size_t steps);

    // Terms in the order added; the loss is their sum.
    Autoencoder& add_term(const std::string& name, Term<T> term);
    Autoencoder& add_term(NamedTerm<T> term);
    const std::vector<NamedTerm<T>>& terms() const { return m_terms; }

    // Every parameter: encoder.<i>.<name>, then decoder.<i>.<name>.
    ParamList<T> parameters();
    const std::vector<std::string>& parameter_names() const { return m_names; }

    // p: the parameters on a tape, in the order of parameters(); x (visible, m) on the same tape.
    // Noise (corruption, probes, perturbations) is drawn per example from `seed` (util/random.hpp):
    // the same seed gives the same noise, so a gradient check sees one fixed mask; a trainer passes
    // a new seed each step, and a shard of a batch (Tape::shard) gets the whole batch's noise.
    // Its pass overwrites the pre-activations that no term reads (Sequence::forward's in_place):
    // not the decoder's logits when a term is cross_entropy, none when a term is a user's own.
    Loss<T> loss(const Vars<T>& p, const Var<T>& x, std::uint64_t seed = 0) const;
    // Every layer's output kept readable unless in_place (then as loss() says).
    Pass<T> forward(const Bound<T>& p, const Var<T>& x, ExampleNoise& noise, bool in_place = false) const;
    // The loss on data x (x and the model must outlive the function).
    LossFn<T> loss_fn(const Array<T>& x, std::uint64_t seed = 0) const;

    // The encoder on a tape, keeping k code units (0: all).
    Code<T> encode(const Bound<T>& p, const Var<T>& x, std::size_t k, bool in_place = false) const;

    // Plain arrays, no corruption. encode keeps round(alpha k) units and gives the code, or with
    // `layer` the output of encoder layer `layer` (0-based); reconstruct uses k.
    Array<T> encode(const Array<T>& x) const;
    Array<T> encode(const Array<T>& x, std::size_t layer) const;
    Array<T> decode(const Array<T>& h) const;  // refused by a decoder that unpools (no encoder pass)
    Array<T> reconstruct(const Array<T>& x) const;

    // The composition as model-file lines ("encoder = dense 784 196", "term = kl_sparsity rho 0.1
    // ..."); throws naming a term that is a user's function.
    std::vector<std::string> text() const;

private:
    std::string m_name;
    Sequence<T> m_encoder, m_decoder;
    std::size_t m_visible = 0, m_code = 0;
    std::vector<std::string> m_names;
    std::vector<std::size_t> m_weights;  // which parameters are weight matrices
    Corruption m_corruption{};
    std::size_t m_k = 0, m_k_target = 0, m_k_start = 0;
    double m_alpha = 1;
    std::vector<NamedTerm<T>> m_terms;
    std::vector<std::string> m_inputs;  // "encoder.<i>.input": the pass's values an unpooling may read
    std::size_t m_entries = 0;          // every layer's output for one example: what inference holds
    // Inference: f(Bound, x) -> Array on x in chunks of examples, recording off, memory bounded whatever x.
    template <class F> Array<T> by_chunks(const Array<T>& x, F&& f) const;
    // The decoder on the code of an encoder pass on x_in (an unpooling reads that pass).
    Vars<T> decode(const Bound<T>& p, const Code<T>& code, const Var<T>& x_in, bool in_place = false) const;
};

// The zoo's network: dense layers through sizes {visible, hidden1, ..., code}, each followed by
// `encoder`, and the mirrored decoder (tied: the encoder's weights transposed) ending in `decoder`,
// initialised from seed. No terms yet.
template <class T>
Autoencoder<T> dense_autoencoder(const std::string& name, const std::vector<std::size_t>& sizes, Activation encoder,
                                 Activation decoder, bool tied, std::uint64_t seed);

// Adds the reconstruction term, "squared_error" or "cross_entropy" (models/terms.hpp).
template <class T>
Autoencoder<T>& add_reconstruction(Autoencoder<T>& model, Reconstruction r);

extern template class Autoencoder<float>;
extern template class Autoencoder<double>;

}  // namespace ae
