// models/autoencoder.hpp: the one-hidden-layer autoencoder every model of the zoo composes:
// encoder h = f(W1 x~ + b1) (x~ the corrupted input when denoising; top-k when k-sparse), decoder
// x_hat = g(W2 h + b2), or g(W1^T h + b2) when tied, and a list of named loss terms. A model is a
// factory that fills the config and adds terms; so is a new variant (examples/custom_variant.cpp).
#pragma once
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "layers/corruption.hpp"
#include "layers/dense.hpp"
#include "models/loss.hpp"

namespace ae {

enum class Reconstruction { squared_error, cross_entropy };  // cross-entropy needs a sigmoid decoder

struct AutoencoderConfig {
    std::size_t visible = 0, hidden = 0;
    Activation encoder = Activation::sigmoid, decoder = Activation::sigmoid;
    bool tied = false;  // the decoder's weight is W1^T
    Reconstruction reconstruction = Reconstruction::squared_error;
    Corruption corruption{};  // denoising: the encoder sees a corrupted copy, the loss the clean x
    std::size_t k = 0;        // k-sparse: keep the k largest hidden pre-activations (0: keep all)
    double alpha = 1;         // k-sparse: encode() keeps round(alpha k) units
};

// The encoder's output on some input.
template <class T>
struct Code {
    Var<T> z, a, h;  // pre-activation W1 x + b1, activation f(z), code h = a * mask
    Var<T> mask;     // the top-k selection (a constant); empty when every unit is kept
    Activation f = Activation::sigmoid;
    Var<T> derivative() const;  // dh/dz = f'(z) * mask, recorded on the tape when called
};

// One forward pass on a tape: everything a loss term may use.
template <class T>
struct Pass {
    Var<T> x, x_in;           // the clean input (the target) and the encoder's input
    Code<T> code;             // the encoder's output on x_in
    Var<T> h;                 // = code.h
    Var<T> a, x_hat;          // the decoder's pre-activation and the reconstruction
    Var<T> W1, b1, W2, b2;    // W2 is empty when tied
    Vars<T> weights;          // the weight matrices (weight decay): {W1} or {W1, W2}
    std::function<Code<T>(const Var<T>&)> encode;  // the encoder at these parameters
    std::mt19937_64* rng = nullptr;  // seeded per loss() call: noise drawn here is reproducible
};

template <class T>
using Term = std::function<Var<T>(const Pass<T>& pass)>;

template <class T>
class Autoencoder {
public:
    // Checks the configuration (messages start with `name`) and initialises as UFLDL does:
    // W ~ U[-r, r], r = sqrt(6) / sqrt(hidden + visible + 1), biases 0.
    Autoencoder(std::string name, const AutoencoderConfig& config, std::uint64_t seed = 1);

    // Parameters: W1 (hidden, visible), b1 (hidden, 1), W2 (visible, hidden; empty when tied),
    // b2 (visible, 1).
    Array<T> W1, b1, W2, b2;

    // Adds a named term to the loss (the reconstruction term is always first).
    Autoencoder& add_term(const std::string& name, Term<T> term);

    const std::string& name() const { return m_name; }
    const AutoencoderConfig& config() const { return m_config; }
    void set_k(std::size_t k);  // for a k schedule; checks 1 <= k <= hidden

    // W1, b1, W2, b2 (W2 left out when tied), named as the members.
    ParamList<T> parameters();

    // p: the parameters on a tape, in the order of parameters(); x (visible, m) on the same tape.
    // Noise (corruption, probes, perturbations) comes from a generator seeded with `seed`: the same
    // seed gives the same noise, so a gradient check sees one fixed mask; a trainer passes a new
    // seed each step. Terms: "squared_error" or "cross_entropy", then the added ones.
    Loss<T> loss(const Vars<T>& p, const Var<T>& x, std::uint64_t seed = 0) const;
    Pass<T> forward(const Vars<T>& p, const Var<T>& x, std::mt19937_64& rng) const;

    // The loss on data x (x and the model must outlive the function).
    LossFn<T> loss_fn(const Array<T>& x, std::uint64_t seed = 0) const;

    // The encoder on a tape, keeping k units (0: all).
    Code<T> encoder(const Var<T>& W1, const Var<T>& b1, const Var<T>& x, std::size_t k) const;

    // Plain arrays, no corruption. encode keeps round(alpha k) units; reconstruct uses k.
    Array<T> encode(const Array<T>& x) const;
    Array<T> decode(const Array<T>& h) const;
    Array<T> reconstruct(const Array<T>& x) const;

private:
    std::string m_name;
    AutoencoderConfig m_config;
    std::vector<std::pair<std::string, Term<T>>> m_terms;
};

extern template class Autoencoder<float>;
extern template class Autoencoder<double>;

}  // namespace ae
