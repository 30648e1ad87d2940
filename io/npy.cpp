// io/npy.cpp: the .npy format: parsing with every size checked, and writing.
#include "io/npy.hpp"

#include <algorithm>
#include <limits>

namespace ae {
namespace {

struct DTypeInfo {
    DType type;
    char kind;  // NumPy's kind letter
    std::size_t size;
    const char* descr;
};

constexpr DTypeInfo dtypes[] = {
    {DType::u8, 'u', 1, "|u1"},  {DType::i8, 'i', 1, "|i1"},  {DType::i32, 'i', 4, "<i4"},
    {DType::i64, 'i', 8, "<i8"}, {DType::f32, 'f', 4, "<f4"}, {DType::f64, 'f', 8, "<f8"},
    {DType::b1, 'b', 1, "|b1"},
};

const DTypeInfo& info(DType t) {
    for (const auto& d : dtypes)
        if (d.type == t) return d;
    throw std::logic_error("npy: unknown DType");
}

// The header is a Python dict literal; this reads exactly the subset NumPy writes.
struct HeaderParser {
    std::string_view s;
    const std::string& source;
    std::size_t i = 0;

    [[noreturn]] void fail(const std::string& what) const {
        throw IoError(source, "bad .npy header (" + what + "): " + std::string(s));
    }
    void skip_space() {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    }
    bool accept(char c) {
        skip_space();
        if (i < s.size() && s[i] == c) return ++i, true;
        return false;
    }
    void expect(char c) {
        if (!accept(c)) fail(std::string("expected '") + c + "'");
    }
    std::string quoted() {
        skip_space();
        if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) fail("expected a string");
        char q = s[i++];
        std::size_t end = s.find(q, i);
        if (end == std::string_view::npos) fail("unterminated string");
        std::string out(s.substr(i, end - i));
        i = end + 1;
        return out;
    }
    bool boolean() {
        skip_space();
        if (s.substr(i, 4) == "True") return i += 4, true;
        if (s.substr(i, 5) == "False") return i += 5, false;
        fail("expected True or False");
    }
    std::vector<std::size_t> tuple() {
        expect('(');
        std::vector<std::size_t> dims;
        while (!accept(')')) {
            skip_space();
            std::size_t start = i, v = 0;
            for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
                if (v > (std::numeric_limits<std::size_t>::max() - 9) / 10) fail("dimension too large");
                v = v * 10 + std::size_t(s[i] - '0');
            }
            if (i == start) fail("expected a non-negative integer in the shape");
            dims.push_back(v);
            if (!accept(',')) {
                expect(')');
                break;
            }
        }
        return dims;
    }
};

DType parse_descr(const std::string& d, const std::string& source) {
    if (d.size() >= 3 && d[0] == '>' && d.substr(2) != "1")
        throw IoError(source, "big-endian data ('" + d + "') is not supported: save it as '<" + d.substr(1) + "'");
    for (const auto& t : dtypes)
        if (d.size() == 3 && (d[0] == '<' || d[0] == '|' || d[0] == '=' || d[0] == '>') &&
            d[1] == t.kind && std::size_t(d[2] - '0') == t.size)
            return t.type;
    throw IoError(source, "element type '" + d + "' is not supported (only u1, i1, i4, i8, f4, f8, b1)");
}

}  // namespace

std::string npy_shape_str(const std::vector<std::size_t>& shape) {
    std::string s = "(";
    for (std::size_t k = 0; k < shape.size(); ++k)
        s += std::to_string(shape[k]) + (shape.size() == 1 ? "," : k + 1 < shape.size() ? ", " : "");
    return s + ")";
}

std::size_t item_size(DType t) { return info(t).size; }
const char* descr_of(DType t) { return info(t).descr; }

std::size_t NpyArray::size() const {
    std::size_t n = 1;
    for (std::size_t d : shape) n *= d;
    return n;
}

NpyArray parse_npy(std::string_view bytes, const std::string& source) {
    const std::string_view magic("\x93NUMPY", 6);
    const std::size_t k = std::min(bytes.size(), magic.size());
    if (bytes.empty() || bytes.substr(0, k) != magic.substr(0, k))
        throw IoError(source, "not a .npy file (it does not start with \\x93NUMPY)");
    if (bytes.size() < 10) throw IoError(source, "truncated: the file ends inside the .npy preamble");
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t header_len = 0, start = 0;
    auto byte = [&](std::size_t k) { return std::size_t(static_cast<unsigned char>(bytes[k])); };
    if (major == 1) {
        header_len = byte(8) | byte(9) << 8;
        start = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) throw IoError(source, "truncated: the file ends inside the .npy preamble");
        header_len = byte(8) | byte(9) << 8 | byte(10) << 16 | byte(11) << 24;
        start = 12;
    } else {
        throw IoError(source, ".npy format version " + std::to_string(major) + " is not supported");
    }
    if (bytes.size() < start + header_len)
        throw IoError(source, "truncated: the header promises " + std::to_string(header_len) +
                                  " bytes, the file ends after " + std::to_string(bytes.size() - start));

    HeaderParser h{bytes.substr(start, header_len), source};
    NpyArray a;
    bool seen[3] = {false, false, false};
    h.expect('{');
    while (!h.accept('}')) {
        std::string key = h.quoted();
        h.expect(':');
        if (key == "descr") {
            h.skip_space();
            if (h.i < h.s.size() && h.s[h.i] == '[') h.fail("structured dtypes are not supported");
            a.dtype = parse_descr(h.quoted(), source), seen[0] = true;
        } else if (key == "fortran_order") {
            a.fortran_order = h.boolean(), seen[1] = true;
        } else if (key == "shape") {
            a.shape = h.tuple(), seen[2] = true;
        } else {
            h.fail("unexpected key '" + key + "'");
        }
        if (!h.accept(',')) {
            h.expect('}');
            break;
        }
    }
    if (!seen[0] || !seen[1] || !seen[2]) h.fail("missing descr, fortran_order or shape");

    std::size_t n = 1;
    for (std::size_t d : a.shape) {
        if (d != 0 && n > std::numeric_limits<std::size_t>::max() / d / 8)
            throw IoError(source, "bad .npy header: shape " + npy_shape_str(a.shape) + " is too large");
        n *= d;
    }
    const std::size_t want = n * item_size(a.dtype), have = bytes.size() - start - header_len;
    if (have < want)
        throw IoError(source, "truncated: the header promises " + std::to_string(want) + " bytes of data (shape " +
                                  npy_shape_str(a.shape) + ", " + descr_of(a.dtype) + "), the file has " +
                                  std::to_string(have));
    if (have > want)
        throw IoError(source, std::to_string(have - want) + " unexpected bytes after the " +
                                  std::to_string(want) + " bytes of data the header promises");
    a.data.assign(bytes.substr(start + header_len));
    return a;
}

std::string serialize_npy(const NpyArray& a) {
    if (a.data.size() != a.size() * item_size(a.dtype))
        throw std::invalid_argument("serialize_npy: " + std::to_string(a.data.size()) +
                                    " bytes of data for shape " + npy_shape_str(a.shape));
    std::string header = std::string("{'descr': '") + descr_of(a.dtype) + "', 'fortran_order': " +
                         (a.fortran_order ? "True" : "False") + ", 'shape': " + npy_shape_str(a.shape) + ", }";
    // NumPy pads with spaces and a newline so that the data starts at a multiple of 64 bytes.
    std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    if (header.size() > 65535) throw std::invalid_argument("serialize_npy: header too long");
    std::string out("\x93NUMPY\x01\x00", 8);
    out += char(header.size() & 0xFF);
    out += char(header.size() >> 8);
    return out + header + a.data;
}

NpyArray read_npy(const std::string& path) { return parse_npy(read_file(path), path); }
void write_npy(const std::string& path, const NpyArray& a) { write_file_atomic(path, serialize_npy(a)); }

}  // namespace ae
