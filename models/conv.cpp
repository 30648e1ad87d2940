// models/conv.cpp: the convolutional autoencoder as stages of conv, activation and pooling.
#include "models/conv.hpp"

#include <cmath>
#include <stdexcept>

#include "models/terms.hpp"
#include "util/check.hpp"
#include "util/options.hpp"

namespace ae {
namespace {

// The input image: as given, or one channel of a square image.
Window input_image(std::size_t visible, const std::vector<std::size_t>& image) {
    if (image.empty()) {
        const auto side = std::size_t(std::llround(std::sqrt(double(visible))));
        check(side * side == visible, "conv",
              std::to_string(visible) + " inputs are not a square image: give image channels,height,width");
        return {1, side, side};
    }
    check(image.size() == 3, "conv", "image must be channels,height,width, got " + std::to_string(image.size()) + " numbers");
    const Window w{image[0], image[1], image[2]};
    check(w.rows() == visible, "conv",
          "image " + std::to_string(w.channels) + "," + std::to_string(w.height) + "," + std::to_string(w.width) +
              " (" + image_text(w.channels, w.height, w.width) + ") has " + std::to_string(w.rows()) +
              " values per example, the input " + std::to_string(visible));
    return w;
}

}  // namespace

template <class T>
Autoencoder<T> conv(const std::vector<std::size_t>& sizes, const ConvOptions& o, std::uint64_t seed) {
    check(sizes.size() >= 2, "conv", "sizes must be visible, then the channels of each stage (e.g. 784, 32, 64)");
    check(o.kernel % 2 == 1, "conv",
          "kernel " + std::to_string(o.kernel) + " must be odd, so that padding (kernel - 1) / 2 keeps the image size");
    check(o.pool >= 1, "conv", "pool must be at least 1 (1: no pooling)");
    check(!o.switches || (o.pool > 1 && o.pooling == Pooling::max), "conv",
          "unpooling at the switches needs max pooling (pool > 1, pooling max)");
    check(o.form == ContractiveOptions::exact || o.form == ContractiveOptions::projected, "conv",
          "the contractive penalty of a conv encoder is exact or projected");
    Window image = input_image(sizes[0], o.image);
    Sequence<T> e;
    for (std::size_t i = 1; i < sizes.size(); ++i) {
        const std::size_t out = sizes[i];
        try {
            check(out > 0, "conv", "channels must be positive");
            e.add(Conv<T>({image.channels, image.height, image.width, o.kernel, 1, (o.kernel - 1) / 2}, out));
            e.add(Activate<T>(o.activation));
            image = {out, image.height, image.width};
            if (o.pool > 1) {
                const Window p{out, image.height, image.width, o.pool, o.pool, 0};
                e.add(Pool<T>(o.pooling, p));
                image = {out, p.out_height(), p.out_width()};
            }
        } catch (const std::invalid_argument& err) {
            throw std::invalid_argument("conv: stage " + std::to_string(i) + " of " + std::to_string(sizes.size() - 1) +
                                        ": " + err.what());
        }
    }
    Sequence<T> d = mirror(e, "encoder", o.tied, o.output, o.switches);
    Autoencoder<T> model("conv", std::move(e), std::move(d), seed);
    if (o.corruption.kind != Corruption::none) model.corrupt(o.corruption);
    add_reconstruction(model, o.reconstruction);
    if (o.lambda != 0) model.add_term(make_term(model, "weight_decay", {{"lambda", number_text(o.lambda)}}));
    if (o.beta != 0)
        model.add_term(make_term(model, "kl_sparsity", {{"beta", number_text(o.beta)}, {"rho", number_text(o.rho)}}));
    if (o.contraction != 0)
        model.add_term(make_term(model, "contractive",
                                 {{"lambda", number_text(o.contraction)},
                                  {"form", o.form == ContractiveOptions::exact ? "exact" : "projected"},
                                  {"probes", std::to_string(o.probes)}}));
    return model;
}

template Autoencoder<float> conv(const std::vector<std::size_t>&, const ConvOptions&, std::uint64_t);
template Autoencoder<double> conv(const std::vector<std::size_t>&, const ConvOptions&, std::uint64_t);

}  // namespace ae
