// tests/test_io.cpp: the IDX reader (real MNIST when present, and small good and broken files) and
// atomic file writing.
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>

#include <sys/resource.h>
#include <sys/stat.h>
#include <zlib.h>

#include <xtensor/xmath.hpp>

#include "io/idx.hpp"
#include "tests/io_test_util.hpp"
#include "tests/skip.hpp"

using namespace ae;
using namespace ae::test;

namespace {

std::string gzip(const std::string& path, const std::string& bytes) {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), unsigned(bytes.size()));
    gzclose(f);
    return get_file(path);
}

}  // namespace

TEST_CASE("idx: real MNIST files give the known labels and counts and pixel means") {
    const std::string dir = shared_data_dir("mnist");
    if (dir.empty()) {
        SKIP_TEST("../shared/data/mnist is absent");
        return;
    }
    const auto labels = read_idx_labels(dir + "/train-labels-idx1-ubyte.gz");
    REQUIRE(labels.size() == 60000);
    CHECK(std::vector<int>(labels.begin(), labels.begin() + 10) == std::vector<int>{5, 0, 4, 1, 9, 2, 1, 3, 1, 4});

    const IdxImages train = read_idx_images_u8(find_idx_file(dir, Split::train, false));
    CHECK(train.count == 60000);
    CHECK(train.rows == 28);
    CHECK(train.cols == 28);
    double sum = 0;
    for (auto p : train.pixels) sum += p;
    CHECK(sum / double(train.pixels.size()) == doctest::Approx(33.318).epsilon(1e-4));

    const Dataset<float> test = load_idx_dataset<float>(dir, Split::test);
    CHECK(shape_of(test.x) == Shape{784, 10000});
    CHECK(std::vector<int>(test.labels.begin(), test.labels.begin() + 10) ==
          std::vector<int>{7, 2, 1, 0, 4, 1, 4, 9, 5, 9});
    CHECK(xt::sum<double>(test.x)() / double(test.x.size()) == doctest::Approx(0.13251).epsilon(1e-4));

    // A limit reads the first images only; column j is image j, pixel (r, c) at row r*28 + c.
    const Array<double> first = read_idx_images<double>(dir + "/train-images-idx3-ubyte.gz", 100);
    REQUIRE(shape_of(first) == Shape{784, 100});
    bool same = true;
    for (std::size_t j = 0; j < 100; ++j)
        for (std::size_t p = 0; p < 784; ++p) same &= first(p, j) == train.pixels[j * 784 + p] / 255.0;
    CHECK(same);
}

TEST_CASE("idx: Fashion-MNIST from the Debian package when installed") {
    if (!std::filesystem::exists(std::string(fashion_mnist_dir) + "/t10k-labels-idx1-ubyte.gz")) {
        SKIP_TEST("dataset-fashion-mnist is not installed");
        return;
    }
    const Dataset<float> d = load_idx_dataset<float>(fashion_mnist_dir, Split::train, 1000);
    CHECK(shape_of(d.x) == Shape{784, 1000});
    CHECK(std::vector<int>(d.labels.begin(), d.labels.begin() + 10) == std::vector<int>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5});
    CHECK(read_idx_labels(find_idx_file(fashion_mnist_dir, Split::test, true)).size() == 10000);
}

TEST_CASE("idx: small good files plain and gzipped") {
    TempDir tmp;
    const std::string bytes = idx_images(5, 3, 2);
    put_file(tmp.file("plain-idx3-ubyte"), bytes);
    gzip(tmp.file("packed-idx3-ubyte.gz"), bytes);
    for (const char* name : {"plain-idx3-ubyte", "packed-idx3-ubyte.gz"}) {
        INFO(name);
        const Array<float> x = read_idx_images<float>(tmp.file(name));
        REQUIRE(shape_of(x) == Shape{6, 5});
        CHECK(x(4, 3) == doctest::Approx((7 * 3 + 4) / 255.0));
        CHECK(shape_of(read_idx_images<double>(tmp.file(name), 2)) == Shape{6, 2});
    }
    // The split layout, as the data packages name their files.
    put_file(tmp.file("t10k-images-idx3-ubyte"), bytes);
    gzip(tmp.file("t10k-labels-idx1-ubyte.gz"), idx_labels(5));
    const Dataset<double> d = load_idx_dataset<double>(tmp.path, Split::test);
    CHECK(d.labels.size() == 5);
    CHECK(d.rows == 3);
    CHECK(d.cols == 2);
    gzip(tmp.file("t10k-labels-idx1-ubyte.gz"), idx_labels(4));
    const std::string e = error_of([&] { load_idx_dataset<double>(tmp.path, Split::test); });
    CHECK(contains(e, "has 4 labels but"));
    CHECK(contains(error_of([&] { find_idx_file(tmp.path, Split::train, false); }), "tried train-images-idx3-ubyte"));
}

TEST_CASE("idx: truncated files fail naming the file and the truncation") {
    TempDir tmp;
    const std::string bytes = idx_images(20, 28, 28);
    const std::string plain = tmp.file("cut-idx3-ubyte"), gz = tmp.file("cut-idx3-ubyte.gz");
    put_file(plain, bytes.substr(0, bytes.size() - 100));
    std::string e = error_of([&] { read_idx_images_u8(plain); });
    CHECK(contains(e, plain + ": truncated"));
    CHECK(contains(e, "15680 bytes of pixel data (20 images of 28 x 28)"));

    put_file(plain, bytes.substr(0, 10));  // inside the header
    e = error_of([&] { read_idx_images_u8(plain); });
    CHECK(contains(e, plain + ": truncated"));
    CHECK(contains(e, "header"));

    // Cut inside the deflate data, just after it, or inside the 8-byte trailer (CRC-32, length),
    // where all pixels are present and gzread/gzclose report nothing.
    const std::string packed = gzip(gz, bytes);
    for (std::size_t cut : {packed.size() / 2, std::size_t(1), std::size_t(4), std::size_t(8), std::size_t(9)}) {
        INFO("cut " << cut << " bytes");
        put_file(gz, packed.substr(0, packed.size() - cut));
        CHECK(contains(error_of([&] { read_idx_images_u8(gz); }), gz + ": truncated"));
    }

    put_file(plain, idx_labels(10).substr(0, 12));
    CHECK(contains(error_of([&] { read_idx_labels(plain); }), plain + ": truncated: expected 10 bytes of labels"));
}

TEST_CASE("idx: wrong magic numbers and dimensions and corrupt data fail clearly") {
    TempDir tmp;
    const std::string f = tmp.file("bad-idx3-ubyte");
    put_file(f, idx_labels(10));
    std::string e = error_of([&] { read_idx_images_u8(f); });
    CHECK(contains(e, f + ": wrong magic number 0x00000801, expected 0x00000803"));
    CHECK(contains(e, "label file"));
    put_file(f, idx_images(2, 2, 2));
    CHECK(contains(error_of([&] { read_idx_labels(f); }), "wrong magic number 0x00000803, expected 0x00000801"));
    put_file(f, "hello world, this is not IDX");
    CHECK(contains(error_of([&] { read_idx_images_u8(f); }), "not an IDX file"));

    put_file(f, idx_images(3, 0, 28));
    e = error_of([&] { read_idx_images_u8(f); });
    CHECK(contains(e, f + ": wrong dimensions: images of 0 x 28 pixels"));
    put_file(f, idx_images(0, 100000, 100000));
    CHECK(contains(error_of([&] { read_idx_images_u8(f); }), "wrong dimensions"));
    put_file(f, be32(0x803) + be32(0x7FFFFFFF) + be32(28) + be32(28) + std::string(784, '\0'));
    CHECK(contains(error_of([&] { read_idx_images_u8(f); }), "truncated"));  // no giant allocation first

    put_file(f, idx_images(2, 2, 2) + "x");
    CHECK(contains(error_of([&] { read_idx_images_u8(f); }), "unexpected data after the 2 images"));

    const std::string gz = tmp.file("bad-idx3-ubyte.gz");
    const std::string two = idx_images(50, 28, 28);
    const std::string members = gzip(gz, two.substr(0, 1000)) + gzip(gz, two.substr(1000));
    put_file(gz, members);  // concatenated gzip members are one stream, as gunzip reads them
    CHECK(read_idx_images_u8(gz).count == 50);
    put_file(gz, members + "junk");
    CHECK(contains(error_of([&] { read_idx_images_u8(gz); }), gz + ": unexpected bytes after the end of the gzip stream"));
    std::string packed = gzip(gz, two);
    for (std::size_t k = 20; k < 60; ++k) packed[k] = char(packed[k] ^ 0x5A);
    put_file(gz, packed);
    e = error_of([&] { read_idx_images_u8(gz); });
    CHECK(contains(e, gz + ": "));
    CHECK((contains(e, "corrupt gzip data") || contains(e, "truncated")));

    CHECK(contains(error_of([&] { read_idx_images_u8(tmp.file("missing")); }), "cannot open for reading"));
}

TEST_CASE("atomic write: replaces the file and gives mode 0666 minus umask") {
    TempDir tmp;
    const std::string f = tmp.file("out.bin");
    const mode_t old = umask(022);
    write_file_atomic(f, "first");
    write_file_atomic(f, "second version");
    struct stat st {};
    REQUIRE(stat(f.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
    CHECK(get_file(f) == "second version");
    umask(027);
    write_file_atomic(f, "third");
    REQUIRE(stat(f.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    umask(old);
    CHECK(std::distance(std::filesystem::directory_iterator(tmp.path), {}) == 1);  // no temporary left
}

TEST_CASE("atomic write: a failed write leaves the old file intact") {
    TempDir tmp;
    const std::string f = tmp.file("model.npz");
    write_file_atomic(f, "old contents");

    // A write that fails halfway (file size limit, like a full disk): EFBIG, old file untouched.
    rlimit saved{};
    getrlimit(RLIMIT_FSIZE, &saved);
    auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved;
    small.rlim_cur = 4096;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    const std::string e = error_of([&] { write_file_atomic(f, std::string(1 << 20, 'x')); });
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, old_handler);
    CHECK(contains(e, f + ": write failed"));
    CHECK(get_file(f) == "old contents");
    CHECK(std::distance(std::filesystem::directory_iterator(tmp.path), {}) == 1);

    // A folder in the way (also written "dir/", or "." as in encode --out .) is refused by name
    // before anything is written: the folder and its contents stay, no temporary is left.
    std::filesystem::create_directory(tmp.file("dir"));
    write_file_atomic(tmp.file("dir/inside"), "kept");
    for (const std::string& folder : {tmp.file("dir"), tmp.file("dir/"), tmp.file("dir/."), tmp.file("new/")})
        CHECK(error_of([&] { write_file_atomic(folder, "x"); }) == folder + ": is a folder: give the name of a file to write");
    CHECK(get_file(tmp.file("dir/inside")) == "kept");
    CHECK(std::distance(std::filesystem::directory_iterator(tmp.path), {}) == 2);

    CHECK(contains(error_of([&] { write_file_atomic(tmp.file("no/such/dir/f"), "x"); }), "cannot create a temporary"));
}
