// layers/conv.cpp: convolution, its transpose, pooling and upsampling as layers over the image
// primitives (no VJPs of their own), and their lines of text.
#include "layers/conv.hpp"

#include <istream>
#include <stdexcept>

#include "autodiff/functions.hpp"
#include "layers/dense.hpp"

namespace ae {

namespace {

std::string window_text(const Window& w) {
    return "kernel " + std::to_string(w.kernel) + " stride " + std::to_string(w.stride) + " pad " + std::to_string(w.pad);
}

std::size_t fitting(const std::string& layer, std::size_t expected, const std::string& image, std::size_t in,
                    std::size_t out) {
    if (in != expected)
        throw std::invalid_argument(layer + " takes " + std::to_string(expected) + " inputs (" + image +
                                    " images), given " + std::to_string(in));
    return out;
}

// The pooled (smaller) image of a pooling window.
std::string pooled_text(const Window& w) { return image_text(w.channels, w.out_height(), w.out_width()); }

}  // namespace

std::string image_text(std::size_t channels, std::size_t height, std::size_t width) {
    return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
}

Window image_named(const std::string& text) {
    Window w;
    std::size_t* dims[3] = {&w.channels, &w.height, &w.width};
    std::size_t at = 0;
    for (int d = 0; d < 3; ++d) {
        const std::size_t end = d < 2 ? text.find('x', at) : text.size();
        const std::string part = end == std::string::npos ? "" : text.substr(at, end - at);
        if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos ||
            std::stoul(part) == 0)
            throw std::invalid_argument("image '" + text + "' is not CHANNELSxHEIGHTxWIDTH with positive sizes (e.g. 1x28x28)");
        *dims[d] = std::stoul(part);
        at = end + 1;
    }
    return w;
}

// ---- conv -------------------------------------------------------------------------------------

template <class T>
Conv<T>::Conv(const Window& window, std::size_t out_channels) : m_window(window) {
    window.check("conv");
    if (out_channels == 0) throw std::invalid_argument("conv (" + window.text() + "): out channels must be positive");
    W = xt::zeros<T>({out_channels, window.patch()});
    b = xt::zeros<T>({out_channels, std::size_t(1)});
}

template <class T>
std::string Conv<T>::text() const {
    const Window& w = m_window;
    return "conv " + image_text(w.channels, w.height, w.width) + " " + std::to_string(out_channels()) + " " + window_text(w);
}

template <class T>
std::size_t Conv<T>::output_size(std::size_t n) const {
    const Window& w = m_window;
    return fitting(text(), w.rows(), image_text(w.channels, w.height, w.width), n, out_channels() * w.out_pixels());
}

template <class T>
void Conv<T>::initialize(std::mt19937_64& rng) {
    const std::size_t k2 = m_window.kernel * m_window.kernel;
    W = uniform<T>(W.shape(0), W.shape(1), ufldl_radius(out_channels() * k2, m_window.channels * k2), rng);
    b.fill(T(0));
}

template <class T>
Var<T> Conv<T>::forward(const Var<T>& x, const Bound<T>& p) const {
    return add_channels(conv2d(x, p["W"], m_window), p["b"]);
}

// ---- deconv -----------------------------------------------------------------------------------

template <class T>
ConvTranspose<T>::ConvTranspose(const Window& window, std::size_t in_channels, std::string weight)
    : m_window(window), m_in(in_channels), m_weight(std::move(weight)) {
    window.check("deconv");
    if (in_channels == 0) throw std::invalid_argument("deconv (" + window.text() + "): in channels must be positive");
    if (m_weight.empty()) W = xt::zeros<T>({in_channels, window.patch()});
    b = xt::zeros<T>({window.channels, std::size_t(1)});
}

template <class T>
std::string ConvTranspose<T>::text() const {
    const Window& w = m_window;
    return "deconv " + image_text(w.channels, w.height, w.width) + " " + std::to_string(m_in) + " " + window_text(w) +
           (m_weight.empty() ? "" : " tied " + m_weight);
}

template <class T>
std::size_t ConvTranspose<T>::output_size(std::size_t n) const {
    const Window& w = m_window;
    return fitting(text(), m_in * w.out_pixels(), image_text(m_in, w.out_height(), w.out_width()), n, w.rows());
}

template <class T>
ParamList<T> ConvTranspose<T>::parameters() {
    if (!m_weight.empty()) return {{"b", &b, false}};
    return {{"W", &W, true}, {"b", &b, false}};
}

template <class T>
std::vector<std::pair<std::string, Shape>> ConvTranspose<T>::uses() const {
    if (m_weight.empty()) return {};
    return {{m_weight, Shape{m_in, m_window.patch()}}};
}

template <class T>
void ConvTranspose<T>::initialize(std::mt19937_64& rng) {
    const std::size_t k2 = m_window.kernel * m_window.kernel;
    if (m_weight.empty()) W = uniform<T>(W.shape(0), W.shape(1), ufldl_radius(m_in * k2, m_window.channels * k2), rng);
    b.fill(T(0));
}

template <class T>
Var<T> ConvTranspose<T>::forward(const Var<T>& x, const Bound<T>& p) const {
    return add_channels(conv2d_transpose(x, m_weight.empty() ? p["W"] : p.at(m_weight), m_window), p["b"]);
}

// ---- pooling and upsampling -------------------------------------------------------------------

template <class T>
Pool<T>::Pool(Pooling kind, const Window& window) : m_kind(kind), m_window(window) {
    window.check_pooling(kind == Pooling::max ? "max_pool" : "avg_pool");
}

template <class T>
std::string Pool<T>::text() const {
    const Window& w = m_window;
    return std::string(m_kind == Pooling::max ? "max_pool " : "avg_pool ") + image_text(w.channels, w.height, w.width) +
           " " + std::to_string(w.kernel);
}

template <class T>
std::size_t Pool<T>::output_size(std::size_t n) const {
    const Window& w = m_window;
    return fitting(text(), w.rows(), image_text(w.channels, w.height, w.width), n, w.channels * w.out_pixels());
}

template <class T>
Var<T> Pool<T>::forward(const Var<T>& x, const Bound<T>&) const {
    if (m_kind == Pooling::max) return sum_pool(x * max_pool_mask(x, m_window), m_window);
    return scale(sum_pool(x, m_window), 1.0 / double(m_window.kernel * m_window.kernel));
}

template <class T>
Upsample<T>::Upsample(const Window& window, std::string switches) : m_window(window), m_switches(std::move(switches)) {
    window.check_pooling(m_switches.empty() ? "upsample" : "unpool");
}

template <class T>
std::string Upsample<T>::text() const {
    return (m_switches.empty() ? "upsample " : "unpool ") + pooled_text(m_window) + " " + std::to_string(m_window.kernel) +
           (m_switches.empty() ? "" : " at " + m_switches);
}

template <class T>
std::size_t Upsample<T>::output_size(std::size_t n) const {
    const Window& w = m_window;
    return fitting(text(), w.channels * w.out_pixels(), pooled_text(w), n, w.rows());
}

template <class T>
Var<T> Upsample<T>::forward(const Var<T>& x, const Bound<T>& p) const {
    if (m_switches.empty()) return upsample(x, m_window);
    const Var<T>* pooled = p.value(m_switches + ".input");
    if (!pooled)
        throw std::invalid_argument(text() + ": no pass through " + m_switches +
                                    " to take the positions from (a code alone cannot be unpooled: reconstruct its input)");
    return upsample(x, m_window) * max_pool_mask(*pooled, m_window);
}

// ---- text -------------------------------------------------------------------------------------

template <class T>
std::unique_ptr<Layer<T>> image_layer_from_text(const std::string& kind, std::istream& rest, const std::string& line) {
    const bool conv = kind == "conv", deconv = kind == "deconv", pool = kind == "max_pool" || kind == "avg_pool";
    const bool unpool = kind == "unpool";
    if (!conv && !deconv && !pool && !unpool && kind != "upsample") return nullptr;
    std::vector<std::string> words;
    for (std::string w; rest >> w;) words.push_back(w);
    const std::string form = conv ? "conv CxHxW OUT kernel K stride S pad P"
                           : deconv ? "deconv CxHxW IN kernel K stride S pad P [tied WEIGHT]"
                           : unpool ? "unpool CxHxW K at LAYER" : kind + " CxHxW K";
    const auto bad = [&] { return std::invalid_argument("layer '" + line + "': expected " + form); };
    const auto image = [&]() {
        try {
            return image_named(words.at(0));
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("layer '" + line + "': " + e.what());
        }
    };
    const auto number = [&](std::size_t i, bool zero_ok) {
        const std::string& s = words[i];
        if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) throw bad();
        const std::size_t v = std::stoul(s);
        if (v == 0 && !zero_ok) throw bad();
        return v;
    };
    if (pool || unpool || kind == "upsample") {
        if (words.size() != (unpool ? 4u : 2u) || (unpool && words[2] != "at")) throw bad();
        Window w = image();
        w.kernel = w.stride = number(1, false);
        if (pool) return std::make_unique<Pool<T>>(kind == "max_pool" ? Pooling::max : Pooling::average, w);
        w.height *= w.kernel;  // the text names the small image; the window, the large one
        w.width *= w.kernel;
        return std::make_unique<Upsample<T>>(w, unpool ? words[3] : "");
    }
    const bool tied = deconv && words.size() == 10;
    if (words.size() != (tied ? 10u : 8u) || words[2] != "kernel" || words[4] != "stride" || words[6] != "pad" ||
        (tied && words[8] != "tied"))
        throw bad();
    Window w = image();
    w.kernel = number(3, false);
    w.stride = number(5, false);
    w.pad = number(7, true);
    if (conv) return std::make_unique<Conv<T>>(w, number(1, false));
    return std::make_unique<ConvTranspose<T>>(w, number(1, false), tied ? words[9] : "");
}

#define AEZOO_INSTANTIATE(T)                                                                          \
    template class Conv<T>;                                                                           \
    template class ConvTranspose<T>;                                                                  \
    template class Pool<T>;                                                                           \
    template class Upsample<T>;                                                                       \
    template std::unique_ptr<Layer<T>> image_layer_from_text(const std::string&, std::istream&, const std::string&);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
