// layers/sequence.cpp: composition, the table of layer kinds, and the mirrored decoder.
#include "layers/sequence.hpp"

#include <sstream>
#include <stdexcept>

namespace ae {

template <class T>
Sequence<T>::Sequence(const Sequence& other) {
    for (const auto& l : other.m_layers) m_layers.push_back(l->clone());
}

template <class T>
Sequence<T>& Sequence<T>::operator=(const Sequence& other) {
    if (this != &other) *this = Sequence(other);
    return *this;
}

template <class T>
Sequence<T>& Sequence<T>::add(std::unique_ptr<Layer<T>> layer) {
    if (!layer) throw std::invalid_argument("Sequence::add: no layer");
    m_layers.push_back(std::move(layer));
    return *this;
}

template <class T>
std::size_t Sequence<T>::output_size(std::size_t in, const std::string& scope) const {
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        try {
            in = m_layers[i]->output_size(in);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(scope + "." + std::to_string(i) + " (" + e.what() + ")");
        }
    }
    return in;
}

template <class T>
ParamList<T> Sequence<T>::parameters(const std::string& scope) {
    ParamList<T> all;
    for (std::size_t i = 0; i < m_layers.size(); ++i)
        for (Named<T> p : m_layers[i]->parameters()) {
            p.name = scope + "." + std::to_string(i) + "." + p.name;
            all.push_back(p);
        }
    return all;
}

template <class T>
void Sequence<T>::initialize(std::mt19937_64& rng) {
    for (auto& l : m_layers) l->initialize(rng);
}

template <class T>
Vars<T> Sequence<T>::forward(const Var<T>& x, const Bound<T>& p, const std::string& scope, bool in_place) const {
    Vars<T> out;
    out.reserve(m_layers.size());
    const Bound<T> mine = p.in(scope);
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        const auto* f = dynamic_cast<const Activate<T>*>(m_layers[i].get());
        const bool overwrite = in_place && i > 0 && f && derivative_from_output(f->function()) &&
                               (dynamic_cast<const Dense<T>*>(m_layers[i - 1].get()) ||
                                dynamic_cast<const TiedDense<T>*>(m_layers[i - 1].get()));
        if (overwrite) x.tape->donate(out.back().id);  // an affine's VJP never reads its output
        out.push_back(m_layers[i]->forward(i == 0 ? x : out.back(), mine.in(std::to_string(i))));
        if (overwrite) x.tape->cancel_donation();
    }
    return out;
}

template <class T>
std::vector<std::string> Sequence<T>::text() const {
    std::vector<std::string> lines;
    for (const auto& l : m_layers) lines.push_back(l->text());
    return lines;
}

template <class T>
std::unique_ptr<Layer<T>> layer_from_text(const std::string& line) {
    std::istringstream in(line);
    std::string kind, rest;
    in >> kind;
    const auto sizes = [&](std::size_t& a, std::size_t& b) {
        long long x = 0, y = 0;
        if (!(in >> x >> y) || x <= 0 || y <= 0 || (in >> rest))
            throw std::invalid_argument("layer '" + line + "': " + kind + " takes two positive sizes");
        a = std::size_t(x);
        b = std::size_t(y);
    };
    std::size_t a = 0, b = 0;
    if (kind == "dense") {
        sizes(a, b);
        return std::make_unique<Dense<T>>(a, b);
    }
    if (kind == "tied") {
        std::string weight;
        in >> weight;
        sizes(a, b);
        return std::make_unique<TiedDense<T>>(weight, a, b);
    }
    if (auto image = image_layer_from_text<T>(kind, in, line)) return image;
    try {
        const Activation f = activation_named(kind);
        if (in >> rest) throw std::invalid_argument("");
        return std::make_unique<Activate<T>>(f);
    } catch (const std::invalid_argument&) {
        throw std::invalid_argument("layer '" + line +
                                    "' is not one of: dense IN OUT, tied WEIGHT IN OUT, linear, sigmoid, tanh, relu, softplus, "
                                    "conv, deconv, max_pool, avg_pool, upsample, unpool");
    }
}

template <class T>
Sequence<T> sequence_from_text(const std::vector<std::string>& lines) {
    Sequence<T> s;
    for (const std::string& line : lines) s.add(layer_from_text<T>(line));
    return s;
}

template <class T>
Sequence<T> dense_stack(const std::vector<std::size_t>& sizes, const std::vector<Activation>& activations) {
    if (sizes.size() < 2 || activations.size() != sizes.size() - 1)
        throw std::invalid_argument("dense_stack: " + std::to_string(sizes.size()) + " sizes need " +
                                    std::to_string(sizes.size() < 2 ? 1 : sizes.size() - 1) + " activations, given " +
                                    std::to_string(activations.size()));
    Sequence<T> s;
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        s.add(Dense<T>(sizes[i], sizes[i + 1]));
        s.add(Activate<T>(activations[i]));
    }
    return s;
}

template <class T>
Sequence<T> mirror(const Sequence<T>& encoder, const std::string& scope, bool tied, Activation output, bool switches) {
    // The encoder as stages: a dense or conv layer, or a pooling, each with the activation of its output.
    struct Stage {
        std::size_t index;
        Activation activation;
    };
    std::vector<Stage> stages;
    const auto name = [&](std::size_t i) { return scope + "." + std::to_string(i) + " (" + encoder[i].text() + ")"; };
    for (std::size_t i = 0; i < encoder.size(); ++i) {
        const Layer<T>& l = encoder[i];
        if (dynamic_cast<const Dense<T>*>(&l) || dynamic_cast<const Conv<T>*>(&l)) stages.push_back({i, Activation::linear});
        else if (dynamic_cast<const Pool<T>*>(&l) && !stages.empty()) stages.push_back({i, stages.back().activation});
        else if (auto* f = dynamic_cast<const Activate<T>*>(&l); f && !stages.empty()) stages.back().activation = f->function();
        else
            throw std::invalid_argument("mirror: " + name(i) + " is not a dense or conv layer, a pooling after one, "
                                        "or the activation after one");
    }
    Sequence<T> d;
    for (std::size_t s = stages.size(); s-- > 0;) {
        const Layer<T>& l = encoder[stages[s].index];
        const std::string weight = scope + "." + std::to_string(stages[s].index) + ".W";
        if (auto* pool = dynamic_cast<const Pool<T>*>(&l)) {  // undone by upsampling; the activation stays
            if (switches && pool->kind() != Pooling::max)
                throw std::invalid_argument("mirror: " + name(stages[s].index) + " is not a max pooling: it has no positions to unpool at");
            d.add(Upsample<T>(pool->window(), switches ? scope + "." + std::to_string(stages[s].index) : ""));
            continue;
        }
        if (auto* conv = dynamic_cast<const Conv<T>*>(&l))
            d.add(ConvTranspose<T>(conv->window(), conv->out_channels(), tied ? weight : ""));
        else if (auto& dense = static_cast<const Dense<T>&>(l); tied)
            d.add(TiedDense<T>(weight, dense.out(), dense.in()));
        else
            d.add(Dense<T>(dense.out(), dense.in()));
        d.add(Activate<T>(s == 0 ? output : stages[s - 1].activation));
    }
    return d;
}

#define AEZOO_INSTANTIATE(T)                                                                         \
    template class Sequence<T>;                                                                      \
    template std::unique_ptr<Layer<T>> layer_from_text(const std::string&);                          \
    template Sequence<T> sequence_from_text(const std::vector<std::string>&);                        \
    template Sequence<T> dense_stack(const std::vector<std::size_t>&, const std::vector<Activation>&); \
    template Sequence<T> mirror(const Sequence<T>&, const std::string&, bool, Activation, bool);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
