// transforms/corruption.cpp: drawing the corruption noise, and applying it.
#include "transforms/corruption.hpp"

#include <limits>
#include <sstream>

#include "autodiff/operators.hpp"
#include "util/check.hpp"
#include "util/options.hpp"

namespace ae {

Corruption masking_noise(double q) { return {Corruption::masking, q}; }
Corruption gaussian_noise(double sigma) { return {Corruption::gaussian, sigma}; }
Corruption salt_and_pepper(double nu, double low, double high) {
    return {Corruption::salt_and_pepper, nu, low, high};
}

std::string name_of(const Corruption& c) {
    std::ostringstream s;
    switch (c.kind) {
        case Corruption::none: return "none";
        case Corruption::masking: s << "masking (q = " << c.level << ")"; break;
        case Corruption::gaussian: s << "gaussian (sigma = " << c.level << ")"; break;
        case Corruption::salt_and_pepper:
            s << "salt and pepper (nu = " << c.level << ", values " << c.low << " and " << c.high << ")";
            break;
    }
    return s.str();
}

std::string text_of(const Corruption& c) {
    switch (c.kind) {
        case Corruption::none: return "none";
        case Corruption::masking: return "masking " + number_text(c.level);
        case Corruption::gaussian: return "gaussian " + number_text(c.level);
        case Corruption::salt_and_pepper:
            return "salt-and-pepper " + number_text(c.level) + " " + number_text(c.low) + " " + number_text(c.high);
    }
    return "none";
}

Corruption corruption_from_text(const std::string& text) {
    const std::vector<std::string> w = split(text, ' ');
    const auto at = [&](std::size_t i) { return parse_number(w.at(i), "corruption '" + text + "'"); };
    Corruption c;
    if (w.size() == 2 && w[0] == "masking") c = masking_noise(at(1));
    else if (w.size() == 2 && w[0] == "gaussian") c = gaussian_noise(at(1));
    else if (w.size() == 4 && w[0] == "salt-and-pepper") c = salt_and_pepper(at(1), at(2), at(3));
    else if (w.size() == 1 && w[0] == "none") return c;
    else
        throw std::invalid_argument("corruption '" + text +
                                    "' is not one of: masking Q, gaussian SIGMA, salt-and-pepper NU LOW HIGH, none");
    validate(c, "corruption");
    return c;
}

void validate(const Corruption& c, const std::string& where) {
    switch (c.kind) {
        case Corruption::none: break;
        case Corruption::masking: check_range(where, "q", c.level, '[', 0, 1, ')'); break;
        case Corruption::gaussian: check_range(where, "sigma", c.level, '[', 0, inf, ')'); break;
        case Corruption::salt_and_pepper:
            check_range(where, "nu", c.level, '[', 0, 1, ']');
            check_range(where, "salt-and-pepper high", c.high, '[', c.low, inf, ')');
            break;
    }
}

template <class T>
Noise<T> draw_noise(const Corruption& c, const Shape& shape, ExampleNoise& noise) {
    validate(c, "corruption");
    Noise<T> n;
    const std::size_t rows = shape[0], m = shape[1];
    std::uniform_real_distribution<double> u(0.0, 1.0);
    if (c.kind == Corruption::masking) {
        n.keep = Array<T>::from_shape(shape);
        noise.draw(m, [&](std::size_t j, SplitMix64& g) {
            for (std::size_t i = 0; i < rows; ++i) n.keep(i, j) = u(g) < c.level ? T(0) : T(1);
        });
    } else if (c.kind == Corruption::gaussian) {
        n.add = Array<T>::from_shape(shape);
        noise.draw(m, [&](std::size_t j, SplitMix64& g) {
            std::normal_distribution<double> normal(0.0, c.level);
            for (std::size_t i = 0; i < rows; ++i) n.add(i, j) = T(normal(g));
        });
    } else if (c.kind == Corruption::salt_and_pepper) {
        n.keep = Array<T>::from_shape(shape);
        n.add = Array<T>::from_shape(shape);
        noise.draw(m, [&](std::size_t j, SplitMix64& g) {
            for (std::size_t i = 0; i < rows; ++i) {
                const bool hit = u(g) < c.level;
                const bool salt = u(g) < 0.5;  // drawn for every entry: the stream does not depend on hits
                n.keep(i, j) = hit ? T(0) : T(1);
                n.add(i, j) = hit ? T(salt ? c.high : c.low) : T(0);
            }
        });
    }
    return n;
}

template <class T>
Var<T> corrupt(const Var<T>& x, const Noise<T>& noise) {
    Var<T> y = x;
    if (noise.keep.size() > 0) y = y * x.tape->leaf(noise.keep);
    if (noise.add.size() > 0) y = y + x.tape->leaf(noise.add);
    return y;
}

template <class T>
Array<T> corrupt(const Array<T>& x, const Noise<T>& noise) {
    Array<T> y = x;
    if (noise.keep.size() > 0) y *= noise.keep;
    if (noise.add.size() > 0) y += noise.add;
    return y;
}

#define AEZOO_INSTANTIATE(T)                                                          \
    template Noise<T> draw_noise(const Corruption&, const Shape&, ExampleNoise&);  \
    template Var<T> corrupt(const Var<T>&, const Noise<T>&);                          \
    template Array<T> corrupt(const Array<T>&, const Noise<T>&);
AEZOO_INSTANTIATE(float)
AEZOO_INSTANTIATE(double)
#undef AEZOO_INSTANTIATE

}  // namespace ae
