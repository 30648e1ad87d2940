// io/npy_arrays.cpp: NpyArray <-> Array under the two layout rules of io/npy.hpp.
#include <algorithm>
#include <cstring>

#include "io/npy.hpp"

namespace ae {
namespace {

template <class T, class S>
void convert(const char* src, T* dst, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) {
        S v;
        std::memcpy(&v, src + k * sizeof(S), sizeof(S));
        dst[k] = static_cast<T>(v);
    }
}

// All elements, in file order, converted to T.
template <class T>
void decode(const NpyArray& a, T* dst) {
    const char* p = a.data.data();
    const std::size_t n = a.size();
    switch (a.dtype) {
        case DType::u8: case DType::b1: return convert<T, std::uint8_t>(p, dst, n);
        case DType::i8: return convert<T, std::int8_t>(p, dst, n);
        case DType::i32: return convert<T, std::int32_t>(p, dst, n);
        case DType::i64: return convert<T, std::int64_t>(p, dst, n);
        case DType::f32: return convert<T, float>(p, dst, n);
        case DType::f64: return convert<T, double>(p, dst, n);
    }
}

template <class T>
constexpr DType dtype_of() {
    return sizeof(T) == 4 ? DType::f32 : DType::f64;
}

template <class T>
NpyArray from_contiguous(const T* p, std::vector<std::size_t> shape) {
    NpyArray a;
    a.dtype = dtype_of<T>();
    a.shape = std::move(shape);
    a.data.assign(reinterpret_cast<const char*>(p), a.size() * sizeof(T));
    return a;
}

// The transpose of a (r, c) matrix, copied in cache-sized blocks.
template <class T>
Array<T> transposed(const Array<T>& a) {
    const std::size_t r = a.shape(0), c = a.shape(1);
    Array<T> t = Array<T>::from_shape({c, r});
    if (t.size() == 0) return t;  // else (2^60, 0) loops 2^54 times over nothing (fuzz/fuzz_npy: a hang)
    constexpr std::size_t B = 64;
    for (std::size_t i0 = 0; i0 < r; i0 += B)
        for (std::size_t j0 = 0; j0 < c; j0 += B)
            for (std::size_t i = i0; i < std::min(i0 + B, r); ++i)
                for (std::size_t j = j0; j < std::min(j0 + B, c); ++j) t(j, i) = a(i, j);
    return t;
}

}  // namespace

template <class T>
Array<T> npy_to_matrix(const NpyArray& a, const std::string& source) {
    const auto& s = a.shape;
    if (s.size() > 2)
        throw IoError(source, "shape " + npy_shape_str(s) + " has " + std::to_string(s.size()) +
                                  " axes; a matrix needs 1 or 2");
    const std::size_t r = s.empty() ? 1 : s[0], c = s.size() == 2 ? s[1] : 1;
    if (!a.fortran_order || s.size() < 2) {
        Array<T> m = Array<T>::from_shape({r, c});
        decode(a, m.data());
        return m;
    }
    Array<T> t = Array<T>::from_shape({c, r});  // Fortran order: the file holds the transpose
    decode(a, t.data());
    return transposed(t);
}

template <class T>
Array<T> npy_to_examples(const NpyArray& a, const std::string& source) {
    const auto& s = a.shape;
    if (s.empty()) throw IoError(source, "a 0-d array holds no examples");
    std::size_t m = s[0], d = 1;
    for (std::size_t k = 1; k < s.size(); ++k) d *= s[k];
    if (a.fortran_order && s.size() > 2)
        throw IoError(source, "Fortran-order arrays of more than 2 axes are not supported "
                              "(save np.ascontiguousarray(x))");
    if (a.fortran_order) {  // column-major (m, d) is row-major (d, m): already our layout
        Array<T> x = Array<T>::from_shape({d, m});
        decode(a, x.data());
        return x;
    }
    Array<T> rows = Array<T>::from_shape({m, d});
    decode(a, rows.data());
    return transposed(rows);
}

template <class T>
NpyArray matrix_to_npy(const Array<T>& a, bool flat_column) {
    if (flat_column && a.shape(1) == 1) return from_contiguous(a.data(), {a.shape(0)});
    return from_contiguous(a.data(), {a.shape(0), a.shape(1)});
}

template <class T>
NpyArray examples_to_npy(const Array<T>& x) {
    const Array<T> rows = transposed(x);
    return from_contiguous(rows.data(), {rows.shape(0), rows.shape(1)});
}

NpyArray bytes_to_npy(const std::vector<std::uint8_t>& v) {
    NpyArray a;
    a.dtype = DType::u8;
    a.shape = {v.size()};
    a.data.assign(v.begin(), v.end());
    return a;
}

template <class T>
Array<T> load_npy(const std::string& path) {
    return npy_to_matrix<T>(read_npy(path), path);
}
template <class T>
void save_npy(const std::string& path, const Array<T>& a, bool flat_column) {
    write_npy(path, matrix_to_npy(a, flat_column));
}
template <class T>
Array<T> load_examples_npy(const std::string& path) {
    return npy_to_examples<T>(read_npy(path), path);
}
template <class T>
void save_examples_npy(const std::string& path, const Array<T>& x) {
    write_npy(path, examples_to_npy(x));
}

template Array<float> npy_to_matrix<float>(const NpyArray&, const std::string&);
template Array<float> npy_to_examples<float>(const NpyArray&, const std::string&);
template NpyArray matrix_to_npy<float>(const Array<float>&, bool);
template NpyArray examples_to_npy<float>(const Array<float>&);
template Array<float> load_npy<float>(const std::string&);
template void save_npy<float>(const std::string&, const Array<float>&, bool);
template Array<float> load_examples_npy<float>(const std::string&);
template void save_examples_npy<float>(const std::string&, const Array<float>&);
template Array<double> npy_to_matrix<double>(const NpyArray&, const std::string&);
template Array<double> npy_to_examples<double>(const NpyArray&, const std::string&);
template NpyArray matrix_to_npy<double>(const Array<double>&, bool);
template NpyArray examples_to_npy<double>(const Array<double>&);
template Array<double> load_npy<double>(const std::string&);
template void save_npy<double>(const std::string&, const Array<double>&, bool);
template Array<double> load_examples_npy<double>(const std::string&);
template void save_examples_npy<double>(const std::string&, const Array<double>&);

}  // namespace ae
