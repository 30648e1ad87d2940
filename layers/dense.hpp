// layers/dense.hpp: the dense layer W x + b, and the tied one W^T x + b that reads another dense
// layer's W (the decoder of a tied autoencoder); each one GEMM with the bias folded in (affine).
#pragma once
#include <string>

#include "layers/layer.hpp"

namespace ae {

// W (out, in), b (out, 1). Initialised as UFLDL does: W ~ U[-r, r], r = sqrt(6 / (in + out + 1)),
// b = 0.
template <class T>
class Dense : public Layer<T> {
public:
    Dense(std::size_t in, std::size_t out);
    Array<T> W, b;
    std::size_t in() const { return W.shape(1); }
    std::size_t out() const { return W.shape(0); }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Dense>(*this); }
    std::string text() const override;
    std::size_t output_size(std::size_t in) const override;
    std::size_t input_size() const override { return in(); }
    ParamList<T> parameters() override { return {{"W", &W, true}, {"b", &b, false}}; }
    void initialize(std::mt19937_64& rng) override;
    Var<T> forward(const Var<T>& x, const Bound<T>& p) const override;
};

// W^T x + b, W the parameter called `weight` (in, out) of another layer; b (out, 1) its own, 0.
template <class T>
class TiedDense : public Layer<T> {
public:
    TiedDense(std::string weight, std::size_t in, std::size_t out);
    Array<T> b;
    const std::string& weight() const { return m_weight; }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<TiedDense>(*this); }
    std::string text() const override;
    std::size_t output_size(std::size_t in) const override;
    std::size_t input_size() const override { return m_in; }
    ParamList<T> parameters() override { return {{"b", &b, false}}; }
    std::vector<std::pair<std::string, Shape>> uses() const override { return {{m_weight, Shape{m_in, b.shape(0)}}}; }
    Var<T> forward(const Var<T>& x, const Bound<T>& p) const override;

private:
    std::string m_weight;
    std::size_t m_in;
};

// Entries drawn from U[-r, r].
template <class T> Array<T> uniform(std::size_t rows, std::size_t cols, double r, std::mt19937_64& rng);

// UFLDL's initialisation radius for a layer between `hidden` and `visible` units:
// r = sqrt(6) / sqrt(hidden + visible + 1).
double ufldl_radius(std::size_t hidden, std::size_t visible);

}  // namespace ae
