// tests/test_io_data.cpp: load_data, the --data forms the trainer and the CLI accept.
#include <doctest/doctest.h>

#include <xtensor/xview.hpp>

#include "io/data.hpp"
#include "io/image.hpp"
#include "io/npz.hpp"
#include "tests/io_test_util.hpp"

using namespace ae;
using namespace ae::test;

TEST_CASE("data: IDX folders and npy and npz files and patches load as columns") {
    TempDir tmp;
    put_file(tmp.file("train-images-idx3-ubyte"), idx_images(6, 2, 2));
    put_file(tmp.file("train-labels-idx1-ubyte"), idx_labels(6));
    DataOptions o;
    o.limit = 4;
    const Dataset<float> idx = load_data<float>("mnist:" + tmp.path, o);
    CHECK(shape_of(idx.x) == Shape{4, 4});
    CHECK(idx.labels.size() == 4);
    CHECK(idx.rows == 2);
    CHECK(contains(idx.description, "(train): 4 examples of 2 x 2"));

    // One example per row in the file: 3 examples of 4 features, a square picture of 2 x 2.
    const Array<double> x = {{0.0, 0.1, 0.2}, {0.3, 0.4, 0.5}, {0.6, 0.7, 0.8}, {0.9, 1.0, 0.25}};
    save_examples_npy(tmp.file("x.npy"), x);
    const Dataset<double> npy = load_data<double>(tmp.file("x.npy"));
    CHECK(npy.x == x);
    CHECK(npy.cols == 2);
    CHECK(npy.labels.empty());
    o.limit = 2;
    CHECK(load_data<double>(tmp.file("x.npy"), o).x == Array<double>(xt::view(x, xt::all(), xt::range(0, 2))));

    NpyArray bytes;  // uint8 images (m, h, w), as NumPy users keep MNIST: scaled to [0, 1]
    bytes.dtype = DType::u8;
    bytes.shape = {2, 1, 3};
    bytes.data = std::string("\x00\xff\x33\x66\x99\xcc", 6);
    write_npz(tmp.file("d.npz"), {{"images", bytes}, {"x", examples_to_npy(x)}});
    const Dataset<float> npz = load_data<float>(tmp.file("d.npz") + ":images");
    CHECK(npz.x == Array<float>{{0.0f, 0.4f}, {1.0f, 0.6f}, {0.2f, 0.8f}});
    CHECK(npz.rows == 1);
    CHECK(npz.cols == 3);
    CHECK(contains(error_of([&] { load_data<float>(tmp.file("d.npz")); }), "it has: images, x"));
    write_npz(tmp.file("one.npz"), {{"x", examples_to_npy(x)}});
    CHECK(load_data<double>(tmp.file("one.npz")).x == x);

    GrayImage g{20, 20, std::vector<std::uint8_t>(400)};
    for (std::size_t k = 0; k < 400; ++k) g.pixels[k] = std::uint8_t(k * 37 % 251);
    write_png(tmp.file("pic.png"), g);
    o.patches.side = 5;
    o.patches.count = 50;
    o.limit = no_limit;
    const Dataset<float> patches = load_data<float>("patches:" + tmp.file("pic.png"), o);
    CHECK(shape_of(patches.x) == Shape{25, 50});
    CHECK(patches.rows == 5);

    CHECK(contains(error_of([&] { load_data<float>("cifar10"); }), "unknown data source 'cifar10'"));
    CHECK(contains(error_of([&] { load_data<float>("mnist:" + tmp.file("nowhere")); }), "no train images file"));
}
