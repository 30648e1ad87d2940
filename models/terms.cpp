// models/terms.cpp: the table of loss terms, each reading the pass by name.
#include "models/terms.hpp"

#include <limits>
#include <stdexcept>

#include "autodiff/functions.hpp"
#include "terms/contractive.hpp"
#include "terms/losses.hpp"
#include "util/check.hpp"

namespace ae {

namespace {


// f'(z) times the top-k mask, for an encoder of one dense layer and an activation.
template <class T>
Var<T> code_derivative(const Autoencoder<T>& model, const Code<T>& c) {
    const Var<T> d = activation_derivative(c.layers[0], c.layers[1], model.code_activation());
    return c.mask ? d * c.mask : d;
}

template <class T>
void need_single_dense(const Autoencoder<T>& model, const std::string& term) {
    check(model.single_dense_encoder(), model.name(),
          term + ": the closed form applies to an encoder of one dense layer and an activation; this encoder has " +
              std::to_string(model.encoder().size()) + " layers: use form exact (nested reverse mode, any encoder) or " +
              "projected (random projections)");
}

template <class T>
void need_mean_activation(const Autoencoder<T>& model, const std::string& term) {
    const Activation f = model.code_activation();
    check(f == Activation::sigmoid || f == Activation::tanh, model.name(),
          term + ": the code's units must be sigmoid or tanh (a mean activation in [0, 1]), not " + name_of(f));
}

template <class T>
Term<T> build(const std::string& name, const Options& o, const Autoencoder<T>& model) {
    if (name == "squared_error") return [](const Pass<T>& f) { return squared_error(f.x_hat, f.x); };
    if (name == "cross_entropy") {
        const auto* out = dynamic_cast<const Activate<T>*>(&model.decoder()[model.decoder().size() - 1]);
        check(out && out->function() == Activation::sigmoid, model.name(),
              "cross-entropy needs a sigmoid decoder, not " + model.decoder()[model.decoder().size() - 1].text());
        return [](const Pass<T>& f) { return cross_entropy_logits(f.logits(), f.x); };
    }
    if (name == "weight_decay")
        return [lambda = o.number("lambda")](const Pass<T>& f) { return weight_decay(f.weights, lambda); };
    if (name == "kl_sparsity" || name == "squared_sparsity") {
        need_mean_activation(model, name);
        const double rho = o.number("rho"), beta = o.number("beta");
        const Activation a = model.code_activation();
        if (name == "kl_sparsity")
            return [=](const Pass<T>& f) { return kl_sparsity(mean_activation(f.h, a), rho, beta); };
        return [=](const Pass<T>& f) { return squared_sparsity(mean_activation(f.h, a), rho, beta); };
    }
    if (name == "contractive") {
        const double lambda = o.number("lambda");
        const std::string& form = o.word("form");
        if (form == "closed-form") {
            need_single_dense(model, name);
            return [lambda](const Pass<T>& f) {
                return contractive_dense(code_derivative(*f.model, f.code), f.params->at("encoder.0.W"), lambda);
            };
        }
        if (form == "exact") return [lambda](const Pass<T>& f) { return contractive_exact(f.h, f.x_in, lambda); };
        return [lambda, probes = o.count("probes")](const Pass<T>& f) {
            return contractive_projected(f.h, f.x_in, rademacher_probes<T>(f.h.shape(), probes, *f.noise), lambda);
        };
    }
    if (name == "stochastic_contractive") {
        const double lambda = o.number("lambda"), sigma = o.number("sigma");
        const std::size_t copies = o.count("copies");
        return [=](const Pass<T>& f) {
            Vars<T> h_tilde;
            for (const Array<T>& e : gaussian_perturbations<T>(f.x_in.shape(), sigma, copies, *f.noise))
                h_tilde.push_back(f.encode(f.x_in + f.x.tape->leaf(e)).h);
            return stochastic_contractive(f.h, h_tilde, lambda);
        };
    }
    // contractive_h
    const double gamma = o.number("gamma"), sigma = o.number("sigma");
    const std::size_t copies = o.count("copies");
    if (o.word("form") == "exact")
        return [=](const Pass<T>& f) {
            const auto eps = gaussian_perturbations<T>(f.x_in.shape(), sigma, copies, *f.noise);
            Encoder<T> encode = [&f](const Var<T>& x) { return f.encode(x).h; };
            return contractive_h_exact(encode, f.x_in, eps, gamma);
        };
    need_single_dense(model, name);
    return [=](const Pass<T>& f) {
        Vars<T> d_tilde;
        for (const Array<T>& e : gaussian_perturbations<T>(f.x_in.shape(), sigma, copies, *f.noise))
            d_tilde.push_back(code_derivative(*f.model, f.encode(f.x_in + f.x.tape->leaf(e))));
        return contractive_h_dense(code_derivative(*f.model, f.code), d_tilde, f.params->at("encoder.0.W"), gamma);
    };
}

const TermKind& kind_of(const std::string& name) {
    std::vector<std::string> names;
    for (const TermKind& k : term_kinds()) {
        if (k.name == name) return k;
        names.push_back(k.name);
    }
    throw std::invalid_argument("unknown loss term '" + name + "'; the terms are " + join(names, ", "));
}

}  // namespace

const std::vector<TermKind>& term_kinds() {
    const auto lambda = [](const std::string& d, const std::string& help) {
        return number_option("lambda", d, '[', 0, inf, ')', help);
    };
    const auto sigma = number_option("sigma", "0.1", '(', 0, inf, ')', "standard deviation of the perturbations");
    const auto copies = count_option("copies", "4", 1, inf, "perturbed copies per step");
    static const std::vector<TermKind> kinds = {
        {"squared_error", "(1/m) sum 1/2 ||x_hat - x||^2", {}},
        {"cross_entropy", "(1/m) sum [softplus(a) - x a], a the logits of a sigmoid decoder", {}},
        {"weight_decay", "(lambda/2) sum W^2 over every weight matrix (not the biases)", {lambda("1e-4", "")}},
        {"kl_sparsity", "beta sum_j KL(rho || rho_hat_j), rho_hat the code's batch mean",
         {number_option("rho", "0.01", '(', 0, 1, ')', "target mean activation"),
          number_option("beta", "3", '[', 0, inf, ')', "weight")}},
        {"squared_sparsity", "(beta/2) sum_j (rho_hat_j - rho)^2",
         {number_option("rho", "0.01", '(', 0, 1, ')', "target mean activation"),
          number_option("beta", "3", '[', 0, inf, ')', "weight")}},
        {"contractive", "(lambda/m) sum ||dh/dx||_F^2 of the code",
         {lambda("0.1", ""), word_option("form", "closed-form", {"closed-form", "exact", "projected"},
                                         "closed form (one dense encoder layer), nested reverse mode, or random projections"),
          count_option("probes", "4", 1, inf, "projected: random projections per step")}},
        {"stochastic_contractive", "(lambda/m) sum E||h(x) - h(x + eps)||^2, about lambda sigma^2 ||J||_F^2",
         {lambda("0.1", ""), sigma, copies}},
        {"contractive_h", "(gamma/m) sum E||J(x) - J(x + eps)||_F^2 (CAE+H)",
         {number_option("gamma", "", '(', 0, inf, ')', "weight"), sigma, copies,
          word_option("form", "closed-form", {"closed-form", "exact"}, "closed form (one dense layer) or nested reverse mode")}},
    };
    return kinds;
}

template <class T>
NamedTerm<T> make_term(const Autoencoder<T>& model, const std::string& name, const std::map<std::string, std::string>& options) {
    const TermKind& kind = kind_of(name);
    const Options o(model.name() + ": " + name, kind.options, options);
    std::string text = name;
    for (const OptionSpec& s : kind.options) text += " " + s.name + " " + o.text(s.name);
    return {name, text, build<T>(name, o, model)};
}

template <class T>
NamedTerm<T> term_from_text(const Autoencoder<T>& model, const std::string& text) {
    const std::vector<std::string> w = split(text, ' ');
    if (w.size() % 2 == 0) throw std::invalid_argument("term '" + text + "': a name, then option-value pairs");
    std::map<std::string, std::string> options;
    for (std::size_t i = 1; i + 1 < w.size(); i += 2) options[w[i]] = w[i + 1];
    return make_term(model, w[0], options);
}

#define AEZOO_INSTANTIATE(T)                                                                                   \
    template NamedTerm<T> make_term(const Autoencoder<T>&, const std::string&, const std::map<std::string, std::string>&); \
    template NamedTerm<T> term_from_text(const Autoencoder<T>&, const std::string&);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
