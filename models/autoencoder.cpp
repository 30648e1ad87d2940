// models/autoencoder.cpp: forward pass, loss and plain-array inference of the composed autoencoder.
#include "models/autoencoder.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include <xtensor/xview.hpp>

#include "autodiff/functions.hpp"
#include "models/terms.hpp"
#include "transforms/top_k.hpp"
#include "util/check.hpp"

namespace ae {

template <class T>
Var<T> Pass<T>::logits() const {
    const Sequence<T>& d = model->decoder();
    const auto* out = dynamic_cast<const Activate<T>*>(&d[d.size() - 1]);
    if (!out || out->function() != Activation::sigmoid || d.size() < 2)
        throw std::invalid_argument(model->name() + ": cross-entropy needs a decoder that ends in a sigmoid, not " +
                                    d[d.size() - 1].text());
    return decoder[decoder.size() - 2];
}

template <class T>
Code<T> Pass<T>::encode(const Var<T>& input) const {
    return model->encode(*params, input, model->k());
}

template <class T>
Autoencoder<T>::Autoencoder(std::string name, Sequence<T> encoder, Sequence<T> decoder, std::uint64_t seed)
    : m_name(std::move(name)), m_encoder(std::move(encoder)), m_decoder(std::move(decoder)) {
    check(m_encoder.size() > 0 && m_decoder.size() > 0, m_name, "an autoencoder needs an encoder and a decoder");
    m_visible = m_encoder[0].input_size();
    check(m_visible > 0, m_name, "the encoder must start with a layer that fixes the input size (dense, conv), not " +
                                     m_encoder[0].text());
    try {
        m_code = m_encoder.output_size(m_visible, "encoder");
        const std::size_t out = m_decoder.output_size(m_code, "decoder");
        if (out != m_visible)
            throw std::invalid_argument("the decoder gives " + std::to_string(out) + " outputs for " +
                                        std::to_string(m_visible) + " inputs");
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(m_name + ": " + e.what());
    }
    std::mt19937_64 rng(seed);
    m_encoder.initialize(rng);
    m_decoder.initialize(rng);
    const ParamList<T> params = parameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
        m_names.push_back(params[i].name);
        if (params[i].weight) m_weights.push_back(i);
    }
    for (std::size_t i = 0; i < m_encoder.size(); ++i) m_inputs.push_back("encoder." + std::to_string(i) + ".input");
    std::size_t n = m_visible;
    for (const Sequence<T>* s : {&m_encoder, &m_decoder})
        for (std::size_t i = 0; i < s->size(); ++i) m_entries += n = (*s)[i].output_size(n);
    for (std::size_t i = 0; i < m_decoder.size(); ++i)
        if (const auto* u = dynamic_cast<const Upsample<T>*>(&m_decoder[i]); u && !u->switches().empty()) {
            const Pool<T>* pool = nullptr;
            for (std::size_t j = 0; j < m_encoder.size(); ++j)
                if (u->switches() == "encoder." + std::to_string(j)) pool = dynamic_cast<const Pool<T>*>(&m_encoder[j]);
            check(pool && pool->kind() == Pooling::max && pool->window().text() == u->window().text(), m_name,
                  "decoder." + std::to_string(i) + " (" + u->text() + ") unpools at " + u->switches() +
                      ", which is not a max pooling of this encoder over " + u->window().text());
        }
    for (const Sequence<T>* s : {&m_encoder, &m_decoder})
        for (std::size_t i = 0; i < s->size(); ++i)
            for (const auto& [used, shape] : (*s)[i].uses()) {
                const Array<T>* a = nullptr;
                for (const Named<T>& p : params)
                    if (p.name == used && p.weight) a = p.array;
                check(a != nullptr, m_name, (*s)[i].text() + " ties to " + used + ", which is not a weight of this model");
                check(shape_of(*a) == shape, m_name,
                      (*s)[i].text() + " needs " + used + " of shape " + str(shape) + ", it is " + str(shape_of(*a)));
            }
}

template <class T>
Activation Autoencoder<T>::code_activation() const {
    std::size_t i = m_encoder.size() - 1;
    while (i > 0 && dynamic_cast<const Pool<T>*>(&m_encoder[i])) --i;  // a pooling keeps its input's range
    const auto* f = dynamic_cast<const Activate<T>*>(&m_encoder[i]);
    return f ? f->function() : Activation::linear;
}

template <class T>
const Array<T>& Autoencoder<T>::first_weights() const {
    if (const auto* d = dynamic_cast<const Dense<T>*>(&m_encoder[0])) return d->W;
    if (const auto* c = dynamic_cast<const Conv<T>*>(&m_encoder[0])) return c->W;
    throw std::invalid_argument(m_name + ": the encoder's first layer (" + m_encoder[0].text() +
                                ") has no filters to draw: it is not a dense or conv layer");
}

template <class T>
bool Autoencoder<T>::single_dense_encoder() const {
    return m_encoder.size() == 2 && dynamic_cast<const Dense<T>*>(&m_encoder[0]) != nullptr &&
           dynamic_cast<const Activate<T>*>(&m_encoder[1]) != nullptr;
}

template <class T>
Autoencoder<T>& Autoencoder<T>::corrupt(const Corruption& c) {
    validate(c, m_name);
    m_corruption = c;
    return *this;
}

template <class T>
Autoencoder<T>& Autoencoder<T>::keep_top_k(std::size_t k, double alpha, std::size_t k_start) {
    check_range(m_name, "k", double(k), '[', 1, double(m_code), ']');
    check_range(m_name, "alpha", alpha, '[', 1, inf, ')');
    if (k_start != 0) check_range(m_name, "k-start", double(k_start), '[', double(k), double(m_code), ']');
    m_k = m_k_target = k;
    m_alpha = alpha;
    m_k_start = k_start;
    return *this;
}

template <class T>
void Autoencoder<T>::at_step(std::size_t step, std::size_t steps) {
    if (m_k_target == 0) return;
    m_k = step == 0 || m_k_start == 0 ? m_k_target : k_schedule(step - 1, steps, m_k_start, m_k_target);
}

template <class T>
Autoencoder<T>& Autoencoder<T>::add_term(const std::string& name, Term<T> term) {
    return add_term({name, "", std::move(term)});
}

template <class T>
Autoencoder<T>& Autoencoder<T>::add_term(NamedTerm<T> term) {
    for (const NamedTerm<T>& t : m_terms) check(t.name != term.name, m_name, "a second term called " + term.name);
    m_terms.push_back(std::move(term));
    return *this;
}

template <class T>
ParamList<T> Autoencoder<T>::parameters() {
    ParamList<T> p = m_encoder.parameters("encoder");
    for (const Named<T>& d : m_decoder.parameters("decoder")) p.push_back(d);
    return p;
}

template <class T>
Code<T> Autoencoder<T>::encode(const Bound<T>& p, const Var<T>& x, std::size_t k, bool in_place) const {
    Code<T> c;
    c.layers = m_encoder.forward(x, p, "encoder", in_place);
    c.h = c.layers.back();
    if (k > 0 && k < m_code) {
        c.mask = x.tape->leaf(top_k_mask(c.h.value(), k));
        c.h = c.h * c.mask;
    }
    return c;
}

template <class T>
Pass<T> Autoencoder<T>::forward(const Bound<T>& p, const Var<T>& x, ExampleNoise& noise, bool in_place) const {
    if (rows(x) != m_visible)
        throw ShapeError(m_name + ": the input has " + std::to_string(rows(x)) + " rows, the model " +
                             std::to_string(m_visible) + " inputs",
                         x.shape(), Shape{m_visible, cols(x)}, "differ");
    Pass<T> f;
    f.model = this;
    f.params = &p;
    f.noise = &noise;
    f.x = f.x_in = x;
    if (m_corruption.kind != Corruption::none) f.x_in = ae::corrupt(x, draw_noise<T>(m_corruption, x.shape(), noise));
    // What the terms read: a user's term anything; cross_entropy the decoder's logits.
    bool user_term = false, logits = false;
    for (const NamedTerm<T>& t : m_terms) user_term |= t.text.empty(), logits |= t.name == "cross_entropy";
    in_place = in_place && !user_term;
    f.code = encode(p, f.x_in, m_k, in_place);
    f.h = f.code.h;
    f.decoder = decode(p, f.code, f.x_in, in_place && !logits);
    f.x_hat = f.decoder.back();
    for (std::size_t i : m_weights) f.weights.push_back(p.at(m_names[i]));
    return f;
}

template <class T>
Vars<T> Autoencoder<T>::decode(const Bound<T>& p, const Code<T>& code, const Var<T>& x_in, bool in_place) const {
    Vars<T> inputs{x_in};
    inputs.insert(inputs.end(), code.layers.begin(), code.layers.end() - 1);
    return m_decoder.forward(code.h, p.with_values(m_inputs, inputs), "decoder", in_place);
}

template <class T>
Loss<T> Autoencoder<T>::loss(const Vars<T>& p, const Var<T>& x, std::uint64_t seed) const {
    check(!m_terms.empty(), m_name, "the model has no loss terms");
    ExampleNoise noise(seed, x.tape->shard().first);
    const Bound<T> bound(m_names, p);
    const Pass<T> f = forward(bound, x, noise, true);
    Loss<T> l;
    for (const NamedTerm<T>& t : m_terms) l.add(t.name, t.term(f));
    return l;
}

template <class T>
LossFn<T> Autoencoder<T>::loss_fn(const Array<T>& x, std::uint64_t seed) const {
    return [this, &x, seed](const Vars<T>& p) { return loss(p, p.at(0).tape->borrow(x), seed); };
}

// Inference holds every layer's output for the examples it is given: it runs on chunks of examples
// whose outputs hold at most this many entries, so that memory stays bounded whatever the data.
// Each example's result is its own: chunks change at most the GEMMs' rounding.
constexpr std::size_t inference_entries = std::size_t(1) << 24;

template <class T>
template <class F>
Array<T> Autoencoder<T>::by_chunks(const Array<T>& x, F&& f) const {
    const std::size_t m = x.shape(1), chunk = std::max<std::size_t>(1, inference_entries / std::max<std::size_t>(1, m_entries));
    Tape<T> tape;  // one tape for every chunk, its buffers reused
    RecordingGuard<T> off(tape, false);
    const ParamList<T> params = const_cast<Autoencoder*>(this)->parameters();
    const auto run = [&](const Array<T>& part) {
        tape.clear();
        const Vars<T> vars = enter(tape, params);
        return Array<T>(f(Bound<T>(m_names, vars), tape.borrow(part)));
    };
    if (m <= chunk) return run(x);
    Array<T> out;
    for (std::size_t j0 = 0; j0 < m; j0 += chunk) {
        const std::size_t n = std::min(chunk, m - j0);
        const Array<T> r = run(xt::view(x, xt::all(), xt::range(j0, j0 + n)));
        if (j0 == 0) out = Array<T>::from_shape({r.shape(0), m});
        xt::view(out, xt::all(), xt::range(j0, j0 + n)) = r;
    }
    return out;
}

template <class T>
Array<T> Autoencoder<T>::encode(const Array<T>& x) const {
    const std::size_t k = m_k_target == 0 ? 0 : std::min(m_code, std::size_t(std::lround(m_alpha * double(m_k_target))));
    return by_chunks(x, [&](const Bound<T>& p, const Var<T>& in) { return encode(p, in, k).h.value(); });
}

template <class T>
Array<T> Autoencoder<T>::encode(const Array<T>& x, std::size_t layer) const {
    check(layer < m_encoder.size(), m_name, "encode: layer " + std::to_string(layer) + " of an encoder of " +
                                                std::to_string(m_encoder.size()) + " layers (0-based)");
    return by_chunks(x, [&](const Bound<T>& p, const Var<T>& in) { return m_encoder.forward(in, p, "encoder")[layer].value(); });
}

template <class T>
Array<T> Autoencoder<T>::decode(const Array<T>& h) const {
    return by_chunks(h, [&](const Bound<T>& p, const Var<T>& in) { return m_decoder.forward(in, p, "decoder").back().value(); });
}

template <class T>
Array<T> Autoencoder<T>::reconstruct(const Array<T>& x) const {
    return by_chunks(x, [&](const Bound<T>& p, const Var<T>& in) {
        return decode(p, encode(p, in, m_k_target), in).back().value();
    });
}

template <class T>
std::vector<std::string> Autoencoder<T>::text() const {
    std::vector<std::string> lines;
    if (m_corruption.kind != Corruption::none) lines.push_back("corruption = " + text_of(m_corruption));
    for (const std::string& l : m_encoder.text()) lines.push_back("encoder = " + l);
    if (m_k_target != 0) {
        std::ostringstream s;
        s << "top-k = " << m_k_target << " alpha " << m_alpha << " k-start " << m_k_start;
        lines.push_back(s.str());
    }
    for (const std::string& l : m_decoder.text()) lines.push_back("decoder = " + l);
    for (const NamedTerm<T>& t : m_terms) {
        check(!t.text.empty(), m_name, "the term " + t.name + " is a function of its own: a model file holds only the terms of models/terms.hpp");
        lines.push_back("term = " + t.text);
    }
    return lines;
}

template <class T>
Autoencoder<T> dense_autoencoder(const std::string& name, const std::vector<std::size_t>& sizes, Activation encoder,
                                 Activation decoder, bool tied, std::uint64_t seed) {
    check(sizes.size() >= 2, name, "sizes must be visible, hidden[, hidden ...], got " + std::to_string(sizes.size()) +
                                       " numbers");
    for (std::size_t i = 0; i < sizes.size(); ++i)
        check_range(name, i == 0 ? "visible" : "hidden", double(sizes[i]), '[', 1,
                    inf, ')');
    Sequence<T> e = dense_stack<T>(sizes, std::vector<Activation>(sizes.size() - 1, encoder));
    Sequence<T> d = mirror(e, "encoder", tied, decoder);
    return Autoencoder<T>(name, std::move(e), std::move(d), seed);
}

template <class T>
Autoencoder<T>& add_reconstruction(Autoencoder<T>& model, Reconstruction r) {
    return model.add_term(make_term(model, r == Reconstruction::cross_entropy ? "cross_entropy" : "squared_error"));
}

#define AEZOO_INSTANTIATE(T)                                                                                   \
    template Autoencoder<T> dense_autoencoder(const std::string&, const std::vector<std::size_t>&, Activation, \
                                              Activation, bool, std::uint64_t);                               \
    template Autoencoder<T>& add_reconstruction(Autoencoder<T>&, Reconstruction);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

template struct Pass<float>;
template struct Pass<double>;
template class Autoencoder<float>;
template class Autoencoder<double>;

}  // namespace ae
