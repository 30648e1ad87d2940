// models/model.cpp: from a spec to a model of the zoo, and model files.
#include "models/model.hpp"

#include <algorithm>
#include <set>
#include <sstream>
#include <stdexcept>

#include "io/file.hpp"
#include "io/npz.hpp"

namespace ae {
namespace {

const std::map<std::string, std::vector<std::string>>& accepted() {
    static const std::map<std::string, std::vector<std::string>> options = {
        {"sparse-kl", {"rho", "beta", "lambda", "penalty", "encoder", "decoder"}},
        {"k-sparse", {"k", "alpha", "k-start"}},
        {"denoising", {"corruption", "noise", "loss", "encoder", "decoder", "tied", "lambda"}},
        {"contractive", {"lambda", "form", "probes", "gamma", "sigma", "copies", "encoder", "decoder", "loss", "tied"}},
        {"cae+h", {"lambda", "form", "probes", "gamma", "sigma", "copies", "encoder", "decoder", "loss", "tied"}},
        {"linear", {}},
        {"basic", {"units", "loss", "tied", "lambda"}},
        {"stacked", {"rho", "beta", "lambda", "classes", "head-lambda"}},
    };
    return options;
}

// Typed reads of the options, each with the model's own default.
class Options {
public:
    Options(const ModelSpec& s) : m_s(s) {}
    double number(const std::string& key, double fallback) const {
        auto it = m_s.options.find(key);
        if (it == m_s.options.end()) return fallback;
        std::size_t used = 0;
        double v = 0;
        try {
            v = std::stod(it->second, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != it->second.size())
            throw std::invalid_argument(m_s.kind + ": " + key + " = '" + it->second + "' is not a number");
        return v;
    }
    std::size_t count(const std::string& key, std::size_t fallback) const {
        const double v = number(key, double(fallback));
        if (v < 0 || v != double(std::size_t(v)))
            throw std::invalid_argument(m_s.kind + ": " + key + " = " + m_s.options.at(key) +
                                        " is not a whole number >= 0");
        return std::size_t(v);
    }
    std::string word(const std::string& key, const std::string& fallback, const std::vector<std::string>& allowed) const {
        auto it = m_s.options.find(key);
        if (it == m_s.options.end()) return fallback;
        if (std::find(allowed.begin(), allowed.end(), it->second) == allowed.end()) {
            std::string list;
            for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
            throw std::invalid_argument(m_s.kind + ": " + key + " = '" + it->second + "' is not one of " + list);
        }
        return it->second;
    }
    bool flag(const std::string& key, bool fallback) const {
        return word(key, fallback ? "true" : "false", {"true", "false"}) == "true";
    }
    Activation activation(const std::string& key, Activation fallback) const {
        const std::string w = word(key, name_of(fallback), {"sigmoid", "tanh", "relu", "linear"});
        return w == "sigmoid" ? Activation::sigmoid : w == "tanh" ? Activation::tanh
                                                    : w == "relu" ? Activation::relu : Activation::linear;
    }
    Reconstruction loss(Reconstruction fallback) const {
        const std::string f = fallback == Reconstruction::squared_error ? "squared-error" : "cross-entropy";
        return word("loss", f, {"squared-error", "cross-entropy"}) == "squared-error" ? Reconstruction::squared_error
                                                                                     : Reconstruction::cross_entropy;
    }

private:
    const ModelSpec& m_s;
};

SparseKlOptions sparse_options(const Options& o) {
    SparseKlOptions s;
    s.rho = o.number("rho", s.rho);
    s.beta = o.number("beta", s.beta);
    s.lambda = o.number("lambda", s.lambda);
    s.penalty = o.word("penalty", "kl", {"kl", "squared"}) == "kl" ? SparseKlOptions::kl : SparseKlOptions::squared;
    s.encoder = o.activation("encoder", s.encoder);
    s.decoder = o.activation("decoder", s.decoder);
    return s;
}

ContractiveOptions contractive_options(const Options& o) {
    ContractiveOptions c;
    c.lambda = o.number("lambda", c.lambda);
    const std::string form = o.word("form", "closed-form", {"closed-form", "exact", "projected", "stochastic"});
    c.form = form == "closed-form" ? ContractiveOptions::closed_form : form == "exact" ? ContractiveOptions::exact
           : form == "projected"   ? ContractiveOptions::projected : ContractiveOptions::stochastic;
    c.probes = o.count("probes", c.probes);
    c.gamma = o.number("gamma", c.gamma);
    c.sigma = o.number("sigma", c.sigma);
    c.copies = o.count("copies", c.copies);
    c.encoder = o.activation("encoder", c.encoder);
    c.decoder = o.activation("decoder", c.decoder);
    c.reconstruction = o.loss(c.reconstruction);
    c.tied = o.flag("tied", c.tied);
    return c;
}

}  // namespace

const std::map<std::string, std::string>& model_kinds() {
    static const std::map<std::string, std::string> kinds = {
        {"sparse-kl", "UFLDL sparse autoencoder: rho 0.01, beta 3, lambda 1e-4, penalty kl|squared, encoder/decoder sigmoid"},
        {"k-sparse", "Makhzani & Frey: tied, linear, top-k: k (required), alpha 1, k-start 0 (no schedule)"},
        {"denoising", "Vincent et al.: corruption masking|gaussian|salt-and-pepper, noise 0.25, loss cross-entropy, tied true, lambda 0"},
        {"contractive", "Rifai et al.: lambda 0.1, form closed-form|exact|projected|stochastic, probes 4, gamma 0, sigma 0.1, copies 4"},
        {"cae+h", "contractive with the Hessian term: gamma > 0 (required), sigma 0.1, copies 4"},
        {"linear", "linear units, squared error: learns the principal subspace (= PCA)"},
        {"basic", "units sigmoid|linear, loss squared-error|cross-entropy, tied false, lambda 0"},
        {"stacked", "sparse layers (rho, beta, lambda as sparse-kl), softmax head: classes 10, head-lambda 1e-4"},
    };
    return kinds;
}

std::vector<std::string> option_names(const std::string& kind) {
    auto it = accepted().find(kind);
    if (it == accepted().end()) {
        std::string list;
        for (const auto& [k, v] : accepted()) list += (list.empty() ? "" : ", ") + k;
        throw std::invalid_argument("unknown model '" + kind + "'; the models are " + list);
    }
    std::vector<std::string> names = it->second;
    names.push_back("center");  // every kind
    return names;
}

std::string to_text(const ModelSpec& spec) {
    std::ostringstream out;
    out << "kind = " << spec.kind << "\nsizes =";
    for (std::size_t s : spec.sizes) out << ' ' << s;
    out << "\nseed = " << spec.seed << '\n';
    for (const auto& [k, v] : spec.options) out << k << " = " << v << '\n';
    return out.str();
}

ModelSpec parse_spec(const std::string& text, const std::string& source) {
    ModelSpec spec;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const std::size_t eq = line.find(" = ");
        if (eq == std::string::npos) throw std::invalid_argument(source + ": malformed model spec line '" + line + "'");
        const std::string key = line.substr(0, eq), value = line.substr(eq + 3);
        if (key == "kind") spec.kind = value;
        else if (key == "seed") spec.seed = std::stoull(value);
        else if (key == "sizes") {
            std::istringstream sizes(value);
            for (std::size_t s; sizes >> s;) spec.sizes.push_back(s);
        } else spec.options[key] = value;
    }
    if (spec.kind.empty()) throw std::invalid_argument(source + ": the model spec names no kind");
    return spec;
}

template <class T>
Model<T>::Model(const ModelSpec& spec) : m_spec(spec) {
    const std::vector<std::string> names = option_names(spec.kind);
    for (const auto& [key, value] : spec.options) {
        if (std::find(names.begin(), names.end(), key) == names.end()) {
            std::string list;
            for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
            throw std::invalid_argument(spec.kind + ": '" + key + "' is not one of its options (" +
                                        (list.empty() ? "it has none" : list) + ")");
        }
    }
    const bool stack = spec.kind == "stacked";
    if (stack ? spec.sizes.size() < 2 : spec.sizes.size() != 2)
        throw std::invalid_argument(spec.kind + ": sizes must be " +
                                    (stack ? "visible, hidden1[, hidden2 ...]" : "visible, hidden") + ", got " +
                                    std::to_string(spec.sizes.size()) + " numbers");
    const Options o(spec);
    m_center = o.flag("center", false);
    const std::size_t v = spec.sizes[0], h = spec.sizes.back();
    const std::string& kind = spec.kind;
    if (kind == "sparse-kl") m_ae = std::make_unique<Autoencoder<T>>(sparse_kl<T>(v, h, sparse_options(o), spec.seed));
    else if (kind == "k-sparse") {
        m_k.k = o.count("k", 0);
        m_k.alpha = o.number("alpha", m_k.alpha);
        m_k.k_start = o.count("k-start", m_k.k_start);
        m_ae = std::make_unique<Autoencoder<T>>(k_sparse<T>(v, h, m_k, spec.seed));
    } else if (kind == "denoising") {
        DenoisingOptions d;
        const std::string c = o.word("corruption", "masking", {"masking", "gaussian", "salt-and-pepper"});
        const double level = o.number("noise", 0.25);
        d.corruption = c == "masking" ? masking_noise(level) : c == "gaussian" ? gaussian_noise(level)
                                                                                : salt_and_pepper(level);
        d.reconstruction = o.loss(d.reconstruction);
        d.encoder = o.activation("encoder", d.encoder);
        d.decoder = o.activation("decoder", d.decoder);
        d.tied = o.flag("tied", d.tied);
        d.lambda = o.number("lambda", d.lambda);
        m_ae = std::make_unique<Autoencoder<T>>(denoising<T>(v, h, d, spec.seed));
    } else if (kind == "contractive") {
        m_ae = std::make_unique<Autoencoder<T>>(contractive<T>(v, h, contractive_options(o), spec.seed));
    } else if (kind == "cae+h") {
        m_ae = std::make_unique<Autoencoder<T>>(contractive_h<T>(v, h, contractive_options(o), spec.seed));
    } else if (kind == "linear") {
        m_ae = std::make_unique<Autoencoder<T>>(linear<T>(v, h, spec.seed));
    } else if (kind == "basic") {
        BasicOptions b;
        b.units = o.activation("units", b.units);
        b.reconstruction = o.loss(b.reconstruction);
        b.tied = o.flag("tied", b.tied);
        b.lambda = o.number("lambda", b.lambda);
        m_ae = std::make_unique<Autoencoder<T>>(basic<T>(v, h, b, spec.seed));
    } else {
        m_stack = std::make_unique<StackedAutoencoder<T>>(stacked_sparse<T>(
            spec.sizes, o.count("classes", 10), sparse_options(o), o.number("head-lambda", 1e-4), spec.seed));
    }
}

template <class T>
ParamList<T> Model<T>::parameters() {
    return m_ae ? m_ae->parameters() : m_stack->parameters();
}

template <class T>
const Array<T>& Model<T>::first_weights() const {
    return m_ae ? m_ae->W1 : m_stack->layers.front().W1;
}

template <class T>
void Model<T>::fit_center(const Array<T>& x) {
    if (x.shape(1) == 0) throw std::invalid_argument("fit_center: no examples");
    set_input_mean(xt::mean(x, {1}, xt::keep_dims));
}

template <class T>
void Model<T>::set_input_mean(const Array<T>& mean) {
    if (!m_center) throw std::logic_error(m_spec.kind + ": an input mean for a model without center = true");
    if (mean.shape() != Shape{m_spec.sizes[0], 1})
        throw std::invalid_argument("input mean: the model has " + std::to_string(m_spec.sizes[0]) +
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
    const auto run = [this](const Array<T>& in) { return m_ae ? m_ae->encode(in) : m_stack->encode(in); };
    return m_center ? run(centered(x)) : run(x);
}

template <class T>
Array<T> Model<T>::reconstruct(const Array<T>& x) const {
    const auto run = [this](const Array<T>& in) { return m_ae ? m_ae->reconstruct(in) : m_stack->reconstruct(in); };
    if (!m_center) return run(x);
    Array<T> r = run(centered(x));
    r += m_mean;
    return r;
}

template <class T>
std::string Model<T>::describe() const {
    std::string s = m_spec.kind;
    for (std::size_t i = 0; i < m_spec.sizes.size(); ++i) s += (i ? "-" : " ") + std::to_string(m_spec.sizes[i]);
    for (const auto& [k, v] : m_spec.options) s += ", " + k + " " + v;
    return s;
}

template <class T>
void Model<T>::save(const std::string& path) {
    NpzEntries entries;
    for (const Named<T>& p : parameters()) entries.emplace_back(p.name, matrix_to_npy(*p.array));
    if (m_center) entries.emplace_back("input.mean", matrix_to_npy(fitted_mean()));
    const std::string text = to_text(m_spec);
    entries.emplace_back("aezoo.spec", bytes_to_npy(std::vector<std::uint8_t>(text.begin(), text.end())));
    write_file_atomic(path, serialize_npz(entries));
}

template <class T>
Model<T> Model<T>::load(const std::string& path) {
    const NpzEntries entries = read_npz(path);
    const NpyArray& text = npz_entry(entries, "aezoo.spec", path);
    Model model(parse_spec(std::string(text.data.begin(), text.data.end()), path));
    for (const Named<T>& p : model.parameters()) {
        Array<T> a = npy_to_matrix<T>(npz_entry(entries, p.name, path), path + ":" + p.name);
        if (a.shape() != p.array->shape())
            throw IoError(path, p.name + " has shape " + str(shape_of(a)) + ", the model needs " +
                                    str(shape_of(*p.array)));
        *p.array = std::move(a);
    }
    if (model.m_center) {
        try {
            model.set_input_mean(npy_to_matrix<T>(npz_entry(entries, "input.mean", path), path + ":input.mean"));
        } catch (const std::invalid_argument& e) {  // a wrong shape: name the file
            throw IoError(path, e.what());
        }
    }
    if (model.m_ae && model.m_spec.kind == "k-sparse") model.m_ae->set_k(model.m_k.k);
    return model;
}

template class Model<float>;
template class Model<double>;

}  // namespace ae
