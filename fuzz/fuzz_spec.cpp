// fuzz/fuzz_spec.cpp: the model spec text (models/model.hpp's parse_spec). Its format is being
// redesigned: this harness calls that one function only.
#include <string>

#include "fuzz/fuzz.hpp"
#include "models/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    ae::fuzz::run_reader([&] { ae::parse_spec(text, "fuzz.spec"); });
    return 0;
}
