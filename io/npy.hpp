// io/npy.hpp: NumPy's .npy format, so data and models move to and from NumPy.
//
// Layout rule. Two kinds of files, two families of functions:
//  - Data sets (`load_examples_npy`, `save_examples_npy`): one example per row, as NumPy users
//    expect. A file of shape (m, d) is m examples of d features and loads as our (d, m) (examples
//    are columns in the zoo): it is transposed at the edge. Trailing axes are flattened in C order,
//    so (m, 28, 28) images load as (784, m) with pixel (r, c) at row r*28 + c, as IDX images do.
//    A 1-D file of length m is m examples of one feature: (1, m).
//  - Matrices (`load_npy`, `save_npy`, and .npz model files): stored as they are, shape (r, c) in
//    NumPy is (r, c) here, so W1 keeps the documents' (hidden, inputs) and z = W1 @ x + b1 reads the
//    same in NumPy with x of shape (inputs, m). A 1-D file of length n loads as a column (n, 1)
//    (a bias); `save_npy(..., flat_column = true)` writes a column as 1-D.
// Reading accepts little-endian u1, i1, i4, i8, f4, f8 and bool, C or Fortran order; values are
// converted to T as they are (uint8 pixels stay 0..255: divide by 255 yourself). Writing produces
// version 1.0 files of f4 (float), f8 (double) or u1, C order. Every read checks the header and
// that the file holds exactly the bytes the header promises (xt::load_npy checks neither).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "autodiff/array.hpp"
#include "io/file.hpp"

namespace ae {

enum class DType { u8, i8, i32, i64, f32, f64, b1 };

std::size_t item_size(DType t);
const char* descr_of(DType t);                                   // "<f8", "|u1", ...
std::string npy_shape_str(const std::vector<std::size_t>& shape);  // "(3, 4)", "(5,)", as NumPy prints

// An array as stored in a .npy file: element type, shape, order and the raw little-endian bytes.
struct NpyArray {
    DType dtype = DType::f64;
    std::vector<std::size_t> shape;
    bool fortran_order = false;
    std::string data;

    std::size_t size() const;  // number of elements
};

// Parses the bytes of a .npy file; `source` names the file in error messages.
NpyArray parse_npy(std::string_view bytes, const std::string& source);
std::string serialize_npy(const NpyArray& a);

NpyArray read_npy(const std::string& path);
void write_npy(const std::string& path, const NpyArray& a);  // atomic

// Matrix conversions (the "stored as they are" rule). `source` names the array in errors.
template <class T>
Array<T> npy_to_matrix(const NpyArray& a, const std::string& source);
template <class T>
NpyArray matrix_to_npy(const Array<T>& a, bool flat_column = false);

// Data-set conversions (the "one example per row" rule).
template <class T>
Array<T> npy_to_examples(const NpyArray& a, const std::string& source);
template <class T>
NpyArray examples_to_npy(const Array<T>& x);

NpyArray bytes_to_npy(const std::vector<std::uint8_t>& v);  // 1-D uint8, e.g. labels

template <class T>
Array<T> load_npy(const std::string& path);
template <class T>
void save_npy(const std::string& path, const Array<T>& a, bool flat_column = false);
template <class T>
Array<T> load_examples_npy(const std::string& path);
template <class T>
void save_examples_npy(const std::string& path, const Array<T>& x);

}  // namespace ae
