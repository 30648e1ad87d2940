// util/options.hpp: typed options declared once (name, type, default, allowed values, help) and
// read from text. The model registry and the table of loss terms declare theirs here; the command
// line's flags, --help, validation and the README's table all come from these declarations.
// A value is parsed completely ("1e-3x" is refused) and "not given" is not a value: an option left
// out takes its default, an option given is never replaced.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "util/text.hpp"  // number_text, used with options everywhere

namespace ae {

struct OptionSpec {
    enum Type { number, count, word, flag, sizes, words } type = number;
    std::string name;
    std::string fallback;  // the default as text; empty: the option is required (or, for lists, empty)
    std::string help;
    // number and count: the allowed interval, '(' or '[' ... ')' or ']' (infinity for no end).
    char left = '[';
    double lo = -1e308, hi = 1e308;
    char right = ']';
    std::vector<std::string> choices;  // word and words: the allowed values
    std::string describe() const;      // "rho: number in (0, 1), default 0.01: target mean activation"
};

// Declarations, briefly: number("rho", "0.01", '(', 0, 1, ')', "target mean activation").
OptionSpec number_option(std::string name, std::string fallback, char left, double lo, double hi, char right,
                         std::string help);
OptionSpec count_option(std::string name, std::string fallback, double lo, double hi, std::string help);
OptionSpec word_option(std::string name, std::string fallback, std::vector<std::string> choices, std::string help);
OptionSpec flag_option(std::string name, std::string fallback, std::string help);
OptionSpec sizes_option(std::string name, std::string fallback, std::string help);
OptionSpec words_option(std::string name, std::string fallback, std::vector<std::string> choices, std::string help);

// Values given as text, checked against the declarations when constructed: an unknown name (the
// message lists the known ones), a malformed or out-of-range value, a required option missing:
// each throws std::invalid_argument starting with `where` ("sparse-kl: rho = 1.5 is outside (0, 1)").
class Options {
public:
    Options(std::string where, std::vector<OptionSpec> specs, std::map<std::string, std::string> given);

    double number(const std::string& name) const;
    std::size_t count(const std::string& name) const;
    const std::string& word(const std::string& name) const;
    bool flag(const std::string& name) const;
    std::vector<std::size_t> sizes(const std::string& name) const;  // "1000,500,250"
    std::vector<std::string> words(const std::string& name) const;  // "sigmoid,linear"
    bool given(const std::string& name) const { return m_given.count(name) > 0; }
    const std::string& text(const std::string& name) const;  // as given, else the default
    const std::map<std::string, std::string>& given() const { return m_given; }
    const std::string& where() const { return m_where; }

private:
    std::string m_where;
    std::vector<OptionSpec> m_specs;
    std::map<std::string, std::string> m_given;
    const OptionSpec& spec(const std::string& name) const;
};

// Parses text as a whole number or a finite-or-infinite double; throws naming `what` otherwise.
double parse_number(const std::string& text, const std::string& what);
// "3,x" -> throws "<what>: '3,x' is not a list of positive sizes".
std::vector<std::size_t> parse_sizes(const std::string& text, const std::string& what);
std::vector<std::string> split(const std::string& text, char separator);
std::string join(const std::vector<std::string>& parts, const std::string& separator);

}  // namespace ae
