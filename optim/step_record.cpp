// optim/step_record.cpp: the words of a NaN stop.
#include "optim/step_record.hpp"

#include <cstdio>

namespace ae {

std::string short_number(double v) {
    if (std::isnan(v)) return "nan";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string what_went_wrong(const StepRecord& r, const std::vector<std::string>& names) {
    if (!r.error.empty()) return "the loss could not be evaluated: " + r.error;
    std::string bad, good;  // "name = value" of the terms that are not finite, and of the others
    for (std::size_t i = 0; i < r.terms.size() && i < names.size(); ++i) {
        std::string& to = std::isfinite(r.terms[i]) ? good : bad;
        to += (to.empty() ? "" : ", ") + names[i] + " = " + short_number(r.terms[i]);
    }
    if (!bad.empty()) return "the loss is not finite: " + bad + (good.empty() ? "" : " (" + good + ")");
    if (!std::isfinite(r.total))
        return "the loss is not finite: total = " + short_number(r.total) + " although every term is (" + good + ")";
    return "the gradient of " + r.bad_gradient + " is not finite (loss " + short_number(r.total) +
           (good.empty() ? "" : ": " + good) + ")";
}

}  // namespace ae
