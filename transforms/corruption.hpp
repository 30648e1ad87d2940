// transforms/corruption.hpp: the denoising autoencoder's corruptions (Vincent et al. 2008, 2010). The
// noise is drawn once per step as plain arrays, each example's from its own generator
// (util/random.hpp), and enters the tape as constants: x~ = keep * x + add, so the gradient still
// flows to x and the loss compares with x.
#pragma once
#include <random>
#include <string>

#include "autodiff/tape.hpp"
#include "util/random.hpp"

namespace ae {

struct Corruption {
    enum Kind { none, masking, gaussian, salt_and_pepper } kind = none;
    double level = 0;          // q (masking), sigma (gaussian), nu (salt and pepper)
    double low = 0, high = 1;  // the values salt and pepper writes
};

// Each input set to 0 with probability q, q in [0, 1) (the documents' masking noise).
Corruption masking_noise(double q);
// x + N(0, sigma^2) on every input, sigma >= 0.
Corruption gaussian_noise(double sigma);
// Each input, with probability nu in [0, 1], set to low or high by a fair coin (low <= high).
Corruption salt_and_pepper(double nu, double low = 0, double high = 1);

std::string name_of(const Corruption& c);  // "masking (q = 0.25)", ...
// Its model-file text, "masking 0.25", "gaussian 0.2", "salt-and-pepper 0.1 0 1", and back.
std::string text_of(const Corruption& c);
Corruption corruption_from_text(const std::string& text);

// Throws std::invalid_argument naming `where`, the parameter, its value and the allowed range.
void validate(const Corruption& c, const std::string& where);

// x~ = keep * x + add; an empty array stands for "all ones" (keep) or "all zeros" (add).
template <class T>
struct Noise {
    Array<T> keep, add;
};

// One draw of `noise` for an array of `shape` (rows, examples).
template <class T> Noise<T> draw_noise(const Corruption& c, const Shape& shape, ExampleNoise& noise);

// On the tape: keep and add enter as constants (leaves).
template <class T> Var<T> corrupt(const Var<T>& x, const Noise<T>& noise);
// Plain arrays, for data pipelines and tests.
template <class T> Array<T> corrupt(const Array<T>& x, const Noise<T>& noise);

}  // namespace ae
