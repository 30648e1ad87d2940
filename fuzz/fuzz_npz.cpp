// fuzz/fuzz_npz.cpp: the .npz parser (io/npz.hpp, in memory), entries converted to matrices as
// load_npz does; parsed entries must come back unchanged through serialize_npz (stored and
// deflated) and parse_npz.
#include <string_view>

#include "fuzz/fuzz.hpp"
#include "io/npz.hpp"

namespace {

bool same(const ae::NpzEntries& a, const ae::NpzEntries& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const ae::NpyArray &x = a[i].second, &y = b[i].second;
        if (a[i].first != b[i].first || x.dtype != y.dtype || x.shape != y.shape ||
            x.fortran_order != y.fortran_order || x.data != y.data)
            return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    ae::fuzz::run_reader([&] {
        const ae::NpzEntries entries = ae::parse_npz(bytes, "fuzz.npz");
        for (const auto& entry : entries) ae::fuzz::run_reader([&] { ae::npy_to_matrix<double>(entry.second, entry.first); });
        for (bool compress : {false, true})
            ae::fuzz::run_reader([&] {
                const std::string again = ae::serialize_npz(entries, compress);
                ae::fuzz::require(same(ae::parse_npz(again, "again.npz"), entries), "parse_npz(serialize_npz(e)) == e");
            });
    });
    return 0;
}
