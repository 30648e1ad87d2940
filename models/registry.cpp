// models/registry.cpp: the table of model kinds.
#include "models/registry.hpp"

#include <limits>
#include <stdexcept>

#include "models/zoo.hpp"
#include "util/check.hpp"

namespace ae {

namespace {

const std::vector<std::string> activations = {"sigmoid", "tanh", "relu", "linear", "softplus"};

Activation act(const Options& o, const std::string& name) { return activation_named(o.word(name)); }
Reconstruction loss(const Options& o) {
    return o.word("loss") == "squared-error" ? Reconstruction::squared_error : Reconstruction::cross_entropy;
}
OptionSpec loss_option(const std::string& d) {
    return word_option("loss", d, {"squared-error", "cross-entropy"}, "reconstruction term");
}
OptionSpec act_option(const std::string& name, const std::string& d, const std::string& help) {
    return word_option(name, d, activations, help);
}

SparseKlOptions sparse_options(const Options& o) {
    SparseKlOptions s;
    s.rho = o.number("rho");
    s.beta = o.number("beta");
    s.lambda = o.number("lambda");
    s.penalty = o.word("penalty") == "kl" ? SparseKlOptions::kl : SparseKlOptions::squared;
    s.encoder = act(o, "encoder");
    s.decoder = act(o, "decoder");
    return s;
}

ContractiveOptions contractive_options(const Options& o) {
    ContractiveOptions c;
    c.lambda = o.number("lambda");
    const std::string& form = o.word("form");
    c.form = form == "closed-form" ? ContractiveOptions::closed_form : form == "exact" ? ContractiveOptions::exact
           : form == "projected"   ? ContractiveOptions::projected : ContractiveOptions::stochastic;
    c.probes = o.count("probes");
    c.gamma = o.number("gamma");
    c.sigma = o.number("sigma");
    c.copies = o.count("copies");
    c.encoder = act(o, "encoder");
    c.decoder = act(o, "decoder");
    c.reconstruction = loss(o);
    c.tied = o.flag("tied");
    return c;
}

template <class T>
Autoencoder<T> sparse_kl_kind(const std::vector<std::size_t>& sizes, const Options& o, std::uint64_t seed) {
    return sparse_kl<T>(sizes, sparse_options(o), seed);
}

template <class T>
Autoencoder<T> k_sparse_kind(const std::vector<std::size_t>& sizes, const Options& o, std::uint64_t seed) {
    return k_sparse<T>(sizes, {o.count("k"), o.number("alpha"), o.count("k-start")}, seed);
}

Corruption corruption(const Options& o) {
    const std::string& c = o.word("corruption");
    const double level = o.number("noise");
    return c == "none"      ? Corruption{}
         : c == "masking"   ? masking_noise(level)
         : c == "gaussian"  ? gaussian_noise(level) : salt_and_pepper(level);
}

template <class T>
Autoencoder<T> denoising_kind(const std::vector<std::size_t>& sizes, const Options& o, std::uint64_t seed) {
    DenoisingOptions d;
    d.corruption = corruption(o);
    d.reconstruction = loss(o);
    d.encoder = act(o, "encoder");
    d.decoder = act(o, "decoder");
    d.tied = o.flag("tied");
    d.lambda = o.number("lambda");
    return denoising<T>(sizes, d, seed);
}

template <class T>
Autoencoder<T> contractive_kind(const std::vector<std::size_t>& sizes, const Options& o, std::uint64_t seed) {
    return contractive<T>(sizes, contractive_options(o), seed);
}

template <class T>
Autoencoder<T> cae_h_kind(const std::vector<std::size_t>& sizes, const Options& o, std::uint64_t seed) {
    return contractive_h<T>(sizes, contractive_options(o), seed);
}

template <class T>
Autoencoder<T> linear_kind(const std::vector<std::size_t>& sizes, const Options&, std::uint64_t seed) {
    return linear<T>(sizes, seed);
}

template <class T>
Autoencoder<T> basic_kind(const std::vector<std::size_t>& sizes, const Options& o, std::uint64_t seed) {
    BasicOptions b;
    b.units = act(o, "units");
    b.reconstruction = loss(o);
    b.tied = o.flag("tied");
    b.lambda = o.number("lambda");
    return basic<T>(sizes, b, seed);
}

template <class T>
Autoencoder<T> deep_kind(const std::vector<std::size_t>& sizes, const Options& o, std::uint64_t seed) {
    DeepOptions d;
    for (const std::string& a : o.words("activations")) d.activations.push_back(activation_named(a));
    d.output = act(o, "output");
    d.tied = o.flag("tied");
    d.reconstruction = loss(o);
    d.lambda = o.number("lambda");
    return deep<T>(sizes, d, seed);
}

// An option that only matters beside another is refused while that one is off: a value given is
// never ignored.
void used_only_if(const Options& o, const std::string& name, bool used, const std::string& when) {
    if (o.given(name) && !used)
        throw std::invalid_argument(o.where() + ": " + name + " is given but has no effect unless " + when);
}

template <class T>
Autoencoder<T> conv_kind(const std::vector<std::size_t>& sizes, const Options& o, std::uint64_t seed) {
    ConvOptions c;
    c.image = o.sizes("image");
    c.kernel = o.count("kernel");
    c.pool = o.count("pool");
    c.pooling = o.word("pooling") == "max" ? Pooling::max : Pooling::average;
    c.activation = act(o, "activation");
    c.output = act(o, "output");
    c.tied = o.flag("tied");
    c.switches = o.word("unpool") == "switches";
    c.reconstruction = loss(o);
    c.lambda = o.number("lambda");
    c.corruption = corruption(o);
    c.beta = o.number("beta");
    c.rho = o.number("rho");
    c.contraction = o.number("contraction");
    c.form = o.word("form") == "exact" ? ContractiveOptions::exact : ContractiveOptions::projected;
    c.probes = o.count("probes");
    used_only_if(o, "noise", c.corruption.kind != Corruption::none, "corruption is masking, gaussian or salt-and-pepper");
    used_only_if(o, "rho", c.beta > 0, "beta > 0");
    used_only_if(o, "form", c.contraction > 0, "contraction > 0");
    used_only_if(o, "probes", c.contraction > 0 && c.form == ContractiveOptions::projected,
                 "contraction > 0 with form projected");
    return conv<T>(sizes, c, seed);
}

template <class T>
Autoencoder<T> stacked_kind(const std::vector<std::size_t>& sizes, const Options& o, std::uint64_t seed) {
    return stacked<T>(sizes, sparse_options(o), seed);
}

#define AEZOO_BUILDERS(f) &f<float>, &f<double>

OptionSpec center_option() {
    return flag_option("center", "false", "subtract the training data's mean from the input (saved as input.mean)");
}

std::vector<OptionSpec> with_center(std::vector<OptionSpec> options) {
    options.insert(options.begin(), center_option());
    return options;
}

std::vector<OptionSpec> sparse_option_list() {
    return {number_option("rho", "0.01", '(', 0, 1, ')', "target mean activation of the code"),
            number_option("beta", "3", '[', 0, inf, ')', "weight of the sparsity penalty"),
            number_option("lambda", "1e-4", '[', 0, inf, ')', "weight decay"),
            word_option("penalty", "kl", {"kl", "squared"}, "KL(rho || rho_hat) or (rho_hat - rho)^2"),
            word_option("encoder", "sigmoid", {"sigmoid", "tanh"}, "hidden units"),
            act_option("decoder", "sigmoid", "output units (linear: UFLDL's linear decoder)")};
}

std::vector<OptionSpec> contractive_option_list(bool need_gamma) {
    return {number_option("lambda", "0.1", '[', 0, inf, ')', "weight of ||dh/dx||_F^2"),
            word_option("form", "closed-form", {"closed-form", "exact", "projected", "stochastic"},
                        "closed form (one dense encoder layer), exact (nested reverse mode, any encoder), projected "
                        "(random projections), stochastic (lambda E||h(x) - h(x + eps)||^2, about lambda sigma^2 ||J||^2)"),
            count_option("probes", "4", 1, inf, "projected: random projections per step"),
            need_gamma ? number_option("gamma", "", '(', 0, inf, ')', "weight of E||J(x) - J(x + eps)||_F^2")
                       : number_option("gamma", "0", '[', 0, inf, ')', "weight of E||J(x) - J(x + eps)||_F^2 (CAE+H)"),
            number_option("sigma", "0.1", '(', 0, inf, ')', "standard deviation of the perturbations"),
            count_option("copies", "4", 1, inf, "perturbed copies per step"),
            act_option("encoder", "sigmoid", "hidden units"),
            act_option("decoder", "sigmoid", "output units"),
            loss_option("cross-entropy"),
            flag_option("tied", "true", "decoder weights are the encoder's transposed")};
}

}  // namespace

const std::vector<ModelKind>& model_kinds() {
    static const std::vector<ModelKind> kinds = {
        {"sparse-kl", "Ng, CS294A notes (UFLDL)", "squared error, weight decay, sparsity of the code",
         with_center(sparse_option_list()), false, AEZOO_BUILDERS(sparse_kl_kind)},
        {"k-sparse", "Makhzani & Frey 2013", "tied, linear, only the k largest code units kept",
         with_center({count_option("k", "", 1, inf, "code units kept per example"),
                      number_option("alpha", "1", '[', 1, inf, ')', "encode keeps round(alpha k) units"),
                      count_option("k-start", "0", 0, inf, "training starts from k-start units, falling to k over the first half (0: no schedule)")}),
         false, AEZOO_BUILDERS(k_sparse_kind)},
        {"denoising", "Vincent et al. 2008", "the encoder sees a corrupted input, the loss the clean one",
         with_center({word_option("corruption", "masking", {"masking", "gaussian", "salt-and-pepper"}, "the noise"),
                      number_option("noise", "0.25", '[', 0, inf, ')', "q (masking), sigma (gaussian), nu (salt-and-pepper)"),
                      loss_option("cross-entropy"), act_option("encoder", "sigmoid", "hidden units"),
                      act_option("decoder", "sigmoid", "output units"),
                      flag_option("tied", "true", "decoder weights are the encoder's transposed"),
                      number_option("lambda", "0", '[', 0, inf, ')', "weight decay")}),
         false, AEZOO_BUILDERS(denoising_kind)},
        {"contractive", "Rifai et al. 2011 (ICML)", "reconstruction + lambda ||dh/dx||_F^2",
         with_center(contractive_option_list(false)), false, AEZOO_BUILDERS(contractive_kind)},
        {"cae+h", "Rifai et al. 2011 (ECML)", "contractive + gamma E||J(x) - J(x + eps)||_F^2",
         with_center(contractive_option_list(true)), false, AEZOO_BUILDERS(cae_h_kind)},
        {"linear", "Baldi & Hornik 1989", "linear units, squared error: learns the principal subspace (= PCA)",
         with_center({}), false, AEZOO_BUILDERS(linear_kind)},
        {"basic", "Bengio et al. 2007", "squared error or cross-entropy, optional weight decay",
         with_center({word_option("units", "sigmoid", {"sigmoid", "linear"}, "encoder and decoder units"),
                      loss_option("squared-error"), flag_option("tied", "false", "decoder weights are the encoder's transposed"),
                      number_option("lambda", "0", '[', 0, inf, ')', "weight decay")}),
         false, AEZOO_BUILDERS(basic_kind)},
        {"deep", "Hinton & Salakhutdinov 2006", "any depth, an activation per encoder layer, mirrored decoder",
         with_center({words_option("activations", "", activations,
                                   "one per encoder layer, e.g. sigmoid,sigmoid,sigmoid,linear (default: sigmoid, the code linear)"),
                      act_option("output", "sigmoid", "the decoder's last activation"),
                      flag_option("tied", "false", "decoder weights are the encoder's transposed"),
                      loss_option("cross-entropy"), number_option("lambda", "0", '[', 0, inf, ')', "weight decay")}),
         false, AEZOO_BUILDERS(deep_kind)},
        {"conv", "Masci et al. 2011", "stages of conv, activation and pooling (--hidden: channels), mirrored decoder",
         with_center({sizes_option("image", "", "channels,height,width of the input (default: one channel, square)"),
                      count_option("kernel", "5", 1, inf, "side of the square kernels (odd: the padding keeps the image size)"),
                      count_option("pool", "2", 1, inf, "side of the pooling windows after each conv (1: none)"),
                      word_option("pooling", "max", {"max", "average"}, "the pooling; the decoder upsamples"),
                      act_option("activation", "relu", "each conv's units"),
                      act_option("output", "sigmoid", "the decoder's last activation"),
                      flag_option("tied", "false", "each transposed conv uses its conv's kernels"),
                      word_option("unpool", "upsample", {"upsample", "switches"},
                                  "the decoder repeats each pixel, or puts it back where its max pool took it from"),
                      loss_option("cross-entropy"), number_option("lambda", "0", '[', 0, inf, ')', "weight decay"),
                      word_option("corruption", "none", {"none", "masking", "gaussian", "salt-and-pepper"},
                                  "denoising: the encoder's input noise"),
                      number_option("noise", "0.25", '[', 0, inf, ')', "q (masking), sigma (gaussian), nu (salt-and-pepper)"),
                      number_option("beta", "0", '[', 0, inf, ')', "weight of the code's KL sparsity (activation sigmoid or tanh)"),
                      number_option("rho", "0.05", '(', 0, 1, ')', "target mean activation of the code"),
                      number_option("contraction", "0", '[', 0, inf, ')', "weight of ||dh/dx||_F^2"),
                      word_option("form", "projected", {"exact", "projected"},
                                  "the contraction by nested reverse mode or random projections"),
                      count_option("probes", "4", 1, inf, "projected: random projections per step")}),
         false, AEZOO_BUILDERS(conv_kind)},
        {"stacked", "Bengio et al. 2007; UFLDL", "sparse layers pretrained greedily, a softmax head, fine-tuning",
         [] {
             std::vector<OptionSpec> o = with_center(sparse_option_list());
             o.push_back(count_option("classes", "10", 2, inf, "classes of the softmax head"));
             o.push_back(number_option("head-lambda", "1e-4", '[', 0, inf, ')', "the head's weight decay"));
             return o;
         }(),
         true, AEZOO_BUILDERS(stacked_kind)},
    };
    return kinds;
}

const ModelKind& model_kind(const std::string& name) {
    std::vector<std::string> names;
    for (const ModelKind& k : model_kinds()) {
        if (k.name == name) return k;
        names.push_back(k.name);
    }
    throw std::invalid_argument("unknown model '" + name + "'; the models are " + join(names, ", "));
}

template <>
Autoencoder<float> build_model(const ModelKind& kind, const std::vector<std::size_t>& sizes, const Options& options,
                               std::uint64_t seed) {
    return kind.build_float(sizes, options, seed);
}
template <>
Autoencoder<double> build_model(const ModelKind& kind, const std::vector<std::size_t>& sizes, const Options& options,
                                std::uint64_t seed) {
    return kind.build_double(sizes, options, seed);
}

std::string model_table_markdown() {
    std::string s = "| model (`--model`) | paper | what it is | options (default) |\n| --- | --- | --- | --- |\n";
    for (const ModelKind& k : model_kinds()) {
        std::vector<std::string> options;
        for (const OptionSpec& o : k.options) {
            if (o.name == "center") continue;
            std::string values = o.type == OptionSpec::word ? join(o.choices, "\\|")
                               : o.type == OptionSpec::flag ? "true\\|false" : "";
            options.push_back("`" + o.name + "`" + (values.empty() ? "" : " " + values) +
                              (o.fallback.empty() ? (o.type == OptionSpec::words || o.type == OptionSpec::sizes ? "" : " (required)") : " (" + o.fallback + ")"));
        }
        std::string summary;
        for (char ch : k.summary) summary += ch == '|' ? std::string("\\|") : std::string(1, ch);
        s += "| `" + k.name + "` | " + k.paper + " | " + summary + " | " + (options.empty() ? "none" : join(options, ", ")) + " |\n";
    }
    return s;
}

}  // namespace ae
