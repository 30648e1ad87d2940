// util/check.hpp: hyper-parameter checks whose message names the model, the parameter, its value
// and the allowed range, e.g. "sparse-kl: rho = 1.5 is outside (0, 1)".
#pragma once
#include <limits>
#include <string>

namespace ae {

// The end of an unbounded range, e.g. check_range(where, "sigma", v, '(', 0, inf, ')').
inline constexpr double inf = std::numeric_limits<double>::infinity();

// Throws std::invalid_argument unless lo <left value right> hi, where left is '(' or '[' and right
// is ')' or ']' (an open or closed end). NaN is always outside. Use infinity for an unbounded end.
void check_range(const std::string& where, const std::string& name, double value, char left, double lo,
                 double hi, char right);

// Throws std::invalid_argument "<where>: <what>" when ok is false.
void check(bool ok, const std::string& where, const std::string& what);

}  // namespace ae
