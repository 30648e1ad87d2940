// fuzz/fuzz.hpp: what every harness of fuzz/ shares (issue 10, "every edge answered").
//
// The rule: a reader given any bytes either returns or throws a std::exception (IoError,
// invalid_argument, runtime_error, ...): that is a normal outcome. Anything else is a finding,
// reported by libFuzzer with the input saved: a crash, an AddressSanitizer or UBSan report, a hang
// (-timeout), an allocation over -malloc_limit_mb, an exception that is not a std::exception, and
// std::bad_alloc or std::length_error, which mean the reader believed a huge size some bytes claimed.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <new>
#include <stdexcept>
#include <string>

namespace ae::fuzz {

[[noreturn]] inline void finding(const char* what, const char* message) {
    std::fprintf(stderr, "FINDING: %s: %s\n", what, message);
    std::abort();
}

// Runs f, letting every std::exception but the two that mean "believed a huge size" pass.
template <class F>
void run_reader(F&& f) {
    try {
        f();
    } catch (const std::bad_alloc& e) {
        finding("std::bad_alloc", e.what());
    } catch (const std::length_error& e) {
        finding("std::length_error", e.what());
    } catch (const std::exception&) {
    }
}

// A property that must hold for any input (e.g. parse(serialize(a)) == a).
inline void require(bool ok, const char* what) {
    if (!ok) finding("property violated", what);
}

// For readers that take a path: this process's own file, rewritten for each input.
inline const std::string& write_temp(const std::string& name, const std::uint8_t* data, std::size_t size) {
    static const std::string dir = std::filesystem::is_directory("/dev/shm") ? std::string("/dev/shm")  // memory: faster
                                                                             : std::filesystem::temp_directory_path().string();
    static std::string path;
    path = dir + "/aezoo-fuzz-" + std::to_string(::getpid()) + "-" + name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    if (!out) finding("harness", ("cannot write " + path).c_str());
    return path;
}

}  // namespace ae::fuzz
