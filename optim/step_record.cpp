// optim/step_record.cpp: the words of a NaN stop.
#include "optim/step_record.hpp"

#include <cmath>

#include "util/text.hpp"

namespace ae {

std::string what_went_wrong(const StepRecord& r, const std::vector<std::string>& names) {
    if (!r.error.empty()) return "the loss could not be evaluated: " + r.error;
    std::string bad, good;  // "name = value" of the terms that are not finite, and of the others
    for (std::size_t i = 0; i < r.terms.size() && i < names.size(); ++i) {
        std::string& to = std::isfinite(r.terms[i]) ? good : bad;
        to += (to.empty() ? "" : ", ") + names[i] + " = " + number_text(r.terms[i], 4);
    }
    if (!bad.empty()) return "the loss is not finite: " + bad + (good.empty() ? "" : " (" + good + ")");
    if (!std::isfinite(r.total))
        return "the loss is not finite: total = " + number_text(r.total, 4) + " although every term is (" + good + ")";
    return "the gradient of " + r.bad_gradient + " is not finite (loss " + number_text(r.total, 4) +
           (good.empty() ? "" : ": " + good) + ")";
}

}  // namespace ae
