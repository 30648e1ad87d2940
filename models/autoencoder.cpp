// models/autoencoder.cpp: forward pass, loss and plain-array inference of the zoo's autoencoder.
#include "models/autoencoder.hpp"

#include <cmath>
#include <limits>

#include "autodiff/functions.hpp"
#include "layers/check.hpp"
#include "layers/losses.hpp"
#include "layers/top_k.hpp"

namespace ae {

template <class T>
Var<T> Code<T>::derivative() const {
    Var<T> d = activation_derivative(z, a, f);
    return mask ? d * mask : d;
}

template <class T>
Autoencoder<T>::Autoencoder(std::string name, const AutoencoderConfig& config, std::uint64_t seed)
    : m_name(std::move(name)), m_config(config) {
    const double inf = std::numeric_limits<double>::infinity();
    check_range(m_name, "visible", double(config.visible), '[', 1, inf, ')');
    check_range(m_name, "hidden", double(config.hidden), '[', 1, inf, ')');
    validate(config.corruption, m_name);
    if (config.k != 0) check_range(m_name, "k", double(config.k), '[', 1, double(config.hidden), ']');
    check_range(m_name, "alpha", config.alpha, '[', 1, inf, ')');
    check(config.reconstruction != Reconstruction::cross_entropy || config.decoder == Activation::sigmoid,
          m_name, "cross-entropy needs a sigmoid decoder, not " + name_of(config.decoder));
    std::mt19937_64 rng(seed);
    const double r = ufldl_radius(config.hidden, config.visible);
    W1 = uniform<T>(config.hidden, config.visible, r, rng);
    b1 = xt::zeros<T>({config.hidden, std::size_t(1)});
    if (!config.tied) W2 = uniform<T>(config.visible, config.hidden, r, rng);
    b2 = xt::zeros<T>({config.visible, std::size_t(1)});
}

template <class T>
Autoencoder<T>& Autoencoder<T>::add_term(const std::string& name, Term<T> term) {
    m_terms.emplace_back(name, std::move(term));
    return *this;
}

template <class T>
void Autoencoder<T>::set_k(std::size_t k) {
    check_range(m_name, "k", double(k), '[', 1, double(m_config.hidden), ']');
    m_config.k = k;
}

template <class T>
ParamList<T> Autoencoder<T>::parameters() {
    if (m_config.tied) return {{"W1", &W1}, {"b1", &b1}, {"b2", &b2}};
    return {{"W1", &W1}, {"b1", &b1}, {"W2", &W2}, {"b2", &b2}};
}

template <class T>
Code<T> Autoencoder<T>::encoder(const Var<T>& W1v, const Var<T>& b1v, const Var<T>& x, std::size_t k) const {
    Code<T> c;
    c.f = m_config.encoder;
    c.z = affine(W1v, x, b1v);
    c.a = activate(c.z, c.f);
    c.h = c.a;
    if (k > 0 && k < m_config.hidden) {
        c.mask = x.tape->leaf(top_k_mask(c.z.value(), k));
        c.h = c.a * c.mask;
    }
    return c;
}

template <class T>
Pass<T> Autoencoder<T>::forward(const Vars<T>& p, const Var<T>& x, std::mt19937_64& rng) const {
    const std::size_t n = m_config.tied ? 3 : 4;
    check(p.size() == n, m_name, "expected " + std::to_string(n) + " parameters (" +
                                     (m_config.tied ? "W1, b1, b2" : "W1, b1, W2, b2") + "), got " +
                                     std::to_string(p.size()));
    if (rows(x) != m_config.visible)
        throw ShapeError(m_name + ": input x against W1", x.shape(), p[0].shape(), "do not fit");
    Pass<T> f;
    f.W1 = p[0];
    f.b1 = p[1];
    if (!m_config.tied) f.W2 = p[2];
    f.b2 = p[n - 1];
    f.weights = m_config.tied ? Vars<T>{f.W1} : Vars<T>{f.W1, f.W2};
    f.x = f.x_in = x;
    if (m_config.corruption.kind != Corruption::none)
        f.x_in = corrupt(x, draw_noise<T>(m_config.corruption, x.shape(), rng));
    f.code = encoder(f.W1, f.b1, f.x_in, m_config.k);
    f.h = f.code.h;
    f.a = affine(m_config.tied ? f.W1 : f.W2, f.h, f.b2, m_config.tied);
    f.x_hat = activate(f.a, m_config.decoder);
    f.encode = [this, W1v = f.W1, b1v = f.b1, k = m_config.k](const Var<T>& in) { return encoder(W1v, b1v, in, k); };
    f.rng = &rng;
    return f;
}

template <class T>
Loss<T> Autoencoder<T>::loss(const Vars<T>& p, const Var<T>& x, std::uint64_t seed) const {
    std::mt19937_64 rng(seed);
    const Pass<T> f = forward(p, x, rng);
    Loss<T> l;
    if (m_config.reconstruction == Reconstruction::cross_entropy) l.add("cross_entropy", cross_entropy_logits(f.a, f.x));
    else l.add("squared_error", squared_error(f.x_hat, f.x));
    for (const auto& [name, term] : m_terms) l.add(name, term(f));
    return l;
}

template <class T>
LossFn<T> Autoencoder<T>::loss_fn(const Array<T>& x, std::uint64_t seed) const {
    return [this, &x, seed](const Vars<T>& p) { return loss(p, p.at(0).tape->borrow(x), seed); };
}

template <class T>
Array<T> Autoencoder<T>::encode(const Array<T>& x) const {
    const std::size_t k = m_config.k == 0 ? 0
        : std::min(m_config.hidden, std::size_t(std::lround(m_config.alpha * double(m_config.k))));
    Tape<T> tape;
    RecordingGuard<T> off(tape, false);
    return encoder(tape.borrow(W1), tape.borrow(b1), tape.borrow(x), k).h.value();
}

template <class T>
Array<T> Autoencoder<T>::decode(const Array<T>& h) const {
    Tape<T> tape;
    RecordingGuard<T> off(tape, false);
    const Var<T> a = affine(tape.borrow(m_config.tied ? W1 : W2), tape.borrow(h), tape.borrow(b2), m_config.tied);
    return activate(a, m_config.decoder).value();
}

template <class T>
Array<T> Autoencoder<T>::reconstruct(const Array<T>& x) const {
    Tape<T> tape;
    RecordingGuard<T> off(tape, false);
    return decode(encoder(tape.borrow(W1), tape.borrow(b1), tape.borrow(x), m_config.k).h.value());
}

template struct Code<float>;
template struct Code<double>;
template class Autoencoder<float>;
template class Autoencoder<double>;

}  // namespace ae
