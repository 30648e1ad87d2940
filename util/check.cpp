// util/check.cpp: range checks with messages a user can act on.
#include "util/check.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace ae {

void check_range(const std::string& where, const std::string& name, double value, char left, double lo,
                 double hi, char right) {
    const bool above = left == '(' ? value > lo : value >= lo;
    const bool below = right == ')' ? value < hi : value <= hi;
    if (above && below) return;  // NaN fails both
    std::ostringstream s;
    s << where << ": " << name << " = " << value << " is outside " << left << lo << ", " << hi << right;
    throw std::invalid_argument(s.str());
}

void check(bool ok, const std::string& where, const std::string& what) {
    if (!ok) throw std::invalid_argument(where + ": " + what);
}

}  // namespace ae
