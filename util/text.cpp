// util/text.cpp: numbers and names as text.
#include "util/text.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ae {

std::string number_text(double v, int digits) {
    if (std::isnan(v)) return "nan";
    char buf[40];
    if (digits > 0) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        return buf;
    }
    for (int d = 6; d <= 17; ++d) {
        std::snprintf(buf, sizeof buf, "%.*g", d, v);
        if (std::strtod(buf, nullptr) == v) break;  // 17 digits always read back
    }
    return buf;
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace ae
