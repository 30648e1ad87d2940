// fuzz/make_seeds.cpp: the seed corpora, small valid files made by the project's own writers (and
// stb_image_write for the JPEG and colour seeds), one folder per harness:
//   fuzz_make_seeds DIR   ->   DIR/idx DIR/npy DIR/npz DIR/checkpoint DIR/image DIR/spec
// Run at build time (fuzz/CMakeLists.txt): no binary seed is kept in the repository.
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <stb/stb_image_write.h>

#include "io/image.hpp"
#include "io/npz.hpp"

namespace {

std::string g_dir;

void put(const std::string& sub, const std::string& name, const std::string& bytes) {
    std::filesystem::create_directories(g_dir + "/" + sub);
    std::ofstream out(g_dir + "/" + sub + "/" + name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + sub + "/" + name);
}

std::string be32(std::uint32_t v) { return {char(v >> 24), char((v >> 16) & 0xFF), char((v >> 8) & 0xFF), char(v & 0xFF)}; }

std::string gzip(const std::string& in) {
    z_stream z{};
    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, uLong(in.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

template <class T>
ae::Array<T> ramp(std::size_t r, std::size_t c) {
    ae::Array<T> a = ae::Array<T>::from_shape({r, c});
    for (std::size_t k = 0; k < a.size(); ++k) a.data()[k] = T(k) / T(7) - T(1);
    return a;
}

ae::NpyArray text(const std::string& s) { return ae::bytes_to_npy(std::vector<std::uint8_t>(s.begin(), s.end())); }

void append(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), std::size_t(size));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    g_dir = argv[1];
    // IDX: the harness's mode byte (bit 0: gzip it, bit 1: labels, bits 2-3: limit), then a file.
    std::string images = be32(0x803) + be32(3) + be32(2) + be32(4), labels = be32(0x801) + be32(3) + "\x01\x07\x03";
    for (int k = 0; k < 3 * 2 * 4; ++k) images += char(k * 9);
    put("idx", "images", std::string(1, '\0') + images);
    put("idx", "images-gzipped-by-harness", std::string(1, '\1') + images);
    put("idx", "images-limit-1", std::string(1, '\x08') + images);
    put("idx", "images.gz", std::string(1, '\0') + gzip(images));
    put("idx", "labels", std::string(1, '\2') + labels);
    put("idx", "labels-gzipped-by-harness", std::string(1, '\3') + labels);
    put("idx", "labels.gz", std::string(1, '\2') + gzip(labels));

    // .npy: each element type, 1-D, 2-D, 3-D, Fortran order.
    put("npy", "f8-2x3", ae::serialize_npy(ae::matrix_to_npy(ramp<double>(2, 3))));
    put("npy", "f4-column", ae::serialize_npy(ae::matrix_to_npy(ramp<float>(4, 1), true)));
    put("npy", "examples-3x2", ae::serialize_npy(ae::examples_to_npy(ramp<double>(2, 3))));
    put("npy", "u1-labels", ae::serialize_npy(ae::bytes_to_npy({1, 2, 3, 250})));
    ae::NpyArray f = ae::matrix_to_npy(ramp<double>(3, 2));
    f.fortran_order = true;
    put("npy", "f8-fortran", ae::serialize_npy(f));
    ae::NpyArray cube;
    cube.dtype = ae::DType::i32;
    cube.shape = {2, 2, 2};
    for (int k = 0; k < 8; ++k) cube.data += std::string{char(k), 0, 0, char(k ? 0 : 0x80)};
    put("npy", "i4-cube", ae::serialize_npy(cube));
    ae::NpyArray flags = ae::bytes_to_npy({0, 1, 1});
    flags.dtype = ae::DType::b1;
    put("npy", "b1", ae::serialize_npy(flags));
    ae::NpyArray scalar = ae::matrix_to_npy(ramp<double>(1, 1));
    scalar.shape = {};
    put("npy", "f8-scalar", ae::serialize_npy(scalar));

    // .npz: a model-like archive, stored and deflated, and an empty one.
    const ae::NpzEntries model = {{"W1", ae::matrix_to_npy(ramp<double>(3, 4))},
                                  {"b1", ae::matrix_to_npy(ramp<double>(3, 1))},
                                  {"aezoo.spec", text("kind = sparse-kl\nsizes = 4 3\nseed = 1\n")}};
    put("npz", "stored", ae::serialize_npz(model));
    put("npz", "deflated", ae::serialize_npz(model, true));
    put("npz", "empty", ae::serialize_npz({}));

    // A checkpoint as optim/checkpoint.hpp describes it (built here from io/ alone).
    const std::string trainer =
        "format=aezoo-checkpoint-1\noptimizer=adam\nseed=1\nstep=2\nsteps=4\nbatch_size=0\nexamples=5\n"
        "data=crc32 00000000 of float64 (4, 5)\nevaluations=2\nseconds=0.25\nstatus=running\n";
    const ae::NpzEntries checkpoint = {
        {"param.W1", ae::matrix_to_npy(ramp<double>(3, 4))},  {"param.b1", ae::matrix_to_npy(ramp<float>(3, 1))},
        {"optimizer.m.0", ae::matrix_to_npy(ramp<double>(3, 4))}, {"optimizer_scalar.step", ae::matrix_to_npy(ramp<double>(1, 1))},
        {"trainer", text(trainer)}, {"log", text("step,epoch,seconds,total\n1,1,0.1,2.5\n2,1,0.2,2.25\n")}};
    put("checkpoint", "adam", ae::serialize_npz(checkpoint));
    put("checkpoint", "deflated", ae::serialize_npz(checkpoint, true));

    // Pictures: the library's grey PNG, colour PNG, grey and colour JPEG.
    ae::GrayImage g;
    g.height = 6, g.width = 5;
    for (std::size_t k = 0; k < 30; ++k) g.pixels.push_back(std::uint8_t(k * 8));
    put("image", "grey.png", ae::encode_png(g));
    std::vector<unsigned char> rgb;
    for (int k = 0; k < 6 * 5; ++k) rgb.insert(rgb.end(), {(unsigned char)(k * 8), (unsigned char)(255 - k * 8), 90});
    std::string png, jpg, jpg_grey;
    stbi_write_png_to_func(append, &png, 5, 6, 3, rgb.data(), 5 * 3);
    stbi_write_jpg_to_func(append, &jpg, 5, 6, 3, rgb.data(), 90);
    stbi_write_jpg_to_func(append, &jpg_grey, 5, 6, 1, g.pixels.data(), 75);
    put("image", "rgb.png", png);
    put("image", "rgb.jpg", jpg);
    put("image", "grey.jpg", jpg_grey);

    // Model spec text: "key = value" lines, as model files hold it today.
    put("spec", "sparse-kl", "kind = sparse-kl\nsizes = 784 196\nseed = 1\nbeta = 3\nrho = 0.1\n");
    put("spec", "stacked", "kind = stacked\nsizes = 784 200 200\nseed = 7\nclasses = 10\n");
    put("spec", "k-sparse", "kind = k-sparse\nsizes = 784 1000\nseed = 18446744073709551615\nk = 25\ncenter = true\n");
    std::printf("seeds written to %s\n", g_dir.c_str());
    return 0;
}
