// layers/conv.hpp: layers over images (autodiff/window.hpp: one image per column, flattened
// channel-major). A dense layer reads a conv layer's output as it is, so no flatten layer is needed.
//
//   Sequence<double> encoder{Conv<double>({1, 28, 28, 5, 1, 2}, 32), Activate<double>(Activation::relu),
//                            Pool<double>(Pooling::max, {32, 28, 28, 2, 2, 0})};
#pragma once
#include <iosfwd>
#include <string>

#include "layers/layer.hpp"

namespace ae {

// out channels of K x K kernels over C x H x W images, stride and zero padding from the window:
// (C*H*W, m) to (out*H'*W', m). W (out, C*K*K) is the kernel matrix (row o: kernel o, channel-major),
// b (out, 1) one bias per output channel. Initialised W ~ U[-r, r] with r = ufldl_radius(out*K*K, C*K*K), b = 0.
template <class T>
class Conv : public Layer<T> {
public:
    Conv(const Window& window, std::size_t out_channels);
    Array<T> W, b;
    const Window& window() const { return m_window; }
    std::size_t out_channels() const { return W.shape(0); }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Conv>(*this); }
    std::string text() const override;  // "conv 1x28x28 32 kernel 5 stride 1 pad 2"
    std::size_t output_size(std::size_t in) const override;
    std::size_t input_size() const override { return m_window.rows(); }
    ParamList<T> parameters() override { return {{"W", &W, true}, {"b", &b, false}}; }
    void initialize(std::mt19937_64& rng) override;
    Var<T> forward(const Var<T>& x, const Bound<T>& p) const override;

private:
    Window m_window;
};

// The transpose of a convolution (a decoder's layer): in-channel images of the size Conv(window,
// in_channels) gives back to images of window's size, plus a bias per output channel. Its kernel
// is its own (in_channels, C*K*K), or, when `weight` names one, a conv layer's W read transposed
// (tied, as TiedDense is to Dense).
template <class T>
class ConvTranspose : public Layer<T> {
public:
    ConvTranspose(const Window& window, std::size_t in_channels, std::string weight = "");
    Array<T> W, b;  // W empty when tied
    const Window& window() const { return m_window; }
    const std::string& weight() const { return m_weight; }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<ConvTranspose>(*this); }
    std::string text() const override;  // "deconv 1x28x28 32 kernel 5 stride 1 pad 2[ tied encoder.0.W]"
    std::size_t output_size(std::size_t in) const override;
    std::size_t input_size() const override { return m_in * m_window.out_pixels(); }
    ParamList<T> parameters() override;
    std::vector<std::pair<std::string, Shape>> uses() const override;
    void initialize(std::mt19937_64& rng) override;
    Var<T> forward(const Var<T>& x, const Bound<T>& p) const override;

private:
    Window m_window;
    std::size_t m_in;
    std::string m_weight;
};

enum class Pooling { max, average };

// Pooling over K x K windows that tile the image without overlap: (C*H*W, m) to (C*(H/K)*(W/K), m).
// Max pooling passes the gradient to each window's first largest entry; average pooling to all.
template <class T>
class Pool : public Layer<T> {
public:
    Pool(Pooling kind, const Window& window);
    Pooling kind() const { return m_kind; }
    const Window& window() const { return m_window; }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Pool>(*this); }
    std::string text() const override;  // "max_pool 32x28x28 2", "avg_pool 32x28x28 2"
    std::size_t output_size(std::size_t in) const override;
    std::size_t input_size() const override { return m_window.rows(); }
    Var<T> forward(const Var<T>& x, const Bound<T>& p) const override;

private:
    Pooling m_kind;
    Window m_window;
};

// A decoder's inverse of pooling, C x H x W to C x HK x WK; `window` is that of the pooling it
// undoes. Nearest-neighbour upsampling repeats each pixel over its K x K block. With `switches`
// naming an encoder's max pooling ("encoder.2"), unpooling puts each value back at the position
// that pooling took it from and zeros elsewhere (Zeiler et al. 2011's switches): it reads the
// pooling's input in the same pass, so it decodes a code only inside a reconstruction.
template <class T>
class Upsample : public Layer<T> {
public:
    explicit Upsample(const Window& window, std::string switches = "");
    const Window& window() const { return m_window; }
    const std::string& switches() const { return m_switches; }
    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<Upsample>(*this); }
    std::string text() const override;  // "upsample 32x7x7 2", "unpool 32x7x7 2 at encoder.5"
    std::size_t output_size(std::size_t in) const override;
    std::size_t input_size() const override { return m_window.channels * m_window.out_pixels(); }
    Var<T> forward(const Var<T>& x, const Bound<T>& p) const override;

private:
    Window m_window;
    std::string m_switches;
};

// "CxHxW" as a window's image; throws naming the text.
Window image_named(const std::string& text);
std::string image_text(std::size_t channels, std::size_t height, std::size_t width);  // "1x28x28"

// The image layer a line of text describes ("conv ...", "deconv ...", "max_pool ...", "avg_pool
// ...", "upsample ...", "unpool ..."), its kind already read from `rest`; null when `kind` is none of them.
template <class T>
std::unique_ptr<Layer<T>> image_layer_from_text(const std::string& kind, std::istream& rest, const std::string& line);

}  // namespace ae
