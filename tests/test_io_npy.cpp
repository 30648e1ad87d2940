// tests/test_io_npy.cpp: .npy and .npz round trips, NumPy's own layouts, and broken files.
#include <doctest/doctest.h>

#include <xtensor/xio.hpp>
#include <xtensor/xrandom.hpp>

#include "io/npz.hpp"
#include "tests/io_test_util.hpp"

using namespace ae;
using namespace ae::test;

namespace {

// Archives laid out exactly as numpy.savez / numpy.savez_compressed write them (Python's zipfile
// with force_zip64, so local headers carry a ZIP64 extra field and 0xFFFFFFFF sizes; NumPy's
// headers with their growth padding): W = arange(6.).reshape(2, 3) as '<f8', b = [1.5, -2.25, 3]
// as '<f4' (1-D), F = the same matrix as W in Fortran order.
// numpy.savez layout (stored):
const char* const numpy_savez_hex =
    "504b03042d000000000000002158f0cd3b46ffffffffffffffff05001400572e6e707901001000b000000000000000b00000"
    "0000000000934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046"
    "616c73652c20277368617065273a2028322c2033292c207d2020202020202020202020202020202020202020202020202020"
    "20202020202020202020202020202020202020202020202020202020202020200a0000000000000000000000000000f03f00"
    "00000000000040000000000000084000000000000010400000000000001440504b03042d000000000000002158de13cafdff"
    "ffffffffffffff05001400622e6e7079010010008c000000000000008c00000000000000934e554d5059010076007b276465"
    "736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c29"
    "2c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020"
    "202020202020202020202020200a0000c03f000010c000004040504b03042d000000000000002158e4c80660ffffffffffff"
    "ffff05001400462e6e707901001000b000000000000000b000000000000000934e554d5059010076007b276465736372273a"
    "20273c6638272c2027666f727472616e5f6f72646572273a20547275652c20277368617065273a2028322c2033292c207d20"
    "2020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020"
    "20202020202020200a00000000000000000000000000000840000000000000f03f0000000000001040000000000000004000"
    "00000000001440504b01022d032d000000000000002158f0cd3b46b0000000b0000000050000000000000000000000800100"
    "000000572e6e7079504b01022d032d000000000000002158de13cafd8c0000008c0000000500000000000000000000008001"
    "e7000000622e6e7079504b01022d032d000000000000002158e4c80660b0000000b000000005000000000000000000000080"
    "01aa010000462e6e7079504b0506000000000300030099000000910200000000";
// numpy.savez_compressed layout (deflated):
const char* const numpy_savez_compressed_hex =
    "504b03042d000000080000002158f0cd3b46ffffffffffffffff05001400572e6e707901001000b000000000000000570000"
    "00000000009bec17ea1b10c9c850c650ad9e925a9c5ca46ea5a06e9366a1aea3a09e965f54529498179f5f94920a12774bcc"
    "294e058a17672416a402f91a463a0ac69a3a0ab50a64032e0614f0c11eca7080501c505a004a8b380000504b03042d000000"
    "080000002158de13cafdffffffffffffffff05001400622e6e7079010010008c0000000000000050000000000000009bec17"
    "ea1b10c9c850c650ad9e925a9c5ca46ea5a06e9366a2aea3a09e965f54529498179f5f94920a12774bcc294e058a17672416"
    "a402f91ac63a9a3a0ab50a14002e068603f60c0c020718181c1c00504b03042d000000080000002158e4c80660ffffffffff"
    "ffffff05001400462e6e707901001000b00000000000000057000000000000009bec17ea1b10c9c850c650ad9e925a9c5ca4"
    "6ea5a06e9366a1aea3a09e965f54529498179f5f94920a120f292a4d050a17672416a402b91a463a0ac69a3a0ab50ae4032e"
    "0614c0e100a13fd8436801289f014a8b380000504b01022d032d000000080000002158f0cd3b4657000000b0000000050000"
    "000000000000000000800100000000572e6e7079504b01022d032d000000080000002158de13cafd500000008c0000000500"
    "0000000000000000000080018e000000622e6e7079504b01022d032d000000080000002158e4c8066057000000b000000005"
    "0000000000000000000000800115010000462e6e7079504b0506000000000300030099000000a30100000000";

std::string unhex(const char* hex) {
    std::string out;
    for (const char* p = hex; p[0] && p[1]; p += 2) out += char(std::stoi(std::string(p, 2), nullptr, 16));
    return out;
}

template <class T>
Array<T> random_matrix(std::size_t r, std::size_t c, unsigned seed) {
    xt::random::seed(seed);
    return xt::cast<T>(xt::random::randn<double>({r, c}));
}

}  // namespace

TEST_CASE_TEMPLATE("npy: matrices and columns round trip", T, float, double) {
    TempDir tmp;
    const Array<T> a = random_matrix<T>(3, 4, 1);
    save_npy(tmp.file("a.npy"), a);
    CHECK(load_npy<T>(tmp.file("a.npy")) == a);
    const Array<T> b = random_matrix<T>(5, 1, 2);
    save_npy(tmp.file("b.npy"), b, /*flat_column=*/true);
    const NpyArray raw = read_npy(tmp.file("b.npy"));
    CHECK(raw.shape == std::vector<std::size_t>{5});
    CHECK(raw.dtype == (sizeof(T) == 4 ? DType::f32 : DType::f64));
    CHECK(load_npy<T>(tmp.file("b.npy")) == b);  // 1-D loads as a column
    // Converting between precisions on load.
    CHECK(load_npy<double>(tmp.file("a.npy")) == xt::cast<double>(a));
}

TEST_CASE("npy: the header is NumPy's version 1.0 format padded to 64 bytes") {
    NpyArray a;
    a.dtype = DType::f64;
    a.shape = {2, 3};
    a.data.assign(48, '\0');
    const std::string s = serialize_npy(a);
    CHECK(s.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
    const std::size_t len = std::size_t(static_cast<unsigned char>(s[8])) | std::size_t(static_cast<unsigned char>(s[9])) << 8;
    CHECK((10 + len) % 64 == 0);
    CHECK(s.substr(10, 59) == "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }");
    CHECK(s[9 + len] == '\n');
    CHECK(s.size() == 10 + len + 48);
    a.shape = {4};
    a.data.assign(32, '\0');
    CHECK(contains(serialize_npy(a), "'shape': (4,), }"));
}

TEST_CASE("npy: data sets are one example per row in the file and columns in memory") {
    TempDir tmp;
    const Array<double> x = random_matrix<double>(3, 5, 3);  // 5 examples of 3 features
    save_examples_npy(tmp.file("x.npy"), x);
    CHECK(read_npy(tmp.file("x.npy")).shape == std::vector<std::size_t>{5, 3});
    CHECK(load_examples_npy<double>(tmp.file("x.npy")) == x);

    NpyArray images;  // 2 images of 2 x 3 bytes, as NumPy users keep them: shape (2, 2, 3)
    images.dtype = DType::u8;
    images.shape = {2, 2, 3};
    for (int k = 0; k < 12; ++k) images.data += char(k);
    const Array<float> cols = npy_to_examples<float>(images, "images");
    REQUIRE(shape_of(cols) == Shape{6, 2});
    CHECK(cols(4, 1) == 10.0f);  // image 1, pixel (1, 1) at row 1*3 + 1; uint8 values as they are
    CHECK(contains(error_of([&] { npy_to_matrix<float>(images, "images.npy"); }), "images.npy: shape (2, 2, 3) has 3 axes"));

    const Array<double> labels = npy_to_matrix<double>(bytes_to_npy({3, 1, 4}), "labels");
    CHECK(labels == Array<double>{{3}, {1}, {4}});
}

TEST_CASE("npy: truncated files and bad headers throw naming the file") {
    TempDir tmp;
    const std::string f = tmp.file("t.npy");
    save_npy(f, random_matrix<double>(4, 4, 4));
    const std::string good = get_file(f);
    put_file(f, good.substr(0, good.size() - 1));
    std::string e = error_of([&] { load_npy<double>(f); });
    CHECK(contains(e, f + ": truncated: the header promises 128 bytes of data (shape (4, 4), <f8), the file has 127"));
    put_file(f, good.substr(0, 40));
    CHECK(contains(error_of([&] { load_npy<double>(f); }), f + ": truncated: the header promises 118 bytes"));
    put_file(f, good.substr(0, 5));
    CHECK(contains(error_of([&] { load_npy<double>(f); }), f + ": truncated"));
    put_file(f, good + "zz");
    CHECK(contains(error_of([&] { load_npy<double>(f); }), f + ": 2 unexpected bytes after the 128 bytes"));
    put_file(f, "");
    CHECK(contains(error_of([&] { load_npy<double>(f); }), f + ": not a .npy file"));
    put_file(f, "PK\x03\x04 this is a zip");
    CHECK(contains(error_of([&] { load_npy<double>(f); }), f + ": not a .npy file"));

    auto with_header = [&](const std::string& dict) {
        std::string h = dict + "\n";
        return std::string("\x93NUMPY\x01\x00", 8) + char(h.size()) + char(0) + h;
    };
    put_file(f, with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3) "));
    CHECK(contains(error_of([&] { load_npy<double>(f); }), f + ": bad .npy header"));
    put_file(f, with_header("{'descr': '<c16', 'fortran_order': False, 'shape': (0,), }"));
    CHECK(contains(error_of([&] { load_npy<double>(f); }), "element type '<c16' is not supported"));
    put_file(f, with_header("{'descr': '>f8', 'fortran_order': False, 'shape': (0,), }"));
    CHECK(contains(error_of([&] { load_npy<double>(f); }), "big-endian"));
    put_file(f, with_header("{'descr': '<f8', 'shape': (0,), }"));
    CHECK(contains(error_of([&] { load_npy<double>(f); }), "missing descr, fortran_order or shape"));
    put_file(f, with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999), }"));
    CHECK(contains(error_of([&] { load_npy<double>(f); }), "too large"));
    put_file(f, with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (), }") + std::string(8, '\0'));
    CHECK(shape_of(load_npy<double>(f)) == Shape{1, 1});  // a 0-d array is a 1x1 matrix
}

TEST_CASE_TEMPLATE("npz: round trips stored and deflated with names in order", T, float, double) {
    TempDir tmp;
    const NamedArrays<T> arrays = {{"W1", random_matrix<T>(4, 6, 5)}, {"b1", random_matrix<T>(4, 1, 6)},
                                   {"W2", random_matrix<T>(6, 4, 7)}, {"b2", random_matrix<T>(6, 1, 8)}};
    for (bool compress : {false, true}) {
        INFO("compress = " << compress);
        const std::string f = tmp.file(compress ? "c.npz" : "s.npz");
        save_npz(f, arrays, compress);
        const NamedArrays<T> back = load_npz<T>(f);
        REQUIRE(back.size() == 4);
        for (std::size_t k = 0; k < 4; ++k) {
            CHECK(back[k].first == arrays[k].first);
            CHECK(back[k].second == arrays[k].second);
        }
        CHECK(find_array(back, "b2", f) == arrays[3].second);
        const std::string e = error_of([&] { find_array(back, "W3", f); });
        CHECK(contains(e, f + ": has no array 'W3' (it has: W1, b1, W2, b2)"));
        const std::string bytes = get_file(f);
        save_npz(f, arrays, compress);
        CHECK(get_file(f) == bytes);  // reproducible: the same arrays give the same bytes
    }
}

TEST_CASE("npz: archives written the way NumPy writes them are read") {
    for (const char* hex : {numpy_savez_hex, numpy_savez_compressed_hex}) {
        const NpzEntries e = parse_npz(unhex(hex), "numpy.npz");
        REQUIRE(e.size() == 3);
        const Array<double> W = npy_to_matrix<double>(npz_entry(e, "W", "numpy.npz"), "W");
        CHECK(W == Array<double>{{0, 1, 2}, {3, 4, 5}});
        CHECK(npy_to_matrix<double>(npz_entry(e, "F", "numpy.npz"), "F") == W);  // Fortran order
        CHECK(npy_to_matrix<float>(npz_entry(e, "b", "numpy.npz"), "b") == Array<float>{{1.5f}, {-2.25f}, {3.0f}});
    }
}

TEST_CASE("npz: truncated and corrupt and ZIP64 archives throw naming the file") {
    TempDir tmp;
    const std::string f = tmp.file("m.npz");
    save_npz<double>(f, {{"W", random_matrix<double>(8, 8, 9)}, {"b", random_matrix<double>(8, 1, 10)}});
    const std::string good = get_file(f);
    put_file(f, good.substr(0, good.size() - 10));
    CHECK(contains(error_of([&] { read_npz(f); }), f + ": truncated"));
    put_file(f, good.substr(0, good.size() / 2));
    CHECK(contains(error_of([&] { read_npz(f); }), f + ": truncated"));
    std::string bad = good;
    bad[200] = char(bad[200] ^ 1);  // inside W's data
    put_file(f, bad);
    CHECK(contains(error_of([&] { read_npz(f); }), f + ":W.npy: CRC-32 mismatch"));
    bad = good;
    for (int k = 0; k < 4; ++k) bad[bad.size() - 6 + k] = char(0xFF);  // central directory offset
    put_file(f, bad);
    CHECK(contains(error_of([&] { read_npz(f); }), f + ": ZIP64 archives are not supported"));
    put_file(f, "not a zip at all, just text that is long enough");
    CHECK(contains(error_of([&] { read_npz(f); }), f + ": not an .npz (zip) archive"));

    std::string deflated = serialize_npz({{"x", matrix_to_npy(random_matrix<double>(30, 30, 11))}}, true);
    deflated[60] = char(deflated[60] ^ 0x55);  // inside the deflate stream
    const std::string e = error_of([&] { parse_npz(deflated, "d.npz"); });
    CHECK(contains(e, "d.npz:x.npy: "));
    CHECK((contains(e, "corrupt deflate data") || contains(e, "CRC-32 mismatch") || contains(e, "does not give")));
}
