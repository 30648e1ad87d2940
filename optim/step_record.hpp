// optim/step_record.hpp: one evaluation of the loss as the trainer keeps it: the values a CSV row
// logs, and what a NaN stop reports.
#pragma once
#include <cmath>
#include <string>
#include <vector>

namespace ae {

struct StepRecord {
    double total = 0;
    std::vector<double> terms;  // in the loss's order
    std::string bad_gradient;   // the first parameter whose gradient is not finite
    std::string error;          // why the loss had no value (a std::domain_error's message)
    bool finite() const { return std::isfinite(total) && bad_gradient.empty() && error.empty(); }
};

// What is wrong with a record that is not finite, naming the terms:
// "the loss is not finite: kl_sparsity = nan (squared_error = 0.031, weight_decay = 0.002)",
// "the gradient of W1 is not finite (loss 0.5: ...)", "the loss could not be evaluated: log: ...".
std::string what_went_wrong(const StepRecord& r, const std::vector<std::string>& names);

}  // namespace ae
