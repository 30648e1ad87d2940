// fuzz/fuzz_checkpoint.cpp: the training checkpoint reader (optim/checkpoint.hpp's read_checkpoint,
// which reads a path: the bytes go to a temporary file).
#include "fuzz/fuzz.hpp"
#include "optim/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = ae::fuzz::write_temp("checkpoint.npz", data, size);
    ae::fuzz::run_reader([&] { ae::read_checkpoint(path); });
    return 0;
}
