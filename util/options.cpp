// util/options.cpp: typed options, parsed completely.
#include "util/options.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "util/check.hpp"

namespace ae {

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = std::min(text.find(separator, start), text.size());
        parts.push_back(text.substr(start, end - start));
        if (end == text.size()) return parts;
        start = end + 1;
    }
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string s;
    for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? separator : "") + parts[i];
    return s;
}

double parse_number(const std::string& text, const std::string& what) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size()) throw std::invalid_argument(what + " = '" + text + "' is not a number");
    return v;
}

std::vector<std::size_t> parse_sizes(const std::string& text, const std::string& what) {
    std::vector<std::size_t> sizes;
    for (const std::string& part : split(text, ',')) {
        const bool digits = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
        unsigned long long n = 0;
        if (digits && part.size() < 19) n = std::stoull(part);
        if (n == 0) throw std::invalid_argument(what + ": '" + text + "' is not a list of positive sizes");
        sizes.push_back(std::size_t(n));
    }
    return sizes;
}

std::string OptionSpec::describe() const {
    std::string s = name + ": ";
    switch (type) {
        case number:
        case count:
            s += std::string(type == number ? "number" : "whole number") + " in " + left + number_text(lo) + ", " +
                 (std::isinf(hi) ? std::string("inf") : number_text(hi)) + right;
            break;
        case word: s += join(choices, "|"); break;
        case flag: s += "true|false"; break;
        case sizes: s += "sizes, e.g. 1000,500"; break;
        case words: s += "list of " + join(choices, "|"); break;
    }
    s += fallback.empty() ? (type == sizes || type == words ? "" : ", required") : ", default " + fallback;
    return help.empty() ? s : s + ": " + help;
}

OptionSpec number_option(std::string name, std::string fallback, char left, double lo, double hi, char right,
                         std::string help) {
    OptionSpec o;
    o.type = OptionSpec::number;
    o.name = std::move(name);
    o.fallback = std::move(fallback);
    o.left = left;
    o.lo = lo;
    o.hi = hi;
    o.right = right;
    o.help = std::move(help);
    return o;
}

OptionSpec count_option(std::string name, std::string fallback, double lo, double hi, std::string help) {
    OptionSpec o = number_option(std::move(name), std::move(fallback), '[', lo, hi, std::isinf(hi) ? ')' : ']',
                                 std::move(help));
    o.type = OptionSpec::count;
    return o;
}

OptionSpec word_option(std::string name, std::string fallback, std::vector<std::string> choices, std::string help) {
    OptionSpec o;
    o.type = OptionSpec::word;
    o.name = std::move(name);
    o.fallback = std::move(fallback);
    o.choices = std::move(choices);
    o.help = std::move(help);
    return o;
}

OptionSpec flag_option(std::string name, std::string fallback, std::string help) {
    OptionSpec o = word_option(std::move(name), std::move(fallback), {"true", "false"}, std::move(help));
    o.type = OptionSpec::flag;
    return o;
}

OptionSpec sizes_option(std::string name, std::string fallback, std::string help) {
    OptionSpec o;
    o.type = OptionSpec::sizes;
    o.name = std::move(name);
    o.fallback = std::move(fallback);
    o.help = std::move(help);
    return o;
}

OptionSpec words_option(std::string name, std::string fallback, std::vector<std::string> choices, std::string help) {
    OptionSpec o = word_option(std::move(name), std::move(fallback), std::move(choices), std::move(help));
    o.type = OptionSpec::words;
    return o;
}

Options::Options(std::string where, std::vector<OptionSpec> specs, std::map<std::string, std::string> values)
    : m_where(std::move(where)), m_specs(std::move(specs)), m_given(std::move(values)) {
    for (const auto& given_option : m_given) {
        const std::string& name = given_option.first;
        const bool known = std::any_of(m_specs.begin(), m_specs.end(), [&](const OptionSpec& s) { return s.name == name; });
        if (!known) {
            std::vector<std::string> names;
            for (const OptionSpec& s : m_specs) names.push_back(s.name);
            throw std::invalid_argument(m_where + ": '" + name + "' is not one of its options (" +
                                        (names.empty() ? "it has none" : join(names, ", ")) + ")");
        }
    }
    // Every value, given or default, is read once here, so a bad one fails before anything is built.
    for (const OptionSpec& s : m_specs) {
        if (s.fallback.empty() && !given(s.name)) {
            if (s.type == OptionSpec::sizes || s.type == OptionSpec::words) continue;
            throw std::invalid_argument(m_where + ": " + s.name + " is required (" + s.describe() + ")");
        }
        switch (s.type) {
            case OptionSpec::number: number(s.name); break;
            case OptionSpec::count: count(s.name); break;
            case OptionSpec::word:
            case OptionSpec::flag: word(s.name); break;
            case OptionSpec::sizes: sizes(s.name); break;
            case OptionSpec::words: words(s.name); break;
        }
    }
}

const OptionSpec& Options::spec(const std::string& name) const {
    for (const OptionSpec& s : m_specs)
        if (s.name == name) return s;
    throw std::logic_error(m_where + ": no option called " + name + " is declared");
}

const std::string& Options::text(const std::string& name) const {
    auto it = m_given.find(name);
    return it == m_given.end() ? spec(name).fallback : it->second;
}

double Options::number(const std::string& name) const {
    const OptionSpec& s = spec(name);
    const double v = parse_number(text(name), m_where + ": " + name);
    check_range(m_where, name, v, s.left, s.lo, s.hi, s.right);
    return v;
}

std::size_t Options::count(const std::string& name) const {
    const double v = number(name);
    if (v != std::floor(v) || v > 9007199254740992.0)  // whole, and exactly a double (2^53)
        throw std::invalid_argument(m_where + ": " + name + " = " + text(name) + " is not a whole number");
    return std::size_t(v);
}

const std::string& Options::word(const std::string& name) const {
    const OptionSpec& s = spec(name);
    const std::string& v = text(name);
    if (std::find(s.choices.begin(), s.choices.end(), v) == s.choices.end())
        throw std::invalid_argument(m_where + ": " + name + " = '" + v + "' is not one of " + join(s.choices, ", "));
    return v;
}

bool Options::flag(const std::string& name) const {
    return word(name) == "true";
}

std::vector<std::size_t> Options::sizes(const std::string& name) const {
    const std::string& v = text(name);
    return v.empty() ? std::vector<std::size_t>{} : parse_sizes(v, m_where + ": " + name);
}

std::vector<std::string> Options::words(const std::string& name) const {
    const OptionSpec& s = spec(name);
    const std::string& v = text(name);
    if (v.empty()) return {};
    std::vector<std::string> parts = split(v, ',');
    for (const std::string& p : parts)
        if (std::find(s.choices.begin(), s.choices.end(), p) == s.choices.end())
            throw std::invalid_argument(m_where + ": " + name + " = '" + v + "': '" + p + "' is not one of " +
                                        join(s.choices, ", "));
    return parts;
}

}  // namespace ae
