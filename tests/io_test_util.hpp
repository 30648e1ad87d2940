// tests/io_test_util.hpp: temporary folders, raw file writes and error capture for the io tests.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "tests/helpers.hpp"

namespace ae::test {

// A fresh folder under the system's temporary directory, removed with everything in it.
struct TempDir {
    std::string path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "aezoo_io_XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return path + "/" + name; }
};

// Writes bytes in place (tests build broken files on purpose; the library writes atomically).
inline void put_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

inline std::string get_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}


inline std::string be32(std::uint32_t v) {
    return {char(v >> 24), char((v >> 16) & 0xFF), char((v >> 8) & 0xFF), char(v & 0xFF)};
}

// An IDX image file of `count` images whose pixel k of image j is (7 j + k) mod 256.
inline std::string idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t cols, std::uint32_t magic = 0x803) {
    std::string s = be32(magic) + be32(count) + be32(rows) + be32(cols);
    for (std::uint32_t j = 0; j < count; ++j)
        for (std::uint32_t k = 0; k < rows * cols; ++k) s += char((7 * j + k) % 256);
    return s;
}

inline std::string idx_labels(std::uint32_t count) {
    std::string s = be32(0x801) + be32(count);
    for (std::uint32_t j = 0; j < count; ++j) s += char(j % 10);
    return s;
}

// The shared data folder (../shared/data next to the repository), found from this file's path or
// from the working directory (tests run in the source folder); empty when absent.
inline std::string shared_data_dir(const std::string& sub) {
    const std::filesystem::path here = std::filesystem::path(__FILE__).parent_path().parent_path();
    for (const auto& base : {here / ".." / "shared" / "data", std::filesystem::path("../shared/data")})
        if (std::filesystem::is_directory(base / sub)) return (base / sub).lexically_normal().string();
    return {};
}

}  // namespace ae::test
