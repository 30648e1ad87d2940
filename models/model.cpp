// models/model.cpp: from a spec to a model, and model files (version 2; version 1 still loads).
#include "models/model.hpp"

#include <sstream>
#include <stdexcept>

#include "autodiff/functions.hpp"
#include "io/file.hpp"
#include "io/npz.hpp"
#include "models/terms.hpp"
#include "terms/losses.hpp"
#include "util/check.hpp"
#include "util/text.hpp"

namespace ae {

namespace {

std::string value_of(const std::string& line) {
    const std::size_t eq = line.find(" = ");
    return eq == std::string::npos ? "" : line.substr(eq + 3);
}

std::string key_of(const std::string& line) {
    const std::size_t eq = line.find(" = ");
    return eq == std::string::npos ? line : line.substr(0, eq);
}

// The network a spec describes: its own lines, or the registry's build.
template <class T>
Autoencoder<T> network_of(const ModelSpec& spec) {
    if (spec.network.empty()) {
        const ModelKind& kind = model_kind(spec.kind);
        const Options o(spec.kind, kind.options, spec.options);
        check(spec.sizes.size() >= 2, spec.kind,
              "sizes must be visible, hidden[, hidden ...], got " + std::to_string(spec.sizes.size()) + " numbers");
        return build_model<T>(kind, spec.sizes, o, spec.seed);
    }
    std::vector<std::string> encoder, decoder, terms;
    Corruption corruption;
    std::string top_k;
    for (const std::string& line : spec.network) {
        const std::string key = key_of(line), value = value_of(line);
        if (key == "encoder") encoder.push_back(value);
        else if (key == "decoder") decoder.push_back(value);
        else if (key == "term") terms.push_back(value);
        else if (key == "corruption") corruption = corruption_from_text(value);
        else if (key == "top-k") top_k = value;
        else if (key != "center" && key != "head")
            throw std::invalid_argument(spec.kind + ": the network line '" + line + "' is not one of encoder, decoder, "
                                        "term, corruption, top-k, center, head");
    }
    check(!encoder.empty() && !decoder.empty(), spec.kind, "the model spec has no encoder or no decoder layers");
    Autoencoder<T> model(spec.kind, sequence_from_text<T>(encoder), sequence_from_text<T>(decoder), spec.seed);
    if (corruption.kind != Corruption::none) model.corrupt(corruption);
    if (!top_k.empty()) {
        const std::vector<std::string> w = split(top_k, ' ');
        check(w.size() == 5 && w[1] == "alpha" && w[3] == "k-start", spec.kind, "top-k line '" + top_k +
                                                                                   "' is not 'K alpha A k-start S'");
        model.keep_top_k(std::size_t(parse_number(w[0], "top-k")), parse_number(w[2], "alpha"),
                         std::size_t(parse_number(w[4], "k-start")));
    }
    for (const std::string& t : terms) model.add_term(term_from_text(model, t));
    return model;
}

std::string network_value(const ModelSpec& spec, const std::string& key) {
    for (const std::string& line : spec.network)
        if (key_of(line) == key) return value_of(line);
    return "";
}

}  // namespace

std::string to_text(const ModelSpec& spec) {
    std::ostringstream out;
    out << "format = aezoo-model " << model_file_version << "\nkind = " << spec.kind << "\nsizes =";
    for (std::size_t s : spec.sizes) out << ' ' << s;
    out << "\nseed = " << spec.seed << '\n';
    for (const auto& [k, v] : spec.options) out << "option." << k << " = " << v << '\n';
    for (const std::string& line : spec.network) out << line << '\n';
    return out.str();
}

ModelSpec parse_spec(const std::string& text, const std::string& source) {
    ModelSpec spec;
    std::istringstream in(text);
    std::string line;
    int version = 1;
    bool first = true;
    std::vector<std::pair<std::string, std::string>> rest;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const std::size_t eq = line.find(" = ");
        if (eq == std::string::npos) throw std::invalid_argument(source + ": malformed model spec line '" + line + "'");
        const std::string key = line.substr(0, eq), value = line.substr(eq + 3);
        if (key == "format") {
            if (!first || value.rfind("aezoo-model ", 0) != 0)
                throw std::invalid_argument(source + ": malformed model spec line '" + line + "'");
            const std::string v = value.substr(12);
            version = v == "2" ? 2 : -1;
            if (version < 0)
                throw std::invalid_argument(source + ": model file format '" + v + "' is not one this aezoo reads (1, 2): "
                                            "written by a newer aezoo?");
        } else if (key == "kind") spec.kind = value;
        else if (key == "seed") {
            try {
                std::size_t used = 0;
                spec.seed = std::stoull(value, &used);
                if (used != value.size() || value[0] == '-') throw std::invalid_argument("");
            } catch (const std::exception&) {
                throw std::invalid_argument(source + ": seed = '" + value + "' is not a whole number");
            }
        } else if (key == "sizes") {
            std::istringstream sizes(value);
            std::string s;
            while (sizes >> s) spec.sizes.push_back(parse_sizes(s, source + ": sizes").at(0));
        } else rest.emplace_back(key, value);
        first = false;
    }
    for (const auto& [key, value] : rest) {
        if (version == 1) spec.options[key] = value;
        else if (starts_with(key, "option.")) spec.options[key.substr(7)] = value;
        else spec.network.push_back(key + " = " + value);
    }
    if (spec.kind.empty()) throw std::invalid_argument(source + ": the model spec names no kind");
    if (version == 2 && spec.network.empty()) throw std::invalid_argument(source + ": the model spec has no network");
    return spec;
}

std::string current_parameter_name(const ModelSpec& spec, const std::string& name) {
    static const std::map<std::string, std::string> one = {
        {"W1", "encoder.0.W"}, {"b1", "encoder.0.b"}, {"W2", "decoder.0.W"}, {"b2", "decoder.0.b"}};
    if (auto it = one.find(name); it != one.end()) return it->second;
    // stacked: layer<i>.W1 -> encoder.<2(i-1)>.W, layer<i>.W2 -> decoder.<2(L-i)>.W.
    const std::size_t dot = name.find('.');
    if (name.rfind("layer", 0) != 0 || dot == std::string::npos || spec.sizes.size() < 2) return name;
    const std::size_t L = spec.sizes.size() - 1;
    std::size_t i = 0;
    try {
        i = std::stoul(name.substr(5, dot - 5));
    } catch (const std::exception&) {
        return name;
    }
    const std::string p = name.substr(dot + 1);
    if (i < 1 || i > L) return name;
    if (p == "W1" || p == "b1") return "encoder." + std::to_string(2 * (i - 1)) + "." + p.substr(0, 1);
    if (p == "W2" || p == "b2") return "decoder." + std::to_string(2 * (L - i)) + "." + p.substr(0, 1);
    return name;
}

template <class T>
Model<T>::Model(const ModelSpec& spec) : Model(spec, network_of<T>(spec)) {}

template <class T>
Model<T>::Model(const ModelSpec& spec, Autoencoder<T> network) : m_spec(spec), m_network(std::move(network)) {
    if (spec.network.empty()) {
        const ModelKind& kind = model_kind(spec.kind);
        const Options o(spec.kind, kind.options, spec.options);
        m_center = o.flag("center");
        if (kind.classifier)
            m_head.emplace(m_network.code_size(), o.count("classes"), o.number("head-lambda"), spec.seed);
    } else {
        m_center = network_value(spec, "center") == "true";
        if (const std::string h = network_value(spec, "head"); !h.empty()) {
            const std::vector<std::string> w = split(h, ' ');
            check(w.size() == 4 && w[0] == "softmax" && w[2] == "lambda", spec.kind,
                  "head line '" + h + "' is not 'softmax CLASSES lambda L'");
            m_head.emplace(m_network.code_size(), std::size_t(parse_number(w[1], "head classes")),
                           parse_number(w[3], "head lambda"), spec.seed);
        }
    }
    m_spec.network.clear();  // the network's text is made afresh from the model when saved
}

template <class T>
Model<T>::Model(Autoencoder<T> network, bool center)
    : m_spec{network.name(), {network.visible(), network.code_size()}, {}, 1, {}},
      m_network(std::move(network)), m_center(center) {}

template <class T>
void Model<T>::set_head(SoftmaxRegression<T> head) {
    if (head.W.shape(1) != m_network.code_size())
        throw std::invalid_argument(m_spec.kind + ": a head on " + std::to_string(head.W.shape(1)) +
                                    " features for a code of " + std::to_string(m_network.code_size()));
    m_head.emplace(std::move(head));
}

template <class T>
ParamList<T> Model<T>::parameters() {
    ParamList<T> p = m_network.parameters();
    if (m_head)
        for (const Named<T>& h : m_head->parameters()) p.push_back(h);
    return p;
}

template <class T>
ParamList<T> Model<T>::classifier_parameters() {
    check(m_head.has_value(), m_spec.kind, "the model has no softmax head");
    ParamList<T> p;
    for (const Named<T>& n : m_network.parameters())
        if (starts_with(n.name, "encoder.")) p.push_back(n);
    for (const Named<T>& h : m_head->parameters()) p.push_back(h);
    return p;
}

template <class T>
LossFn<T> Model<T>::classifier_loss_fn(const Array<T>& x, const Array<T>& y) const {
    check(m_head.has_value(), m_spec.kind, "the model has no softmax head");
    std::vector<std::string> names;
    for (const std::string& n : m_network.parameter_names())
        if (starts_with(n, "encoder.")) names.push_back(n);
    return [this, &x, &y, names](const Vars<T>& p) {
        check(p.size() == names.size() + 2, m_spec.kind, "classifier loss: " + std::to_string(p.size()) +
                                                            " parameters for " + std::to_string(names.size() + 2));
        Tape<T>& tape = *p.at(0).tape;
        const Vars<T> encoder(p.begin(), p.end() - 2);
        const Bound<T> bound(names, encoder);
        const Var<T> code = m_network.encode(bound, tape.borrow(x), m_network.k()).h;
        return m_head->loss({p[p.size() - 2], p.back()}, code, tape.borrow(y));
    };
}

template <class T>
void Model<T>::fit_center(const Array<T>& x) {
    if (x.shape(1) == 0) throw std::invalid_argument("fit_center: no examples");
    set_input_mean(xt::mean(x, {1}, xt::keep_dims));
}

template <class T>
void Model<T>::set_input_mean(const Array<T>& mean) {
    if (!m_center) throw std::logic_error(m_spec.kind + ": an input mean for a model without center = true");
    if (mean.shape() != Shape{m_network.visible(), 1})
        throw std::invalid_argument("input mean: the model has " + std::to_string(m_network.visible()) +
                                    " inputs, the mean is " + str(shape_of(mean)) + " (one column of the data's mean)");
    m_mean = mean;
}

template <class T>
const Array<T>& Model<T>::fitted_mean() const {
    if (m_mean.size() == 0) throw std::logic_error(m_spec.kind + ": center = true but no mean fitted (fit_center)");
    return m_mean;
}

template <class T>
Array<T> Model<T>::centered(const Array<T>& x) const {
    if (!m_center) return x;
    if (x.shape(0) != fitted_mean().shape(0))
        throw std::invalid_argument("centered: the model has " + std::to_string(m_mean.shape(0)) +
                                    " inputs, the data are " + str(shape_of(x)));
    return x - m_mean;
}

// encode and reconstruct copy the input only when they centre it.
template <class T>
Array<T> Model<T>::encode(const Array<T>& x) const {
    return m_center ? m_network.encode(centered(x)) : m_network.encode(x);
}

template <class T>
Array<T> Model<T>::encode(const Array<T>& x, std::size_t layer) const {
    return m_center ? m_network.encode(centered(x), layer) : m_network.encode(x, layer);
}

template <class T>
Array<T> Model<T>::reconstruct(const Array<T>& x) const {
    if (!m_center) return m_network.reconstruct(x);
    Array<T> r = m_network.reconstruct(centered(x));
    r += m_mean;
    return r;
}

template <class T>
std::vector<std::size_t> Model<T>::predict(const Array<T>& x) const {
    check(m_head.has_value(), m_spec.kind, "predict: the model has no softmax head");
    return m_head->predict(encode(x));
}

template <class T>
std::string Model<T>::describe() const {
    std::string s = m_spec.kind;
    const Sequence<T>& e = m_network.encoder();
    s += " " + std::to_string(m_network.visible());
    for (std::size_t i = 0; i < e.size(); ++i)
        if (const auto* d = dynamic_cast<const Dense<T>*>(&e[i])) s += "-" + std::to_string(d->out());
        else if (const auto* c = dynamic_cast<const Conv<T>*>(&e[i]))
            s += "-" + image_text(c->out_channels(), c->window().out_height(), c->window().out_width());
    for (const auto& [k, v] : m_spec.options) s += ", " + k + " " + v;
    return s;
}

template <class T>
void Model<T>::save(const std::string& path) const {
    ModelSpec spec = m_spec;
    spec.network = m_network.text();
    if (m_center) spec.network.push_back("center = true");
    if (m_head) spec.network.push_back("head = softmax " + std::to_string(m_head->W.shape(0)) + " lambda " +
                                       number_text(m_head->lambda()));
    NpzEntries entries;
    for (const Named<T>& p : const_cast<Model*>(this)->parameters()) entries.emplace_back(p.name, matrix_to_npy(*p.array));
    if (m_center) entries.emplace_back("input.mean", matrix_to_npy(fitted_mean()));
    const std::string text = to_text(spec);
    entries.emplace_back("aezoo.spec", bytes_to_npy(std::vector<std::uint8_t>(text.begin(), text.end())));
    write_file_atomic(path, serialize_npz(entries));
}

template <class T>
Model<T> Model<T>::load(const std::string& path) {
    const NpzEntries entries = read_npz(path);
    const NpyArray& text = npz_entry(entries, "aezoo.spec", path);
    const ModelSpec spec = parse_spec(std::string(text.data.begin(), text.data.end()), path);
    Model model = [&] {
        try {
            return Model(spec);
        } catch (const std::invalid_argument& e) {
            throw IoError(path, e.what());
        }
    }();
    const bool old = spec.network.empty();  // version 1: the names of then
    for (const Named<T>& p : model.parameters()) {
        std::string stored = p.name;
        if (old)
            for (const auto& e : entries)
                if (current_parameter_name(spec, e.first) == p.name) stored = e.first;
        Array<T> a = npy_to_matrix<T>(npz_entry(entries, stored, path), path + ":" + stored);
        if (a.shape() != p.array->shape())
            throw IoError(path, stored + " has shape " + str(shape_of(a)) + ", the model needs " + str(shape_of(*p.array)));
        *p.array = std::move(a);
    }
    if (model.m_center) {
        try {
            model.set_input_mean(npy_to_matrix<T>(npz_entry(entries, "input.mean", path), path + ":input.mean"));
        } catch (const std::invalid_argument& e) {  // a wrong shape: name the file
            throw IoError(path, e.what());
        }
    }
    return model;
}

template class Model<float>;
template class Model<double>;

}  // namespace ae
