// fuzz/fuzz_npy.cpp: the .npy parser (io/npy.hpp, in memory) and both layout conversions; a parsed
// array must come back unchanged through serialize_npy and parse_npy.
#include <string_view>

#include "fuzz/fuzz.hpp"
#include "io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    ae::fuzz::run_reader([&] {
        const ae::NpyArray a = ae::parse_npy(bytes, "fuzz.npy");
        ae::fuzz::require(a.data.size() == a.size() * ae::item_size(a.dtype), "data size = elements x item size");
        ae::fuzz::run_reader([&] {
            const ae::NpyArray b = ae::parse_npy(ae::serialize_npy(a), "again.npy");
            ae::fuzz::require(b.dtype == a.dtype && b.shape == a.shape && b.fortran_order == a.fortran_order &&
                                  b.data == a.data,
                              "parse_npy(serialize_npy(a)) == a");
        });
        ae::fuzz::run_reader([&] { ae::npy_to_matrix<double>(a, "fuzz.npy"); });
        ae::fuzz::run_reader([&] { ae::npy_to_matrix<float>(a, "fuzz.npy"); });
        ae::fuzz::run_reader([&] { ae::npy_to_examples<double>(a, "fuzz.npy"); });
    });
    return 0;
}
