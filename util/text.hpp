// util/text.hpp: numbers and names as text, one way each.
#pragma once
#include <string>

namespace ae {

// v as text: with digits > 0, to that many significant digits ("%.*g"); otherwise the shortest
// such text, from 6 digits up, that reads back as exactly v ("0.1", 3e-3 as "0.003"). NaN is
// "nan", never "-nan"; the infinities are "inf" and "-inf".
std::string number_text(double v, int digits = 0);

bool starts_with(const std::string& text, const std::string& prefix);
bool ends_with(const std::string& text, const std::string& suffix);

}  // namespace ae
